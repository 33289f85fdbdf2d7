import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

/** What the server saw of one request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * A real HTTP service on 127.0.0.1 that plays the other side of the client: slow, flaky, refusing, rate
 * limiting, guarded by tokens. It records every request per route so tests can count what reached it.
 */
export interface UpstreamServer {
  baseUrl: string;
  /** Requests seen, by route (`GET /v1/flaky` → key `/v1/flaky`). */
  seen: (route: string) => SeenRequest[];
  /** How many more times `/v1/flaky` answers 503 before it answers 200. */
  flakyFailuresLeft: number;
  /** `/v1/toggle` answers 200 when true, 503 when false… */
  healthy: boolean;
  /** …after this many ms. */
  toggleDelayMs: number;
  /** Party ids that `/v1/parties/:id` answers 404 for. */
  deletedParties: Set<string>;
  /** Tokens `/oauth/token` issued, in order; `/v1/protected` accepts only the latest. */
  issuedTokens: string[];
  /** `/v1/protected` refuses every token when true (a client whose permissions were revoked). */
  rejectAllTokens: boolean;
  close(): Promise<void>;
}

/** The RFC 9457 body `/v1/refuse` answers with. */
export const CONFLICT_PROBLEM = {
  type: 'urn:lessor:problem:party-has-contracts',
  title: 'Party has active contracts',
  status: 409,
  detail: 'Party 0190 has 2 active contracts.',
  code: 'PARTY_HAS_CONTRACTS',
};

const problem = (reply: FastifyReply, status: number, body: object) =>
  reply
    .code(status)
    .type('application/problem+json')
    .send({ status, ...body });

/** Starts the server on an ephemeral port. */
export async function startUpstreamServer(): Promise<UpstreamServer> {
  // forceCloseConnections: closing the server cuts even the requests it is still sleeping on.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  const seen = new Map<string, SeenRequest[]>();
  const state: UpstreamServer = {
    baseUrl: '',
    seen: (route) => seen.get(route) ?? [],
    flakyFailuresLeft: 2,
    healthy: true,
    toggleDelayMs: 0,
    deletedParties: new Set(),
    issuedTokens: [],
    rejectAllTokens: false,
    close: () => app.close(),
  };

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const route = request.routeOptions.url ?? request.url;
    const list = seen.get(route) ?? [];
    list.push({ method: request.method, url: request.url, headers: request.headers, body: undefined });
    seen.set(route, list);
  });
  app.addHook('preHandler', async (request: FastifyRequest) => {
    const list = seen.get(request.routeOptions.url ?? request.url);
    const last = list?.at(-1);
    if (last) last.body = request.body;
  });

  /** Sleeps, but stops when the client hangs up, so a closed test leaves no timer behind. */
  const sleepUnlessGone = async (reply: FastifyReply, ms: number) => {
    const hungUp = new AbortController();
    reply.raw.on('close', () => hungUp.abort());
    await sleep(ms, undefined, { signal: hungUp.signal }).catch(() => undefined);
  };

  app.get('/v1/slow', async (_request, reply) => {
    await sleepUnlessGone(reply, 2000);
    return { slow: true };
  });
  // Answers only once the caller has hung up: a client that waited for the answer would wait forever.
  app.get('/v1/hang', async (_request, reply) => {
    await sleepUnlessGone(reply, 10 * 60_000);
    return { hung: true };
  });
  app.get('/v1/slow-once', async (_request, reply) => {
    if (state.seen('/v1/slow-once').length === 1) await sleepUnlessGone(reply, 2000);
    return { attempt: state.seen('/v1/slow-once').length };
  });
  const flaky = async (_request: FastifyRequest, reply: FastifyReply) => {
    if (state.flakyFailuresLeft > 0) {
      state.flakyFailuresLeft--;
      return problem(reply, 503, { title: 'Service unavailable' });
    }
    return { ok: true, calls: state.seen('/v1/flaky').length };
  };
  app.get('/v1/flaky', flaky);
  app.post('/v1/flaky', flaky);
  app.get('/v1/broken', async (_request, reply) => problem(reply, 500, { title: 'Internal error' }));
  app.get('/v1/toggle', async (_request, reply) => {
    if (state.toggleDelayMs > 0) await sleepUnlessGone(reply, state.toggleDelayMs);
    return state.healthy ? { ok: true } : problem(reply, 503, { title: 'Service unavailable' });
  });
  app.get('/v1/refuse', async (_request, reply) => problem(reply, 409, CONFLICT_PROBLEM));
  app.get<{ Querystring: { after?: string } }>('/v1/rate-limited', async (request, reply) => {
    if (state.seen('/v1/rate-limited').length === 1)
      return problem(reply.header('retry-after', request.query.after ?? '0'), 429, {
        title: 'Too many requests',
      });
    return { ok: true };
  });
  app.get<{ Params: { id: string } }>('/v1/parties/:id', async (request, reply) => {
    const { id } = request.params;
    if (state.deletedParties.has(id)) return problem(reply, 404, { title: 'Party not found' });
    return { id, name: `Party ${id}`, answer: state.seen('/v1/parties/:id').length };
  });
  app.all('/v1/echo', async (request) => ({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body ?? null,
  }));

  // A token endpoint and a route guarded by its latest token: the 401 path of a key rotation.
  app.post('/oauth/token', async () => {
    const token = `token-${state.issuedTokens.length + 1}`;
    state.issuedTokens.push(token);
    return { access_token: token, token_type: 'Bearer', expires_in: 3600 };
  });
  app.route({
    method: ['GET', 'POST'],
    url: '/v1/protected',
    handler: async (request, reply) => {
      const sent = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
      // Echoes the token, as a careless service might: the client must not copy it into its errors.
      if (state.rejectAllTokens || sent !== state.issuedTokens.at(-1))
        return problem(reply, 401, { title: 'Unauthorized', detail: `token ${sent} is not valid` });
      return { ok: true, token: sent };
    },
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  state.baseUrl = address;
  return state;
}

/** A base URL nothing listens on: a port that was just free. */
export async function unusedBaseUrl(): Promise<string> {
  const app = Fastify({ logger: false });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  await app.close();
  return address;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** A logger that keeps what it is told, pino-style. */
export function recordingLogger() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  const record = (level: string) => (obj: object, msg: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, logger: { warn: record('warn'), info: record('info'), debug: record('debug') } };
}
