import { describe, expect, it } from 'vitest';
import { AttemptFailure } from './attempt.ts';
import { isIdempotent, isRetryableFailure, MIN_ATTEMPT_MS, retryDelayMs, retryPolicyOf } from './retry.ts';

const policy = retryPolicyOf({ maxAttempts: 3, initialDelayMs: 25, maxDelayMs: 100 });
const top = () => 0.999999;

describe('isIdempotent', () => {
  it('should allow GET, HEAD, PUT and DELETE to be sent twice', () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE'] as const)
      expect(isIdempotent(method, undefined)).toBe(true);
  });

  it('should allow a POST or PATCH only when it carries an idempotency key', () => {
    expect(isIdempotent('POST', undefined)).toBe(false);
    expect(isIdempotent('PATCH', undefined)).toBe(false);
    expect(isIdempotent('POST', 'kyc-c1')).toBe(true);
    expect(isIdempotent('PATCH', 'p-1')).toBe(true);
  });
});

describe('isRetryableFailure', () => {
  it('should retry network errors, timeouts, 502/503/504 and 429', () => {
    expect(isRetryableFailure(new AttemptFailure('unreachable'))).toBe(true);
    expect(isRetryableFailure(new AttemptFailure('timeout'))).toBe(true);
    for (const status of [502, 503, 504, 429])
      expect(isRetryableFailure(new AttemptFailure('server-error', { status }))).toBe(true);
  });

  it('should not retry a 500 or another 5xx when the service failed on the request itself', () => {
    expect(isRetryableFailure(new AttemptFailure('server-error', { status: 500 }))).toBe(false);
    expect(isRetryableFailure(new AttemptFailure('server-error', { status: 501 }))).toBe(false);
  });
});

describe('retryDelayMs', () => {
  const timeout = new AttemptFailure('timeout');

  it('should wait the jittered backoff of the attempt when the call may be retried', () => {
    const attempt = { attemptNo: 2, idempotent: true, remainingMs: 1000 };

    expect(retryDelayMs(timeout, attempt, policy, top)).toBe(49);
  });

  it('should wait what Retry-After asks when the service said so', () => {
    const busy = new AttemptFailure('server-error', { status: 429, retryAfterMs: 200 });

    expect(retryDelayMs(busy, { attemptNo: 1, idempotent: true, remainingMs: 1000 }, policy, top)).toBe(200);
  });

  it('should give up when the wait would not leave MIN_ATTEMPT_MS for the next attempt', () => {
    const busy = new AttemptFailure('server-error', { status: 429, retryAfterMs: 200 });

    expect(
      retryDelayMs(busy, { attemptNo: 1, idempotent: true, remainingMs: 200 + MIN_ATTEMPT_MS }, policy),
    ).toBe(undefined);
    expect(retryDelayMs(busy, { attemptNo: 1, idempotent: true, remainingMs: 211 }, policy)).toBe(200);
  });

  it('should give up when the attempts are used up', () => {
    expect(retryDelayMs(timeout, { attemptNo: 3, idempotent: true, remainingMs: 10_000 }, policy)).toBe(
      undefined,
    );
  });

  it('should give up when the call is not idempotent or the failure not retryable', () => {
    const failed = new AttemptFailure('server-error', { status: 500 });

    expect(retryDelayMs(timeout, { attemptNo: 1, idempotent: false, remainingMs: 10_000 }, policy)).toBe(
      undefined,
    );
    expect(retryDelayMs(failed, { attemptNo: 1, idempotent: true, remainingMs: 10_000 }, policy)).toBe(
      undefined,
    );
  });
});

describe('retryPolicyOf', () => {
  it('should fill in 3 attempts, 25 ms and 100 ms and no attempt timeout when given nothing', () => {
    expect(retryPolicyOf(undefined)).toEqual({
      maxAttempts: 3,
      initialDelayMs: 25,
      maxDelayMs: 100,
      attemptTimeoutMs: undefined,
    });
  });

  it('should refuse options that cannot work', () => {
    expect(() => retryPolicyOf({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => retryPolicyOf({ initialDelayMs: -1 })).toThrow(RangeError);
    expect(() => retryPolicyOf({ maxDelayMs: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => retryPolicyOf({ attemptTimeoutMs: 0 })).toThrow(RangeError);
  });
});
