import { describe, expect, it, vi } from 'vitest';
import { createBreaker } from './breaker.ts';
import { sendCall, type CallContext } from './call.ts';
import type { FetchedAnswer, FetchLike } from './node-fetch.ts';
import { retryPolicyOf } from './retry.ts';
import type { UpstreamRequest } from './service-client.types.ts';
import { createTokenSource } from './tokens.ts';
import { UpstreamResponseError, UpstreamUnavailableError } from './upstream.errors.ts';

// sendCall with an in-memory fetch: the rules of one call, no network. The real server is in test/calls.test.ts.

function answerOf(status: number, text = '', headers: Record<string, string> = {}): FetchedAnswer {
  return {
    status,
    headers: new Headers({ 'content-type': 'application/json', ...headers }),
    text: () => Promise.resolve(text),
  };
}

/** A fetch that answers each call with the next of `answers` (the last one again when they run out). */
function scripted(...answers: (FetchedAnswer | Error)[]) {
  const sent: { url: string; headers: Headers }[] = [];
  const fetch = vi.fn<FetchLike>((url, init) => {
    sent.push({ url, headers: new Headers(init.headers) });
    const next = answers.length > 1 ? answers.shift() : answers[0];
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next as FetchedAnswer);
  });
  return { fetch, sent };
}

function contextOf(fetch: FetchLike, overrides: Partial<CallContext> = {}): CallContext {
  return {
    service: 'parties',
    baseUrl: 'http://127.0.0.1:8103',
    fetch,
    retry: retryPolicyOf({ maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 }),
    breaker: createBreaker({ consecutiveFailures: 100, halfOpenAfterMs: 1000 }),
    tokens: createTokenSource(undefined),
    options: {},
    logger: undefined,
    isClosed: () => false,
    ...overrides,
  };
}

function send(context: CallContext, request: Partial<UpstreamRequest> = {}, deadlineMs = 5000) {
  return sendCall(
    context,
    { method: 'GET', path: '/v1/parties/p1', ...request },
    'http://127.0.0.1:8103/v1/parties/p1',
    deadlineMs,
    new AbortController().signal,
  );
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('sendCall', () => {
  it('should retry a GET on 503 and resolve with the answer that follows', async () => {
    const { fetch } = scripted(answerOf(503), answerOf(200, '{"id":"p1"}'));

    await expect(send(contextOf(fetch))).resolves.toMatchObject({ status: 200, text: '{"id":"p1"}' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('should send a POST without idempotency key once and fail with server-error', async () => {
    const { fetch } = scripted(answerOf(503));

    const error = await rejectionOf(send(contextOf(fetch), { method: 'POST', body: {} }));

    expect(error).toMatchObject({ name: 'UpstreamUnavailableError', reason: 'server-error', status: 503 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('should resend the idempotency key on every attempt of a POST that carries one', async () => {
    const { fetch, sent } = scripted(answerOf(502), answerOf(201, '{}'));

    await send(contextOf(fetch), { method: 'POST', body: {}, idempotencyKey: 'kyc-c1' });

    expect(sent.map((call) => call.headers.get('idempotency-key'))).toEqual(['kyc-c1', 'kyc-c1']);
  });

  it('should say how many attempts were made and name the network code when the service stays unreachable', async () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    const { fetch } = scripted(refused);

    const error = await rejectionOf(send(contextOf(fetch)));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ reason: 'unreachable' });
    expect((error as Error).message).toBe(
      'parties is unavailable (unreachable): GET /v1/parties/p1 could not reach 127.0.0.1:8103 (ECONNREFUSED) (3 attempts)',
    );
  });

  it('should fail at once with rate-limited when Retry-After does not fit the deadline', async () => {
    const { fetch } = scripted(answerOf(429, '', { 'retry-after': '5' }));

    const error = await rejectionOf(send(contextOf(fetch), {}, 300));

    expect(error).toMatchObject({ reason: 'rate-limited', status: 429 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('should renew the token once on 401 and keep every token out of the refusal it then gives', async () => {
    const issued = ['token-1', 'token-2'];
    const onUnauthorized = vi.fn();
    const { fetch, sent } = scripted(
      answerOf(401, '{"title":"Unauthorized","detail":"token-1 expired"}'),
      answerOf(401, '{"title":"Unauthorized","detail":"token-2 refused"}'),
    );
    const context = contextOf(fetch, {
      tokens: createTokenSource(() => Promise.resolve(issued.shift() ?? 'token-3')),
      options: { onUnauthorized },
    });

    const error = await rejectionOf(send(context, { method: 'POST', body: {} }));

    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(sent.map((call) => call.headers.get('authorization'))).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ]);
    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect((error as Error).message).toBe(
      'parties refused POST /v1/parties/p1: 401 Unauthorized: [redacted] refused',
    );
  });

  it('should fail with circuit-open and send nothing when the breaker is open', async () => {
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 60_000 });
    const { fetch } = scripted(answerOf(503));
    await rejectionOf(send(contextOf(fetch, { breaker, retry: retryPolicyOf({ maxAttempts: 1 }) })));

    const error = await rejectionOf(send(contextOf(fetch, { breaker })));

    expect(error).toMatchObject({ reason: 'circuit-open' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('should not retry a 4xx and hand its problem to the caller', async () => {
    const { fetch } = scripted(answerOf(404, '{"title":"Not Found"}'));

    const error = await rejectionOf(send(contextOf(fetch)));

    expect(error).toMatchObject({
      name: 'UpstreamResponseError',
      status: 404,
      problem: { title: 'Not Found' },
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
