import { Decimal as DecimalJs } from 'decimal.js';

/**
 * The package's own Decimal constructor: 40 significant digits, ties rounded half-up. A local clone, so no
 * other code in the process can change the precision or rounding mode under us (Decimal.set is global).
 */
export const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });

/** A decimal.js value; instances of any clone are accepted wherever one is taken. */
export type Decimal = DecimalJs;

export const ZERO = new D(0);
export const ONE = new D(1);
export const HUNDRED = new D(100);

// Plain decimal notation only: no exponent, no sign but a leading minus, no spaces, no thousands separators,
// no leading zeros. Checked in two simple parts, whole and fraction, to keep each expression linear.
const WHOLE_PART = /^-?(?:0|[1-9]\d*)$/;
const FRACTION_PART = /^\d+$/;

/** Whether `value` is a decimal string such as "1200.50" (the only form amounts and rates are accepted in). */
export function isDecimalString(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64) return false;
  const [whole = '', fraction, ...rest] = value.split('.');
  return (
    rest.length === 0 && WHOLE_PART.test(whole) && (fraction === undefined || FRACTION_PART.test(fraction))
  );
}

/**
 * Rounds half-up (ties away from zero) to `decimals` places: the one rounding rule of every money amount
 * in this package, applied to the currency's minor unit.
 */
export function roundHalfUp(value: Decimal, decimals: number): Decimal {
  return new D(value).toDecimalPlaces(decimals, DecimalJs.ROUND_HALF_UP);
}

/** Formats with exactly `decimals` places, never as "-0.00". */
export function formatFixed(value: Decimal, decimals: number): string {
  const rounded = roundHalfUp(value, decimals);
  return (rounded.isZero() ? ZERO : rounded).toFixed(decimals);
}
