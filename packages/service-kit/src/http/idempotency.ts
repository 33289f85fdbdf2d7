import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { kitErrors } from '../errors/kit.errors.ts';
import type { createIdempotencyStore } from '../db/index.ts';

type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;

const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: { key: string; scope: string } | null;
  }
}

/**
 * `Idempotency-Key` on POST routes marked `config.idempotent` (IETF draft-ietf-httpapi-idempotency-key):
 * the first request with a key runs and its answer is stored; the same key with the same request replays
 * that answer; with another request it is refused (422); while the first still runs, a repeat gets 409.
 * Keys are per caller (the scope is the actor), so two clients cannot collide or read each other's answers.
 * A 5xx answer is not stored: the key is released so the client's retry runs again.
 */
export function installIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotency', null);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.routeOptions.config.idempotent !== true) return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY_PATTERN.test(key)) {
      throw kitErrors.create.VALIDATION_FAILED('Idempotency-Key must be 8-255 visible ASCII characters', {
        errors: [{ field: '/headers/idempotency-key', message: 'must be 8-255 visible ASCII characters' }],
      });
    }
    const scope = request.principal ? `${request.principal.kind}:${request.principal.id}` : 'anonymous';
    const outcome = await store.begin(key, scope, fingerprint(request));
    switch (outcome.state) {
      case 'new':
        request.idempotency = { key, scope };
        return;
      case 'mismatch':
        throw kitErrors.create.IDEMPOTENCY_KEY_REUSED();
      case 'in-flight':
        throw kitErrors.create.IDEMPOTENCY_KEY_IN_FLIGHT(undefined, { headers: { 'retry-after': '1' } });
      case 'completed':
        return replay(reply, outcome.response);
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      await store.abandon(claim.key, claim.scope);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await store.complete(claim.key, claim.scope, {
      status: reply.statusCode,
      headers,
      body:
        typeof payload === 'string'
          ? payload
          : payload === null || payload === undefined
            ? ''
            : String(payload),
    });
    return payload;
  });
}

function replay(
  reply: FastifyReply,
  response: { status: number; headers: Record<string, string>; body: string },
) {
  return reply
    .code(response.status)
    .headers({ ...response.headers, 'idempotent-replayed': 'true' })
    .send(response.body);
}

/** The request's identity: method, route, path parameters and body. The same key must come with the same. */
function fingerprint(request: FastifyRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.url.split('?')[0], request.body ?? null]))
    .digest('hex');
}
