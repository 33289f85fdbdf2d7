import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isIsolatedCircuitError,
} from 'cockatiel';
import { AttemptFailure } from './attempt.ts';
import type { BreakerState } from './service-client.types.ts';
import { requirePositive, requirePositiveInteger } from './validate.ts';

/** The circuit breaker of one client (cockatiel's `ConsecutiveBreaker`), and what counts against it. */

export interface BreakerSettings {
  consecutiveFailures: number;
  halfOpenAfterMs: number;
}

/** The client's breaker options with their defaults (5 failures, 5000 ms), refused when they cannot work. */
export function breakerSettingsOf(
  options: { consecutiveFailures?: number; halfOpenAfterMs?: number } | undefined,
): BreakerSettings {
  const settings = {
    consecutiveFailures: options?.consecutiveFailures ?? 5,
    halfOpenAfterMs: options?.halfOpenAfterMs ?? 5000,
  };
  requirePositive('halfOpenAfterMs', settings.halfOpenAfterMs, true);
  requirePositiveInteger('breaker.consecutiveFailures', settings.consecutiveFailures);
  return settings;
}

/**
 * Whether a failed attempt counts towards opening the circuit: unavailability does (a timeout, a connection
 * failure, a 5xx); a caller giving up says nothing about the service, nor does a deadline missed while the
 * caller's own event loop was stalled and could not read the answer (issue 13, see loop-stall.ts). An answer
 * (4xx, 429) is never thrown inside the breaker, so it counts as the service being up.
 */
export function countsAgainstBreaker(error: unknown): boolean {
  return (
    error instanceof AttemptFailure &&
    error.kind !== 'cancelled' &&
    error.detail.callerStalledMs === undefined
  );
}

/** Whether `error` is the breaker refusing a call it did not send (open, or isolated). */
export function isCircuitOpenError(error: unknown): boolean {
  return isBrokenCircuitError(error) || isIsolatedCircuitError(error);
}

export interface Breaker {
  /** Runs one attempt through the breaker: refused when open, counted when it fails as {@link countsAgainstBreaker} says. */
  execute<T>(attempt: () => Promise<T>): Promise<T>;
  /** A trial call after a break is under way: other calls fail fast rather than queue behind it. */
  readonly trialUnderWay: boolean;
  /** `half-open` also once the break has lasted `halfOpenAfterMs`: the next call goes through as the trial. */
  readonly state: BreakerState;
  dispose(): void;
}

/**
 * A breaker that opens after `consecutiveFailures` counted failures in a row and lets one trial call through
 * after `halfOpenAfterMs`; the trial's success closes it, its failure opens it for another period. `onOpen`
 * and `onClose` are told of each change (metrics, log lines). Time is `Date.now`, as cockatiel's.
 */
export function createBreaker(
  settings: BreakerSettings,
  events: { onOpen?: () => void; onClose?: () => void } = {},
): Breaker {
  const policy = circuitBreaker(handleWhen(countsAgainstBreaker), {
    halfOpenAfter: settings.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(settings.consecutiveFailures),
  });
  let openedAt = 0;
  const subscriptions = [
    policy.onBreak(() => {
      openedAt = Date.now();
      events.onOpen?.();
    }),
    policy.onReset(() => events.onClose?.()),
  ];
  return {
    execute: (attempt) => policy.execute(attempt),
    get trialUnderWay() {
      return policy.state === CircuitState.HalfOpen;
    },
    get state(): BreakerState {
      switch (policy.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        default:
          // cockatiel moves to half-open only when a call arrives; by then the next call is the trial.
          return policy.state === CircuitState.Open && Date.now() - openedAt >= settings.halfOpenAfterMs
            ? 'half-open'
            : 'open';
      }
    },
    dispose() {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
