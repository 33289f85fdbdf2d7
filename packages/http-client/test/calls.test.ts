import { createServiceTokenProvider } from '@lessor/auth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceClient,
  EgressRefusedError,
  UpstreamResponseError,
  UpstreamUnavailableError,
  type ServiceClient,
  type ServiceClientOptions,
} from '../src/index.ts';
import {
  CONFLICT_PROBLEM,
  rejectionOf,
  startUpstreamServer,
  unusedBaseUrl,
  type UpstreamServer,
} from './upstream-server.ts';

let server: UpstreamServer;
const clients: ServiceClient[] = [];

beforeEach(async () => {
  server = await startUpstreamServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

function clientOf(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = createServiceClient({ service: 'parties', baseUrl: server.baseUrl, ...options });
  clients.push(client);
  return client;
}

async function unavailable(promise: Promise<unknown>): Promise<UpstreamUnavailableError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(UpstreamUnavailableError);
  return error as UpstreamUnavailableError;
}

describe('deadline', () => {
  it('should fail with reason timeout at its deadline when the service never answers', async () => {
    const client = clientOf({ deadlineMs: 300 });

    // /v1/hang answers only after the caller has hung up: the call ends by its deadline or not at all.
    const error = await unavailable(client.get('/v1/hang'));

    expect(error.reason).toBe('timeout');
    expect(error.service).toBe('parties');
    expect(error.message).toContain('GET /v1/hang');
    // Never a second attempt past the deadline (on a loaded machine the one attempt may not even have arrived).
    expect(server.seen('/v1/hang').length).toBeLessThanOrEqual(1);
  });

  it('should use the deadline of the call when it is given one', async () => {
    const client = clientOf({ deadlineMs: 60_000 });

    // The client's own deadline is a minute: only the call's 200 ms can end a call to /v1/hang within the test.
    const error = await unavailable(client.get('/v1/hang', { deadlineMs: 200 }));

    expect(error.reason).toBe('timeout');
  });

  it('should retry an attempt that timed out when attemptTimeoutMs leaves time for another', async () => {
    const client = clientOf({ deadlineMs: 1500, retry: { attemptTimeoutMs: 200 } });

    await expect(client.get('/v1/slow-once')).resolves.toEqual({ attempt: 2 });
    expect(server.seen('/v1/slow-once')).toHaveLength(2);
  });
});

describe('retries', () => {
  it('should retry a GET until it succeeds when the service answers 503 twice', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    await expect(client.get('/v1/flaky')).resolves.toEqual({ ok: true, calls: 3 });
    expect(server.seen('/v1/flaky')).toHaveLength(3);
  });

  it('should try a POST once when it carries no idempotency key', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    const error = await unavailable(
      client.request({ method: 'POST', path: '/v1/flaky', body: { name: 'ACME' } }),
    );

    expect(error.reason).toBe('server-error');
    expect(error.status).toBe(503);
    expect(server.seen('/v1/flaky')).toHaveLength(1);
  });

  it('should retry a POST and resend its key each time when it carries an idempotency key', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    const answer = await client.request({
      method: 'POST',
      path: '/v1/flaky',
      body: { name: 'ACME' },
      idempotencyKey: 'create-acme-1',
    });

    expect(answer).toMatchObject({ status: 200, body: { ok: true, calls: 3 } });
    const seen = server.seen('/v1/flaky');
    expect(seen.map((request) => request.headers['idempotency-key'])).toEqual([
      'create-acme-1',
      'create-acme-1',
      'create-acme-1',
    ]);
    expect(seen.map((request) => request.body)).toEqual([
      { name: 'ACME' },
      { name: 'ACME' },
      { name: 'ACME' },
    ]);
  });

  it('should give up with server-error after maxAttempts when the service keeps answering 503', async () => {
    server.flakyFailuresLeft = 10;
    const client = clientOf({ deadlineMs: 2000, retry: { maxAttempts: 4 } });

    const error = await unavailable(client.get('/v1/flaky'));

    expect(error).toMatchObject({ reason: 'server-error', status: 503 });
    expect(server.seen('/v1/flaky')).toHaveLength(4);
  });

  it('should not retry a 500 when the service failed on the request itself', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    const error = await unavailable(client.get('/v1/broken'));

    expect(error).toMatchObject({ reason: 'server-error', status: 500 });
    expect(server.seen('/v1/broken')).toHaveLength(1);
  });

  it('should retry after Retry-After when a 429 asks for a wait that fits the deadline', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    await expect(client.get('/v1/rate-limited', { query: { after: 0 } })).resolves.toEqual({ ok: true });
    expect(server.seen('/v1/rate-limited')).toHaveLength(2);
  });

  it('should fail at once with rate-limited when a 429 asks for a wait beyond the deadline', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    const error = await unavailable(client.get('/v1/rate-limited', { query: { after: 60 } }));

    expect(error).toMatchObject({ reason: 'rate-limited', status: 429 });
    expect(server.seen('/v1/rate-limited')).toHaveLength(1);
  });

  it('should fail with unreachable and name the cause when nothing listens', async () => {
    const client = createServiceClient({
      service: 'parties',
      baseUrl: await unusedBaseUrl(),
      deadlineMs: 2000,
    });
    clients.push(client);

    const error = await unavailable(client.get('/v1/parties/1'));

    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('refusals', () => {
  it('should surface the problem body and not retry when the service answers 4xx', async () => {
    const client = clientOf({ deadlineMs: 2000 });

    const error = await rejectionOf(client.get('/v1/refuse'));

    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect(error).toMatchObject({ service: 'parties', status: 409, problem: CONFLICT_PROBLEM });
    expect((error as Error).message).toContain('Party has active contracts');
    expect(server.seen('/v1/refuse')).toHaveLength(1);
  });
});

describe('headers', () => {
  it('should forward the traceparent and extra headers when the client is given them', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const client = clientOf({
      traceparent: () => traceparent,
      headers: () => ({ 'x-request-id': 'req-42' }),
    });

    const answer = await client.request<{ headers: Record<string, string> }>({
      method: 'PUT',
      path: '/v1/echo',
      body: { name: 'ACME' },
      headers: { 'x-tenant': 'lessor-demo' },
    });

    expect(answer.body.headers).toMatchObject({
      traceparent,
      'x-request-id': 'req-42',
      'x-tenant': 'lessor-demo',
      'content-type': 'application/json',
    });
    expect(answer.body.headers).not.toHaveProperty('traceparent', undefined);
  });

  it('should send the query without its undefined parameters when given a query', async () => {
    const client = clientOf();

    const body = await client.get<{ url: string }>('/v1/echo', {
      query: { limit: 20, active: true, name: 'A&B', cursor: undefined },
    });

    expect(body.url).toBe('/v1/echo?limit=20&active=true&name=A%26B');
  });

  it('should send no traceparent when the source has none', async () => {
    const client = clientOf({ traceparent: () => undefined });

    const body = await client.get<{ headers: Record<string, string> }>('/v1/echo');

    expect(body.headers).not.toHaveProperty('traceparent');
  });
});

describe('service token', () => {
  function tokenProvider() {
    return createServiceTokenProvider({
      tokenUrl: `${server.baseUrl}/oauth/token`,
      clientId: 'leasing',
      clientSecret: 'leasing-secret',
    });
  }

  it('should send the token as a bearer token when the client has a token source', async () => {
    const provider = tokenProvider();
    // The first call fetches the token too: a deadline a loaded machine cannot miss (this test is about the header).
    const client = clientOf({ token: provider.getToken, deadlineMs: 5000 });

    const body = await client.get<{ headers: Record<string, string> }>('/v1/echo');

    expect(body.headers.authorization).toBe('Bearer token-1');
  });

  it('should call onUnauthorized and retry once with a new token when the service answers 401', async () => {
    const provider = tokenProvider();
    let invalidations = 0;
    const client = clientOf({
      token: provider.getToken,
      onUnauthorized: () => {
        invalidations++;
        provider.invalidate();
      },
      deadlineMs: 2000,
    });
    await provider.getToken(); // token-1 is cached…
    server.issuedTokens.push('token-rotated'); // …and the service now wants a newer one

    // A POST without a key is retried too: a 401 means the service did nothing.
    const answer = await client.request({ method: 'POST', path: '/v1/protected', body: {} });

    expect(answer.body).toEqual({ ok: true, token: 'token-3' });
    expect(invalidations).toBe(1);
    expect(server.seen('/v1/protected').map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-3',
    ]);
  });

  it('should fail with 401 after one renewal and keep the token out of the message when every token is refused', async () => {
    server.rejectAllTokens = true;
    const provider = tokenProvider();
    let invalidations = 0;
    const client = clientOf({
      token: provider.getToken,
      onUnauthorized: () => {
        invalidations++;
        provider.invalidate();
      },
      deadlineMs: 2000,
    });

    const error = await rejectionOf(client.get('/v1/protected'));

    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect(error).toMatchObject({ status: 401 });
    expect(invalidations).toBe(1);
    expect(server.seen('/v1/protected')).toHaveLength(2);
    expect((error as Error).message).toContain('[redacted]');
    expect((error as Error).message).not.toMatch(/token-\d/);
  });

  it('should fail with unreachable and send nothing when no token can be obtained', async () => {
    const provider = createServiceTokenProvider({
      tokenUrl: `${await unusedBaseUrl()}/oauth/token`,
      clientId: 'leasing',
      clientSecret: 'leasing-secret',
    });
    const client = clientOf({ token: provider.getToken, deadlineMs: 2000 });

    const error = await unavailable(client.get('/v1/echo'));

    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain('no service token');
    expect(server.seen('/v1/echo')).toHaveLength(0);
  });
});

