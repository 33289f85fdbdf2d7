import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttemptFailure } from './attempt.ts';
import { breakerSettingsOf, countsAgainstBreaker, createBreaker, isCircuitOpenError } from './breaker.ts';

// The breaker's clock is Date.now (cockatiel's): a fake one moves the break along without waiting.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const unavailable = () => Promise.reject(new AttemptFailure('server-error', { status: 503 }));
const answered = () => Promise.resolve('ok');

/** Runs `attempt` through the breaker and tells what came out: the value, or the error. */
async function outcomeOf(breaker: ReturnType<typeof createBreaker>, attempt: () => Promise<string>) {
  try {
    return await breaker.execute(attempt);
  } catch (error) {
    return error;
  }
}

describe('createBreaker', () => {
  it('should open after consecutiveFailures counted failures and refuse the next attempt without running it', async () => {
    const onOpen = vi.fn();
    const breaker = createBreaker({ consecutiveFailures: 3, halfOpenAfterMs: 1000 }, { onOpen });
    for (let i = 0; i < 3; i++) await outcomeOf(breaker, unavailable);

    expect(breaker.state).toBe('open');
    expect(onOpen).toHaveBeenCalledTimes(1);
    const attempt = vi.fn(answered);
    expect(isCircuitOpenError(await outcomeOf(breaker, attempt))).toBe(true);
    expect(attempt).not.toHaveBeenCalled();
  });

  it('should start counting again when an attempt succeeds between failures', async () => {
    const breaker = createBreaker({ consecutiveFailures: 3, halfOpenAfterMs: 1000 });
    await outcomeOf(breaker, unavailable);
    await outcomeOf(breaker, unavailable);
    await outcomeOf(breaker, answered);
    await outcomeOf(breaker, unavailable);
    await outcomeOf(breaker, unavailable);

    expect(breaker.state).toBe('closed');
  });

  it('should read half-open once halfOpenAfterMs has passed and close when the trial succeeds', async () => {
    const onClose = vi.fn();
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 1000 }, { onClose });
    await outcomeOf(breaker, unavailable);
    vi.setSystemTime(1_000_999);
    expect(breaker.state).toBe('open');
    vi.setSystemTime(1_001_000);
    expect(breaker.state).toBe('half-open');

    expect(await outcomeOf(breaker, answered)).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('should tell that a trial is under way while it runs', async () => {
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 1000 });
    await outcomeOf(breaker, unavailable);
    vi.setSystemTime(1_002_000);
    let finishTrial = () => {};
    const trial = breaker.execute(
      () => new Promise<string>((resolve) => (finishTrial = () => resolve('ok'))),
    );

    expect(breaker.trialUnderWay).toBe(true);
    finishTrial();
    await trial;
    expect(breaker.trialUnderWay).toBe(false);
  });

  it('should open for another period when the trial fails', async () => {
    const onOpen = vi.fn();
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 1000 }, { onOpen });
    await outcomeOf(breaker, unavailable);
    vi.setSystemTime(1_001_000);
    await outcomeOf(breaker, unavailable);

    expect(breaker.state).toBe('open');
    expect(onOpen).toHaveBeenCalledTimes(2);
    vi.setSystemTime(1_001_999);
    expect(breaker.state).toBe('open');
  });

  it('should stay closed when the failures are the caller giving up or its own stalled loop', async () => {
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 1000 });
    await outcomeOf(breaker, () => Promise.reject(new AttemptFailure('cancelled')));
    await outcomeOf(breaker, () => Promise.reject(new AttemptFailure('timeout', { callerStalledMs: 250 })));
    await outcomeOf(breaker, () => Promise.reject(new TypeError('a bug, not the service')));

    expect(breaker.state).toBe('closed');
  });

  it('should stop telling of changes when disposed', async () => {
    const onOpen = vi.fn();
    const breaker = createBreaker({ consecutiveFailures: 1, halfOpenAfterMs: 1000 }, { onOpen });
    breaker.dispose();
    await outcomeOf(breaker, unavailable);

    expect(onOpen).not.toHaveBeenCalled();
  });
});

describe('countsAgainstBreaker', () => {
  it('should count timeouts, unreachable services and 5xx when they say the service is unavailable', () => {
    expect(countsAgainstBreaker(new AttemptFailure('timeout'))).toBe(true);
    expect(countsAgainstBreaker(new AttemptFailure('unreachable'))).toBe(true);
    expect(countsAgainstBreaker(new AttemptFailure('server-error', { status: 502 }))).toBe(true);
  });

  it('should not count a timeout when the caller’s own loop was stalled through it', () => {
    expect(countsAgainstBreaker(new AttemptFailure('timeout', { callerStalledMs: 180 }))).toBe(false);
  });

  it('should not count a cancelled attempt or an error that is not an attempt failure', () => {
    expect(countsAgainstBreaker(new AttemptFailure('cancelled'))).toBe(false);
    expect(countsAgainstBreaker(new Error('boom'))).toBe(false);
  });
});

describe('breakerSettingsOf', () => {
  it('should fill in 5 failures and 5000 ms when given nothing', () => {
    expect(breakerSettingsOf(undefined)).toEqual({ consecutiveFailures: 5, halfOpenAfterMs: 5000 });
  });

  it('should refuse settings that cannot work', () => {
    expect(() => breakerSettingsOf({ consecutiveFailures: 0 })).toThrow(RangeError);
    expect(() => breakerSettingsOf({ consecutiveFailures: 1.5 })).toThrow(RangeError);
    expect(() => breakerSettingsOf({ halfOpenAfterMs: -1 })).toThrow(RangeError);
    expect(breakerSettingsOf({ halfOpenAfterMs: 0 }).halfOpenAfterMs).toBe(0);
  });
});
