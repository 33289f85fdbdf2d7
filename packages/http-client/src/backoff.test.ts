import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.ts';

const policy = { initialDelayMs: 25, maxDelayMs: 100 };

describe('backoffDelayMs', () => {
  it('should double the ceiling with each retry when the random draw is at its top', () => {
    const top = () => 0.999999;

    expect([1, 2, 3].map((retry) => backoffDelayMs(retry, policy, top))).toEqual([24, 49, 99]);
  });

  it('should never exceed maxDelayMs when retries go on', () => {
    const top = () => 0.999999;

    expect(backoffDelayMs(4, policy, top)).toBe(99);
    expect(backoffDelayMs(30, policy, top)).toBe(99);
  });

  it('should scale the ceiling by the random draw when jittering', () => {
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(25);
    expect(backoffDelayMs(3, policy, () => 0.25)).toBe(25);
  });

  it('should wait nothing when the random draw is zero', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('should stay within [0, ceiling) when drawing from Math.random', () => {
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelayMs(2, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(50);
    }
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');

  it('should read delay-seconds when the header is a number', () => {
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('should count from now when the header is an HTTP date', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 12:00:03 GMT', now)).toBe(3000);
  });

  it('should answer 0 when the HTTP date is past', () => {
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('should answer undefined when the header is absent or unreadable', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});
