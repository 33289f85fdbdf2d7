import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TObject, type TSchema } from 'typebox';
import { kitErrors } from '../errors/kit.errors.ts';
import {
  createIdempotencyStore,
  type Database,
  type IdempotencyStore,
  type StoredResponse,
} from '../db/index.ts';
import {
  enterRequestScope,
  holdRequestTransaction,
  supportsRequestTransactions,
  type RequestTransaction,
} from '../db/request-transaction.ts';

const KEY_PATTERN = /^[\x21-\x7e]{8,255}$/;
const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
const RETENTION_HOURS = 24;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null;
  }
}

interface IdempotencyClaim {
  key: string;
  scope: string;
  fingerprint: string;
  /** The request's transaction: what the request writes commits with its answer, or not at all. */
  transaction: RequestTransaction;
}

/** The `Idempotency-Key` header as each idempotent operation documents it (OpenAPI). */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes this request safe to retry (IETF draft-ietf-httpapi-idempotency-key): 8-255 visible ASCII characters, ' +
  'a new one per intended operation (a UUID), kept per caller for 24 hours. Retry with the same key and the same ' +
  'body whenever the answer did not arrive (timeout, connection lost, 502/503/504): the answer is stored in the same ' +
  'database transaction as the effect, so a retry gets the original status, body, `Location` and `ETag` with ' +
  '`Idempotent-Replayed: true` — also after the service crashed between its commit and its answer — and the ' +
  'operation never runs twice. The same key with another body → 422 `IDEMPOTENCY_KEY_REUSED`. ' +
  '409 `IDEMPOTENCY_KEY_IN_FLIGHT`: a request with this key is running now; retry after `Retry-After` seconds. ' +
  'A request whose process died frees its key within seconds (its database session ends). A 5xx answer is not ' +
  'stored and nothing of the request is kept: retry with the same key. After 24 hours a key counts as unused.';

/**
 * `Idempotency-Key` on POST routes marked `config.idempotent` (IETF draft-ietf-httpapi-idempotency-key): the first
 * request with a key runs and its answer is stored; the same key with the same request replays that answer; with
 * another request it is refused (422); while the first still runs, a repeat gets 409. Keys are per caller (the
 * scope is the actor), so two clients cannot collide or read each other's answers.
 *
 * Exactly once (ADR 8): the request runs in a request transaction (`db/request-transaction.ts`) that commits in
 * `onSend`, after the answer is serialised and stored with the effect; a 5xx rolls everything back. The
 * transaction is held from the start with an advisory lock on the key (the in-flight marker, gone with a dead
 * process's session).
 */
