// What is ours in the peer (CAP itself serves the OData): the OAuth2 client-credentials token endpoint and the
// bearer check of the v4 services, basic auth and SAP's CSRF protocol for the v2 service, and the control API —
// throttling, failures mid-run, changes between pages, refused writes, the request log. Runs in the peer's process.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { entityTargets } from './seed.ts';
import type {
  PeerRequest,
  PeerService,
  RefuseWritesRule,
  ThrottleRule,
  FailAfterPagesRule,
  PeerChange,
} from './types.ts';

const require = createRequire(import.meta.url);
// CAP's express (a dependency of @sap/cds, not of this package).
const express = createRequire(require.resolve('@sap/cds'))('express');

export interface PeerProcessConfig {
  port: number;
  dataDir: string;
  accounts: number;
  businessPartners: number;
  pageSize: number;
  tokenLifetimeSeconds: number;
  clientId: string;
  clientSecret: string;
  basic: { username: string; password: string };
}

type Request = IncomingMessage & { path: string; originalUrl: string; body?: any; query: any };
type Response = ServerResponse & {
  status(code: number): Response;
  json(body: unknown): void;
  send(body?: unknown): void;
  set(name: string, value: string): Response;
  append(name: string, value: string): Response;
  type(type: string): Response;
};
type Next = (error?: unknown) => void;

interface ServiceRoute {
  service: PeerService | 'sap-v4';
  prefix: string;
  auth: 'bearer' | 'basic';
  version: 'v2' | 'v4';
}

/** The services' roots. `sap-v4` is the v4 service behind the v2 adapter: only the adapter calls it. */
export const serviceRoutes: ServiceRoute[] = [
  { service: 'dynamics', prefix: '/dynamics', auth: 'bearer', version: 'v4' },
  { service: 'accounting', prefix: '/accounting', auth: 'bearer', version: 'v4' },
  { service: 'sap', prefix: '/sap/opu/odata/sap/API_BUSINESS_PARTNER', auth: 'basic', version: 'v2' },
  { service: 'sap-v4', prefix: '/sap-v4/API_BUSINESS_PARTNER', auth: 'basic', version: 'v4' },
];

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);
const sessionCookie = 'SAP_SESSIONID_PEER_100';

interface PeerState {
  throttle: ThrottleRule | null;
  failure: (FailAfterPagesRule & { served: number }) | null;
  changes: PeerChange[];
  refusals: (RefuseWritesRule & { used: number })[];
  requests: PeerRequest[];
  tokenLifetimeSeconds: number;
  tokensNotBefore: number;
}

function routeOf(path: string): ServiceRoute | undefined {
  return serviceRoutes.find((route) => path === route.prefix || path.startsWith(`${route.prefix}/`));
}

function authKind(header: string | undefined): PeerRequest['auth'] {
  if (!header) return 'none';
  const scheme = header.split(' ')[0]!.toLowerCase();
  return scheme === 'basic' ? 'basic' : scheme === 'bearer' ? 'bearer' : 'other';
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

function cookies(req: IncomingMessage): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return jar;
}

function odataError(
  res: Response,
  version: 'v2' | 'v4',
  status: number,
  code: string,
  message: string,
): void {
  const body =
    version === 'v2'
      ? { error: { code, message: { lang: 'en', value: message } } }
      : { error: { code, message } };
  res.status(status).json(body);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The v2 adapter writes absolute links (`__next`, `__metadata.uri`) with `localhost` wherever the request said
 * `127.0.0.1` (its rootUri()). A real server answers with the host it was asked on, so the peer puts it back —
 * the same number of bytes, so Content-Length stays right.
 */
function keepOwnHost(res: Response, host: string | null): void {
  if (!host?.startsWith('127.0.0.1:')) return;
  const wrong = Buffer.from(`http://localhost:${host.slice('127.0.0.1:'.length)}`);
  const right = Buffer.from(`http://${host}`);
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const asBuffer = (chunk: unknown, encoding?: unknown) =>
    chunk instanceof Uint8Array
      ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
      : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    chunks.push(asBuffer(chunk, encoding));
    if (typeof encoding === 'function') (encoding as () => void)();
    else if (typeof callback === 'function') (callback as () => void)();
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
      chunks.push(asBuffer(chunk, encoding));
    let body = Buffer.concat(chunks);
    if (!res.getHeader('content-encoding')) {
      const parts: Buffer[] = [];
      for (let at = body.indexOf(wrong); at >= 0; at = body.indexOf(wrong)) {
        parts.push(body.subarray(0, at), right);
        body = body.subarray(at + wrong.length);
      }
      body = Buffer.concat([...parts, body]);
    }
    if (body.length > 0) write(body);
    const done = [chunk, encoding, callback].find((argument) => typeof argument === 'function');
    return done ? end(done) : end();
  }) as typeof res.end;
}

