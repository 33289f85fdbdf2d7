/**
 * Exact decimal arithmetic on BigInt, for the hot paths of a schedule (one row after another).
 *
 * A value is `m × 10^e` with an integer `m` (a BigInt) and an integer exponent `e`; money is usually kept as a
 * bare BigInt of minor units (`e` = −decimals). The schedule's rules were written, and are tested, against
 * decimal.js with 40 significant digits and half-up rounding (see ./decimal.ts), so each operation here gives
 * exactly what that decimal.js operation gives: the exact result, then — only when it has more than 40
 * significant digits — rounded half-up (ties away from zero) to 40. decimal.js rounds plus, minus, times and
 * div correctly (as if computed to infinite precision first), so exact-then-round is the same value. For the
 * amounts of a lease (at most 40 digits in minor units) sums, differences and products by a short rate are
 * exact and the rounding never happens; a product by a rate with 40 digits (9.5 / 1 200 = 0.0079166…667) and a
 * quotient by a day basis are rounded to 40 digits, then to the minor unit — two roundings, as before.
 */

/** A decimal value m × 10^e. */
export interface Fixed {
  m: bigint;
  e: number;
}

/** decimal.js's precision in this package (./decimal.ts). */
export const SIGNIFICANT_DIGITS = 40;

const powers: bigint[] = [1n];

/** 10^k as a BigInt (k ≥ 0), cached. */
export function pow10(k: number): bigint {
  for (let i = powers.length; i <= k; i++) powers.push(powers[i - 1]! * 10n);
  return powers[k]!;
}

const LIMIT = pow10(SIGNIFICANT_DIGITS);

/** The number of decimal digits of `m` > 0. */
function digitCount(m: bigint): number {
  const approximate = Number(m);
  let k = Number.isFinite(approximate) ? Math.floor(Math.log10(approximate)) + 1 : m.toString().length;
  if (k < 1) k = 1;
  while (m >= pow10(k)) k++;
  while (k > 1 && m < pow10(k - 1)) k--;
  return k;
}

