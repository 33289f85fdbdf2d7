/** How a retryable call is retried; see {@link backoffDelayMs}. */
export interface RetryOptions {
  /** Attempts in all, the first included; 1 turns retries off. Default 3. */
  maxAttempts?: number;
  /** Upper bound of the first retry's delay. Default 25 ms. */
  initialDelayMs?: number;
  /** Upper bound of any retry's delay. Default 100 ms. */
  maxDelayMs?: number;
}

/**
 * The delay before retry number `retry` (1 = the first retry): "full jitter" exponential backoff, a random
 * time between 0 and `min(maxDelayMs, initialDelayMs * 2^(retry-1))`. The randomness spreads the retries of
 * many callers that failed at the same moment, so a recovering service is not hit by them all at once.
 */
export function backoffDelayMs(
  retry: number,
  options: { initialDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait a `Retry-After` header asks for (RFC 9110 §10.2.3: delay-seconds or an HTTP date), in ms;
 * `undefined` when the header is absent or unreadable. A date in the past means "now": 0.
 */
export function parseRetryAfterMs(
  header: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Every HTTP-date form starts with the day's name; without that check `Date.parse('-5')` reads a year.
  const date = /^[A-Za-z]{3}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