function keyValues(key: string | Record<string, string>, keys: string[]): Record<string, string> {
  return typeof key === 'string' ? { [keys[0]!]: key } : key;
}

export function createPeerMiddleware(
  cds: any,
  config: PeerProcessConfig,
  hooks: { reseed(): Promise<void> },
): { router: any; attach(service: any): void } {
  // Tokens are signed, not stored: a token stays valid across a restart of the peer, as a JWT would.
  const tokenKey = createHmac('sha256', 'lessor-odata-peer').update(config.clientSecret).digest();
  const csrfSessions = new Map<string, string>();
  const state: PeerState = {
    throttle: null,
    failure: null,
    changes: [],
    refusals: [],
    requests: [],
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    tokensNotBefore: 0,
  };
  let gate: Promise<void> = Promise.resolve();
  let seq = 0;

  function sign(payload: string): string {
    return createHmac('sha256', tokenKey).update(payload).digest('base64url');
  }

  function issueToken(): { token: string; expiresIn: number } {
    const now = Date.now();
    const payload = Buffer.from(
      JSON.stringify({
        sub: config.clientId,
        iat: now,
        exp: now + state.tokenLifetimeSeconds * 1000,
        n: seq,
      }),
    ).toString('base64url');
    return { token: `${payload}.${sign(payload)}`, expiresIn: state.tokenLifetimeSeconds };
  }

  function tokenValid(token: string): boolean {
    const [payload, signature] = token.split('.');
    if (!payload || !signature || !safeEqual(signature, sign(payload))) return false;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iat: number; exp: number };
    return claims.exp > Date.now() && claims.iat >= state.tokensNotBefore;
  }

  function basicValid(value: string | null): boolean {
    if (!value?.toLowerCase().startsWith('basic ')) return false;
    const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString();
    return safeEqual(decoded, `${config.basic.username}:${config.basic.password}`);
  }

  function log(req: Request, res: Response, service: PeerRequest['service']): void {
    const entry: PeerRequest = {
      seq: ++seq,
      at: new Date().toISOString(),
      service,
      method: req.method ?? 'GET',
      url: req.originalUrl,
      status: 0,
      auth: authKind(header(req, 'authorization') ?? undefined),
      ifMatch: header(req, 'if-match'),
      csrfToken: header(req, 'x-csrf-token'),
    };
    state.requests.push(entry);
    res.on('close', () => {
      entry.status = res.writableFinished ? res.statusCode : 0;
    });
  }

  async function applyChange(change: PeerChange): Promise<void> {
    const target = entityTargets[change.entity]!;
    await cds.run(cds.ql.UPDATE(target.table).set(change.fields).where(keyValues(change.key, target.keys)));
  }

  /** What is wrong with a change the control API was given, or null. */
  function changeProblem(change: PeerChange): string | null {
    const target = entityTargets[change?.entity];
    if (!target) return `unknown entity ${String(change?.entity)}`;
    const elements = cds.model.definitions[target.table].elements as Record<string, unknown>;
    if (!change.key || !change.fields || typeof change.fields !== 'object')
      return 'a change needs key and fields';
    const unknown = Object.keys(change.fields).filter((name) => !(name in elements));
    return unknown.length > 0 ? `${change.entity} has no field ${unknown.join(', ')}` : null;
  }

  const router = express.Router();

  router.post('/oauth/token', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    log(req, res, 'token');
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const authorization = header(req, 'authorization');
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const [id, secret] = Buffer.from(authorization.slice(6).trim(), 'base64').toString().split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    if (clientId !== config.clientId || !clientSecret || !safeEqual(clientSecret, config.clientSecret)) {
      res.status(401).json({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
      return;
    }
    const { token, expiresIn } = issueToken();
    res.set('cache-control', 'no-store');
    res.json({ access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  });

  const control = express.Router();
  control.use(express.json());
  control.post('/throttle', (req: Request, res: Response) => {
    state.throttle = req.body as ThrottleRule;
    res.status(204).send();
  });
  control.post('/fail-after-pages', (req: Request, res: Response) => {
    state.failure = { mode: 'reset', ...(req.body as FailAfterPagesRule), served: 0 };
    res.status(204).send();
  });
  control.post('/change-between-pages', (req: Request, res: Response) => {
    const change = req.body as PeerChange;
    const problem = changeProblem(change);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    state.changes.push(change);
    res.status(204).send();
  });
  control.post('/refuse-writes', (req: Request, res: Response) => {
    state.refusals.push({
      status: 400,
      message: 'refused by the peer',
      ...(req.body as RefuseWritesRule),
      used: 0,
    });
    res.status(204).send();
  });
  control.post('/update', async (req: Request, res: Response) => {
    const change = req.body as PeerChange;
    const problem = changeProblem(change);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    await applyChange(change);
    res.status(204).send();
  });
  control.get('/record', async (req: Request, res: Response) => {
    const target = entityTargets[String(req.query.entity)];
    if (!target) {
      res.status(400).json({ error: `unknown entity ${String(req.query.entity)}` });
      return;
    }
    const raw = String(req.query.key);
    const key = raw.startsWith('{') ? (JSON.parse(raw) as Record<string, string>) : raw;
    const record = await cds.run(cds.ql.SELECT.one.from(target.table).where(keyValues(key, target.keys)));
    res.json({ record: record ?? null });
  });
  control.post('/token-lifetime', (req: Request, res: Response) => {
    state.tokenLifetimeSeconds = Number((req.body as { seconds: number }).seconds);
    res.status(204).send();
  });
  control.post('/expire-tokens', (_req: Request, res: Response) => {
    state.tokensNotBefore = Date.now() + 1;
    res.status(204).send();
  });
  control.get('/requests', (_req: Request, res: Response) => {
    res.json({ requests: state.requests });
  });
  control.post('/reset', async (req: Request, res: Response) => {
    state.throttle = null;
    state.failure = null;
    state.changes = [];
    state.refusals = [];
    state.requests = [];
    state.tokenLifetimeSeconds = config.tokenLifetimeSeconds;
    state.tokensNotBefore = 0;
    csrfSessions.clear();
    if ((req.body as { data?: boolean } | undefined)?.data) await hooks.reseed();
    res.status(204).send();
  });
  router.use('/control', control);

  router.use(async (req: Request, res: Response, next: Next) => {
    const route = routeOf(req.path);
    if (!route) return next();
    const authorization = header(req, 'authorization');
    if (route.service === 'sap-v4') {
      // The adapter's own call: it forwards the v2 request's basic auth.
      if (!basicValid(authorization)) return odataError(res, 'v4', 401, '401', 'Unauthorized');
      return next();
    }
    const service = route.service;
    log(req, res, service);
    await gate;

    const method = req.method ?? 'GET';
    const isPage =
      method === 'GET' &&
      !req.path.endsWith('/$metadata') &&
      req.path !== route.prefix &&
      req.path !== `${route.prefix}/`;
    const throttle = state.throttle;
    if (throttle && throttle.times > 0 && (!throttle.service || throttle.service === service)) {
      throttle.times -= 1;
      res.set('retry-after', String(throttle.retryAfterSeconds));
      return odataError(
        res,
        route.version,
        throttle.status,
        String(throttle.status),
        'The peer is throttling',
      );
    }
    const failure = state.failure;
    if (
      failure &&
      isPage &&
      failure.times > 0 &&
      failure.served >= failure.pages &&
      (!failure.service || failure.service === service)
    ) {
      failure.times -= 1;
      if (failure.mode === 'status-500') {
        return odataError(res, route.version, 500, '500', 'The peer failed mid-run');
      }
      req.socket.destroy();
      return;
    }

    if (route.auth === 'bearer') {
      const token = authorization?.toLowerCase().startsWith('bearer ') ? authorization.slice(7).trim() : null;
      if (!token || !tokenValid(token)) {
        res.set('www-authenticate', token ? 'Bearer error="invalid_token"' : 'Bearer');
        return odataError(
          res,
          'v4',
          401,
          '401',
          token ? 'The access token is invalid or expired' : 'Unauthorized',
        );
      }
    } else if (!basicValid(authorization)) {
      res.set('www-authenticate', 'Basic realm="SAP NetWeaver Application Server [PEER/100]"');
      return odataError(res, 'v2', 401, '401', 'Unauthorized');
    }

    if (service === 'dynamics' && writeMethods.has(method) && method !== 'POST' && !header(req, 'if-match')) {
      // Dataverse updates unconditionally without If-Match; CAP answers 428 for an entity with an ETag.
      req.headers['if-match'] = '*';
    }
    if (route.version === 'v2') {
      keepOwnHost(res, header(req, 'host'));
      // Node's fetch sends `Accept-Language: *`; the adapter passes '*' to cds.localize, which then answers every
      // language (a generator) instead of a document, and $metadata fails with 500. Any language means English.
      if (header(req, 'accept-language')?.trim() === '*') req.headers['accept-language'] = 'en';
      // SAP's CSRF protocol: a GET with `x-csrf-token: Fetch` answers the session's token and the session cookie;
      // a write must send both back.
      const sent = header(req, 'x-csrf-token');
      const session = cookies(req).get(sessionCookie);
      if (sent?.toLowerCase() === 'fetch' && (method === 'GET' || method === 'HEAD')) {
        let sid = session && csrfSessions.has(session) ? session : null;
        if (!sid) {
          sid = randomBytes(16).toString('hex');
          csrfSessions.set(sid, randomBytes(18).toString('base64url'));
          res.append('set-cookie', `${sessionCookie}=${sid}; path=/; HttpOnly`);
        }
        res.set('x-csrf-token', csrfSessions.get(sid)!);
      } else if (writeMethods.has(method)) {
        const expected = session ? csrfSessions.get(session) : undefined;
        if (!sent || !expected || !safeEqual(sent, expected)) {
          res.set('x-csrf-token', 'Required');
          res.status(403).type('text/plain').send('CSRF token validation failed');
          return;
        }
      }
    }

    if (isPage) {
      res.on('finish', () => {
        if (res.statusCode !== 200) return;
        if (state.failure) state.failure.served += 1;
        const due = state.changes.filter((change) => entityTargets[change.entity]!.service === service);
        if (due.length === 0) return;
        state.changes = state.changes.filter((change) => !due.includes(change));
        gate = (async () => {
          for (const change of due) await applyChange(change);
        })().catch((error: unknown) => {
          // A change the table refuses (a field it does not have) must not block every later request.
          console.error('[peer] changeBetweenPages failed:', error);
        });
      });
    }
    next();
  });

  function attach(service: any): void {
    if (service.name !== 'API_BUSINESS_PARTNER') {
      // Dataverse honours `Prefer: odata.maxpagesize=n` (a smaller page than the server's); CAP does not, so
      // this handler narrows the page CAP's paging set (it runs after it; the next $skiptoken follows the rows).
      service.before('READ', '*', (req: any) => {
        const prefer = String(req.http?.req?.headers?.prefer ?? '');
        const asked = /odata\.maxpagesize=(\d+)/i.exec(prefer);
        const rows = req.query?.SELECT?.limit?.rows;
        if (!asked || !rows || req.http.req.query?.$top !== undefined) return;
        const size = Number(asked[1]);
        if (size > 0 && size < rows.val) rows.val = size;
        req.http.res.setHeader('preference-applied', `odata.maxpagesize=${Math.min(size, rows.val)}`);
      });
    }
    service.before(['CREATE', 'UPDATE', 'UPSERT', 'DELETE'], '*', (req: any) => {
      const entity = String(req.target?.name ?? '')
        .split('.')
        .pop()!;
      const rule = state.refusals.find((candidate) => {
        if (candidate.entity !== entity) return false;
        if (candidate.times !== undefined && candidate.used >= candidate.times) return false;
        if (candidate.key === undefined) return true;
        const target = entityTargets[entity];
        if (!target) return false;
        const wanted = keyValues(candidate.key, target.keys);
        const last = Array.isArray(req.params) ? req.params[req.params.length - 1] : undefined;
        const given = { ...(typeof last === 'object' ? last : { [target.keys[0]!]: last }), ...req.data };
        return Object.entries(wanted).every(([name, value]) => String(given[name]) === value);
      });
      if (!rule) return;
      rule.used += 1;
      req.reject(rule.status, rule.message);
    });
  }

  return { router, attach };
}