describe('close', () => {
  it('should refuse calls without sending them when the client is closed', async () => {
    const client = clientOf();
    client.close();

    await expect(client.get('/v1/echo')).rejects.toThrow('closed');
    expect(server.seen('/v1/echo')).toHaveLength(0);
  });

  it('should abort a call in flight when the client is closed', async () => {
    const client = clientOf({ deadlineMs: 10_000 });

    const pending = rejectionOf(client.get('/v1/slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.close();

    expect(await pending).toMatchObject({ message: expect.stringContaining('closed') });
  });

  it("should reject with the caller's reason and leave the breaker closed when the caller aborts", async () => {
    const client = clientOf({ deadlineMs: 10_000, breaker: { consecutiveFailures: 1 } });
    const abandoned = new AbortController();

    const pending = rejectionOf(client.get('/v1/slow', { signal: abandoned.signal }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    abandoned.abort(new Error('the request was abandoned'));

    expect(await pending).toMatchObject({ message: 'the request was abandoned' });
    expect(client.breakerState).toBe('closed');
  });
});

describe('validation', () => {
  it('should refuse options that cannot work when the client is created', () => {
    const base = { service: 'parties', baseUrl: 'http://127.0.0.1:1' };

    expect(() => createServiceClient({ ...base, deadlineMs: 0 })).toThrow(RangeError);
    expect(() => createServiceClient({ ...base, retry: { maxAttempts: 0 } })).toThrow(RangeError);
    expect(() => createServiceClient({ ...base, breaker: { consecutiveFailures: 1.5 } })).toThrow(RangeError);
    expect(() => createServiceClient({ ...base, baseUrl: 'not a url' })).toThrow(TypeError);
  });

  it('should refuse a path that could replace the host when a call is made', async () => {
    const client = clientOf();

    // To an outside host it is egress, refused as such (ADR 26); any other is not a path.
    await expect(client.get('//evil.example/v1/parties')).rejects.toThrow(EgressRefusedError);
    await expect(client.get('https://evil.example/v1/parties')).rejects.toThrow(EgressRefusedError);
    await expect(client.get('//127.0.0.1:1/v1/parties')).rejects.toThrow(TypeError);
    await expect(client.get('v1/parties')).rejects.toThrow(TypeError);
  });

  it('should keep the path prefix of the base URL when it has one', async () => {
    const client = createServiceClient({ service: 'parties', baseUrl: `${server.baseUrl}/v1/` });
    clients.push(client);

    await expect(client.get('/parties/p1')).resolves.toMatchObject({ id: 'p1' });
  });
});
