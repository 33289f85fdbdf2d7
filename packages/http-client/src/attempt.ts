import { parseRetryAfterMs } from './backoff.ts';
import { holdLoopStallMeter, loopStalledMs } from './loop-stall.ts';
import type { FetchLike } from './node-fetch.ts';

/**
 * One attempt of a call: one request sent and its whole answer read under the signal it is given, and, when it
 * fails, why — the classification the retry and breaker rules decide on.
 */

/** An answer read in full: status, headers and the body as text. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export type AttemptFailureKind = 'timeout' | 'unreachable' | 'server-error' | 'cancelled';

/** Why one attempt failed; thrown inside the breaker so that it can count the failures it is told to. */
export class AttemptFailure extends Error {
  constructor(
    readonly kind: AttemptFailureKind,
    readonly detail: {
      status?: number;
      cause?: unknown;
      retryAfterMs?: number;
      /** A timeout during which this process's own event loop was stalled for most of the wait (ms stalled). */
      callerStalledMs?: number;
    } = {},
  ) {
    super(kind, { cause: detail.cause });
  }
}

// A timed-out attempt during which the caller's own event loop was stalled for at least this share of the wait is
// the caller's fault, not the service's (see loop-stall.ts). A loop that merely runs busy stalls a few ms per
// 10 ms tick, well below half; one that takes tens of ms per turn, or is blocked, stalls most of the wait.
export const CALLER_STALL_SHARE = 0.5;

/** Whether a timeout after `waitedMs`, during which the caller's loop was stalled `stalledMs`, is the caller's own. */
export function isCallerStall(stalledMs: number, waitedMs: number): boolean {
  return stalledMs >= waitedMs * CALLER_STALL_SHARE;
}

/** `; this process's event loop was stalled …` when a timeout was the caller's own, else nothing. */
export function callerStallNote(failure: unknown): string {
  const stalled = failure instanceof AttemptFailure ? failure.detail.callerStalledMs : undefined;
  return stalled === undefined
    ? ''
    : `; this process's event loop was stalled ${Math.round(stalled)} ms of it, so the circuit breaker did not count it`;
}

/**
 * Sends one request and reads its whole answer under `signal` (a service that stalls mid-answer still times
 * out). Resolves with any answer below 500; rejects with an {@link AttemptFailure}: `server-error` for a 5xx,
 * `cancelled` when `cancelled()` says the caller gave up, `timeout` when `signal` aborted (noting a stall of the
 * caller's own loop), `unreachable` for any other failure to send or read.
 */
export async function sendAttempt(
  fetchImpl: FetchLike,
  url: string,
  init: { method: string; headers: Headers; body: string | undefined },
  signal: AbortSignal,
  cancelled: () => boolean,
): Promise<Answer> {
  const releaseMeter = holdLoopStallMeter();
  const startedAt = performance.now();
  const stalledAtStart = loopStalledMs();
  try {
    const response = await fetchImpl(url, {
      ...init,
      signal,
      redirect: 'manual',
    } as Parameters<FetchLike>[1]);
    const answer: Answer = {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
    };
    if (answer.status >= 500) {
      throw new AttemptFailure('server-error', {
        status: answer.status,
        retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')),
      });
    }
    return answer;
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    if (cancelled()) throw new AttemptFailure('cancelled', { cause: error });
    if (!signal.aborted) throw new AttemptFailure('unreachable', { cause: error });
    const stalledMs = loopStalledMs() - stalledAtStart;
    const waitedMs = performance.now() - startedAt;
    throw new AttemptFailure('timeout', {
      cause: error,
      ...(isCallerStall(stalledMs, waitedMs) ? { callerStalledMs: stalledMs } : {}),
    });
  } finally {
    releaseMeter();
  }
}
