import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AttemptFailure, callerStallNote, isCallerStall, sendAttempt } from './attempt.ts';
import type { FetchedAnswer, FetchLike } from './node-fetch.ts';

const init = { method: 'GET', headers: new Headers(), body: undefined };
const notCancelled = () => false;

function answerOf(status: number, text = '', headers: Record<string, string> = {}): FetchedAnswer {
  return { status, headers: new Headers(headers), text: () => Promise.resolve(text) };
}

/** The AttemptFailure an attempt rejects with. */
async function failureOf(promise: Promise<unknown>): Promise<AttemptFailure> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AttemptFailure);
  return error as AttemptFailure;
}

/** Keeps this thread's event loop from running for `ms`, as a long synchronous task would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('sendAttempt', () => {
  it('should resolve with status, headers and text when the answer is below 500', async () => {
    let seen: Parameters<FetchLike>[1] | undefined;
    const fetch: FetchLike = (_url, requestInit) => {
      seen = requestInit;
      return Promise.resolve(answerOf(404, '{"title":"Not Found"}'));
    };
    const signal = new AbortController().signal;

    const answer = await sendAttempt(fetch, 'http://parties/v1/p', init, signal, notCancelled);

    expect(answer).toMatchObject({ status: 404, text: '{"title":"Not Found"}' });
    expect(seen).toMatchObject({ method: 'GET', signal, redirect: 'manual' });
  });

  it('should fail as server-error with its Retry-After when the service answers 5xx', async () => {
    const fetch: FetchLike = () => Promise.resolve(answerOf(503, '', { 'retry-after': '1' }));

    const failure = await failureOf(
      sendAttempt(fetch, 'http://x/', init, new AbortController().signal, notCancelled),
    );

    expect(failure.kind).toBe('server-error');
    expect(failure.detail).toMatchObject({ status: 503, retryAfterMs: 1000 });
  });

  it('should fail as unreachable with its cause when sending fails and nothing aborted', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const fetch: FetchLike = () => Promise.reject(refused);

    const failure = await failureOf(
      sendAttempt(fetch, 'http://x/', init, new AbortController().signal, notCancelled),
    );

    expect(failure.kind).toBe('unreachable');
    expect(failure.cause).toBe(refused);
  });

  it('should fail as cancelled when the caller gave up, whatever the signal says', async () => {
    const controller = new AbortController();
    controller.abort(new Error('abandoned'));
    const fetch: FetchLike = (_url, requestInit) => Promise.reject(requestInit.signal?.reason as Error);

    const failure = await failureOf(sendAttempt(fetch, 'http://x/', init, controller.signal, () => true));

    expect(failure.kind).toBe('cancelled');
  });

  // Whether this timeout is counted depends on how freely this process ran during the wait — on a machine loaded
  // 10x past its cores it may not have; the share rule itself is tested by isCallerStall below.
  it('should fail as a timeout when the signal aborts before the answer', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = async () => {
      // The wait passes on timers, the loop free to run them: a service that did not answer in time.
      await sleep(200);
      controller.abort(new DOMException('the call deadline passed', 'TimeoutError'));
      throw controller.signal.reason as Error;
    };

    const failure = await failureOf(sendAttempt(fetch, 'http://x/', init, controller.signal, notCancelled));

    expect(failure.kind).toBe('timeout');
    expect(failure.cause).toMatchObject({ name: 'TimeoutError' });
  });

  it('should note the stall when the caller’s own loop was blocked for the wait before the timeout', async () => {
    const controller = new AbortController();
    const fetch: FetchLike = () => {
      blockEventLoop(100);
      controller.abort(new DOMException('the call deadline passed', 'TimeoutError'));
      return Promise.reject(controller.signal.reason as Error);
    };

    const failure = await failureOf(sendAttempt(fetch, 'http://x/', init, controller.signal, notCancelled));

    expect(failure.kind).toBe('timeout');
    expect(failure.detail.callerStalledMs).toBeGreaterThanOrEqual(50);
    expect(callerStallNote(failure)).toMatch(
      /event loop was stalled \d+ ms of it, so the circuit breaker did not count it/,
    );
  });
});

describe('isCallerStall', () => {
  it('should blame the caller when its loop was stalled for at least half of the wait', () => {
    expect(isCallerStall(150, 300)).toBe(true);
    expect(isCallerStall(290, 300)).toBe(true);
  });

  it('should blame the service when the caller’s loop was merely busy', () => {
    expect(isCallerStall(15, 100)).toBe(false);
    expect(isCallerStall(149, 300)).toBe(false);
  });
});

describe('callerStallNote', () => {
  it('should say nothing when the failure was not the caller’s own stall', () => {
    expect(callerStallNote(new AttemptFailure('timeout'))).toBe('');
    expect(callerStallNote(new Error('other'))).toBe('');
  });
});