export function installIdempotency(
  app: FastifyInstance,
  database: Database<unknown>,
  purge: { firstAfterMs: number; everyMs: number } = { firstAfterMs: 60_000, everyMs: 3_600_000 },
): void {
  const db = database.db;
  if (!supportsRequestTransactions(db))
    throw new Error(
      'Idempotency-Key needs a database opened by openDatabase (it holds request transactions)',
    );
  const store = createIdempotencyStore(db, { retentionHours: RETENTION_HOURS });
  schedulePurge(app, store, purge);

  app.decorateRequest('idempotency', null);
  app.addHook('onRoute', (route) => {
    if (route.config?.idempotent === true && !route.schema?.hide) {
      route.schema = { ...route.schema, headers: withKeyHeader(route.schema?.headers) };
    }
  });

  const takesKey = (request: FastifyRequest) =>
    request.method === 'POST' &&
    request.routeOptions.config.idempotent === true &&
    request.headers['idempotency-key'] !== undefined;

  app.addHook('onRequest', (request, _reply, done) => {
    if (takesKey(request)) enterRequestScope(done);
    else done();
  });

  app.addHook('preHandler', async (request, reply) => {
    if (!takesKey(request)) return;
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || !KEY_PATTERN.test(key)) {
      throw kitErrors.create.VALIDATION_FAILED('Idempotency-Key must be 8-255 visible ASCII characters', {
        errors: [{ field: '/headers/idempotency-key', message: 'must be 8-255 visible ASCII characters' }],
      });
    }
    const scope = request.principal ? `${request.principal.kind}:${request.principal.id}` : 'anonymous';
    const fingerprint = fingerprintOf(request);

    const transaction = await holdOrFail();
    let found: Awaited<ReturnType<IdempotencyStore['find']>> = { state: 'in-flight' };
    try {
      if (await store.lock(key, scope)) found = await store.find(key, scope, fingerprint);
    } finally {
      if (found.state !== 'new') await transaction.end('rollback');
    }
    if (found.state === 'new') {
      request.idempotency = { key, scope, fingerprint, transaction };
      return;
    }
    return answerOther(reply, found);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim) return payload;
    request.idempotency = null;
    if (reply.statusCode >= 500) {
      await release(claim);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const body = typeof payload === 'string' ? payload : payload == null ? '' : String(payload);
    let earlier: StoredResponse | undefined;
    try {
      // In the request's transaction when it wrote anything: the answer commits with the effect, or neither does.
      earlier = await store.complete(claim.key, claim.scope, claim.fingerprint, {
        status: reply.statusCode,
        headers,
        body,
      });
      if (earlier) await claim.transaction.end('rollback');
      else await claim.transaction.end('commit');
    } catch (error) {
      await release(claim);
      throw error;
    }
    if (!earlier) return payload;
    // Another request completed the key first (not expected while the advisory lock is held): this one's work is
    // undone, theirs replayed.
    void reply.code(earlier.status).headers({ ...earlier.headers, 'idempotent-replayed': 'true' });
    return earlier.body;
  });

  // A request that ended without sending (should not happen) must not keep its transaction and connection.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotency;
    if (!claim) return;
    request.idempotency = null;
    await release(claim);
  });

  async function holdOrFail(): Promise<RequestTransaction> {
    const transaction = await holdRequestTransaction(db);
    // The scope is opened in onRequest for every keyed request: without it the answer could not commit with the effect.
    if (!transaction) throw new Error('A keyed request has no request scope to hold its transaction in');
    return transaction;
  }

  /** Undoes what the request wrote and frees its key (the advisory lock ends with the transaction). */
  async function release(claim: IdempotencyClaim): Promise<void> {
    await claim.transaction.end('rollback');
  }
}

function answerOther(
  reply: FastifyReply,
  found: { state: 'in-flight' } | { state: 'mismatch' } | { state: 'completed'; response: StoredResponse },
) {
  switch (found.state) {
    case 'mismatch':
      throw kitErrors.create.IDEMPOTENCY_KEY_REUSED();
    case 'in-flight':
      throw kitErrors.create.IDEMPOTENCY_KEY_IN_FLIGHT(undefined, { headers: { 'retry-after': '1' } });
    case 'completed':
      return reply
        .code(found.response.status)
        .headers({ ...found.response.headers, 'idempotent-replayed': 'true' })
        .send(found.response.body);
  }
}

/** The route's header schema with `Idempotency-Key` documented (checked by the pre-handler, not by the schema). */
function withKeyHeader(headers: unknown): TObject {
  const given = headers as TObject | undefined;
  const properties: Record<string, TSchema> = { ...(given?.properties ?? {}) };
  properties['idempotency-key'] = Type.Optional(
    Type.String({
      description: IDEMPOTENCY_KEY_DESCRIPTION,
      examples: ['0b6e8a52-3f0c-4d59-9a8e-2f5d1c7e4a10'],
    }),
  );
  return Type.Object(properties, { additionalProperties: true });
}

/** The request's identity: method, route, path parameters and body. The same key must come with the same. */
function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.method, request.url.split('?')[0], request.body ?? null]))
    .digest('hex');
}

/**
 * Keys past their retention count as unused already; this job deletes them so the table does not grow with every
 * idempotent request for ever: a minute after the service is ready, then hourly, on every replica (the deletes
 * take batches with `skip locked`, so replicas do not wait on each other).
 */
function schedulePurge(
  app: FastifyInstance,
  store: IdempotencyStore,
  every: { firstAfterMs: number; everyMs: number },
): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running = store
      .purgeExpired()
      .then((deleted) => {
        if (deleted > 0) app.log.info({ deleted }, 'expired idempotency keys purged');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'purging expired idempotency keys failed'))
      .finally(() => {
        running = undefined;
        if (timer) timer = setTimeout(run, every.everyMs).unref();
      });
  };
  app.addHook('onReady', async () => {
    timer = setTimeout(run, every.firstAfterMs).unref();
  });
  app.addHook('onClose', async () => {
    clearTimeout(timer);
    timer = undefined;
    await running;
  });
}
