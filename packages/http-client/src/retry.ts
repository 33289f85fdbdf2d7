import type { AttemptFailure } from './attempt.ts';
import { backoffDelayMs, type RetryOptions } from './backoff.ts';
import type { HttpMethod } from './service-client.types.ts';
import { requirePositive, requirePositiveInteger } from './validate.ts';

/** Which calls are retried, which failures, and how long to wait before the next attempt. */

/** The retry settings of a client, defaults filled in. */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  attemptTimeoutMs: number | undefined;
}

// A proxy or an instance that is down or restarting; a 500 is the service failing on this request, and will again.
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
// Below this, an attempt cannot do a round trip on a loaded host; waiting to send it only makes the caller later.
export const MIN_ATTEMPT_MS = 10;

/** The client's retry options with their defaults (3 attempts, 25 ms, 100 ms), refused when they cannot work. */
export function retryPolicyOf(
  options: (RetryOptions & { attemptTimeoutMs?: number }) | undefined,
): RetryPolicy {
  const policy = {
    maxAttempts: options?.maxAttempts ?? 3,
    initialDelayMs: options?.initialDelayMs ?? 25,
    maxDelayMs: options?.maxDelayMs ?? 100,
    attemptTimeoutMs: options?.attemptTimeoutMs,
  };
  requirePositive('retry.initialDelayMs', policy.initialDelayMs, true);
  requirePositive('retry.maxDelayMs', policy.maxDelayMs, true);
  if (policy.attemptTimeoutMs !== undefined)
    requirePositive('retry.attemptTimeoutMs', policy.attemptTimeoutMs);
  requirePositiveInteger('retry.maxAttempts', policy.maxAttempts);
  return policy;
}

/**
 * Whether a call may be sent twice: GET, HEAD, PUT and DELETE are idempotent by definition; a POST or PATCH only
 * with an idempotency key, which the service applies once. Without one, a retried POST after a lost answer
 * could create a second invoice.
 */
export function isIdempotent(method: HttpMethod, idempotencyKey: string | undefined): boolean {
  return (
    method === 'GET' ||
    method === 'HEAD' ||
    method === 'PUT' ||
    method === 'DELETE' ||
    idempotencyKey !== undefined
  );
}

/** Network errors, timeouts, 502/503/504 and 429 may pass on a second try; a 500 will not. */
export function isRetryableFailure(failure: AttemptFailure): boolean {
  const { status } = failure.detail;
  return failure.kind !== 'server-error' || status === 429 || RETRYABLE_STATUSES.has(status ?? 0);
}

/**
 * The wait before attempt `attemptNo + 1` after `failure`, or `undefined` when the call must fail now: it is
 * not idempotent, the failure is not retryable, the attempts are used up, or the wait (`Retry-After`, else
 * jittered backoff) would not leave {@link MIN_ATTEMPT_MS} for the next attempt within `remainingMs`.
 */
export function retryDelayMs(
  failure: AttemptFailure,
  attempt: { attemptNo: number; idempotent: boolean; remainingMs: number },
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  const delayMs = failure.detail.retryAfterMs ?? backoffDelayMs(attempt.attemptNo, policy, random);
  const fitsDeadline = delayMs + MIN_ATTEMPT_MS < attempt.remainingMs;
  if (!attempt.idempotent || !isRetryableFailure(failure) || attempt.attemptNo >= policy.maxAttempts)
    return undefined;
  return fitsDeadline ? delayMs : undefined;
}