/** |m| / 10^k rounded half-up (away from zero), keeping the sign. */
function shiftRound(m: bigint, k: number): bigint {
  if (k <= 0) return m * pow10(-k);
  const negative = m < 0n;
  const magnitude = negative ? -m : m;
  const divisor = pow10(k);
  let quotient = magnitude / divisor;
  // Half-up: the dropped digits are at least half a unit of the last kept one.
  if ((magnitude - quotient * divisor) * 2n >= divisor) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** `m × 10^e` rounded half-up to 40 significant digits (unchanged when it has no more). */
export function round40(m: bigint, e: number): Fixed {
  if (m < LIMIT && m > -LIMIT) return { m, e };
  const excess = digitCount(m < 0n ? -m : m) - SIGNIFICANT_DIGITS;
  return { m: shiftRound(m, excess), e: e + excess };
}

/** An integer count of 10^e units, rounded to 40 significant digits (a sum or difference of amounts). */
export function units40(m: bigint, e: number): bigint {
  if (m < LIMIT && m > -LIMIT) return m;
  const rounded = round40(m, e);
  return rounded.m * pow10(rounded.e - e);
}

/** a × b, rounded to 40 significant digits (decimal.js `times`). */
export function times(a: Fixed, b: Fixed): Fixed {
  return round40(a.m * b.m, a.e + b.e);
}

/** a / b (b ≠ 0), correctly rounded half-up to 40 significant digits (decimal.js `div`). */
export function divide(a: Fixed, b: Fixed): Fixed {
  if (a.m === 0n) return { m: 0n, e: 0 };
  const negative = a.m < 0n !== b.m < 0n;
  const numerator = a.m < 0n ? -a.m : a.m;
  const denominator = b.m < 0n ? -b.m : b.m;
  // Scale so the truncated quotient has at least 41 digits; its dropped digits then decide half-up exactly
  // (the exact quotient is at least half a unit above the kept digits iff the dropped digits are).
  const scale = Math.max(0, SIGNIFICANT_DIGITS + 1 + digitCount(denominator) - digitCount(numerator));
  const quotient = (numerator * pow10(scale)) / denominator;
  const excess = digitCount(quotient) - SIGNIFICANT_DIGITS;
  const m = shiftRound(quotient, excess);
  return { m: negative ? -m : m, e: a.e - b.e - scale + excess };
}

/** a + b, rounded to 40 significant digits (decimal.js `plus`). */
export function plus(a: Fixed, b: Fixed): Fixed {
  if (a.e === b.e) return round40(a.m + b.m, a.e);
  if (a.e < b.e) return round40(a.m + b.m * pow10(b.e - a.e), a.e);
  return round40(a.m * pow10(a.e - b.e) + b.m, b.e);
}

/** a − b, rounded to 40 significant digits (decimal.js `minus`). */
export function minus(a: Fixed, b: Fixed): Fixed {
  return plus(a, { m: -b.m, e: b.e });
}

// decimal.js stores digits in words of 7 (base 10^7), aligned on powers of 10 that are multiples of 7.
const WORD_DIGITS = 7;
// intPow keeps ceil(precision / 7 + 4) words of each intermediate: 10, i.e. up to 70 digits.
const POWER_WORDS = Math.ceil(SIGNIFICANT_DIGITS / WORD_DIGITS + 4);

/** Cuts `value` (> 0) after its first POWER_WORDS words, as decimal.js's `truncate(x.d, k)` does. */
function truncateWords(value: Fixed): { value: Fixed; truncated: boolean } {
  const leading = digitCount(value.m) - 1 + value.e;
  const lowest = WORD_DIGITS * (Math.floor(leading / WORD_DIGITS) - POWER_WORDS + 1);
  if (value.e >= lowest) return { value, truncated: false };
  const divisor = pow10(lowest - value.e);
  const kept = value.m / divisor;
  return { value: { m: kept, e: lowest }, truncated: kept * divisor !== value.m };
}

/**
 * x^n for an integer n ≥ 1 and x > 0, exactly as decimal.js's `pow` computes it (its `intPow`): squaring
 * and multiplying exactly, each intermediate cut to 10 words of 7 digits, the last word nudged up when the
 * cut left it 0 (a sticky digit), then rounded half-up to 40 digits. Not the correctly rounded power, but the
 * same digits as before — which the seasonal discount factors (1 + r)^j need to give the same cents.
 */
export function power(x: Fixed, n: number): Fixed {
  if (x.e <= 0 ? x.m === pow10(-x.e) : false) return x;
  if (n === 1) return round40(x.m, x.e);
  let result: Fixed = { m: 1n, e: 0 };
  let base = x;
  let truncated = false;
  let lastCut = false;
  let remaining = n;
  for (;;) {
    if (remaining % 2) {
      const cut = truncateWords({ m: result.m * base.m, e: result.e + base.e });
      result = cut.value;
      lastCut = cut.truncated;
      if (cut.truncated) truncated = true;
    }
    remaining = Math.floor(remaining / 2);
    if (remaining === 0) {
      // decimal.js: "to ensure correct rounding when r.d is truncated, increment the last word if it is zero".
      // Its words end with a 0 only when the last product was cut (otherwise trailing zero words are dropped),
      // and then the last word is the lowest 7 digits kept.
      if (truncated && lastCut && result.m % pow10(WORD_DIGITS) === 0n)
        result = { m: result.m + 1n, e: result.e };
      break;
    }
    base = truncateWords({ m: base.m * base.m, e: base.e + base.e }).value;
  }
  return round40(result.m, result.e);
}

/** The value as a count of 10^−decimals units, rounded half-up (the package's one rounding rule, ./decimal.ts). */
export function toUnits(value: Fixed, decimals: number): bigint {
  return shiftRound(value.m, -decimals - value.e);
}

/** Parses a plain decimal string ("-1200.50", "0.0079166") into m × 10^e; no exponent notation. */
export function parseFixed(text: string): Fixed {
  const point = text.indexOf('.');
  if (point < 0) return { m: BigInt(text), e: 0 };
  return { m: BigInt(text.slice(0, point) + text.slice(point + 1)), e: point + 1 - text.length };
}

/** A decimal string with exactly `decimals` places into minor units; any other form through parseFixed. */
export function parseUnits(text: string, decimals: number): Fixed {
  const fixed = parseFixed(text);
  return fixed.e >= -decimals ? { m: fixed.m * pow10(fixed.e + decimals), e: -decimals } : fixed;
}

/** Formats `units` × 10^−decimals with exactly `decimals` places ("-3.93", "0.00", "1200"). */
export function formatUnits(units: bigint, decimals: number): string {
  if (decimals === 0) return units.toString();
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (digits.length <= decimals) digits = '0'.repeat(decimals - digits.length + 1) + digits;
  const cut = digits.length - decimals;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** Formats a value rounded half-up to exactly `decimals` places (./decimal.ts `formatFixed`). */
export function formatFixedValue(value: Fixed, decimals: number): string {
  return formatUnits(toUnits(value, decimals), decimals);
}
