import { Decimal as DecimalJs } from 'decimal.js';
import { currencyMinorUnits, isKnownCurrency } from '@lessor/reference-data';

/**
 * billing's Decimal: 40 significant digits (an amount of 15 digits and 6 decimals times a rate still fits),
 * ties rounded half-up. A local clone, so nothing else in the process can change its settings.
 */
export const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = DecimalJs;

export const ZERO = new D(0);

/** An amount as the API and the events carry it. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

export { isKnownCurrency };

/** The decimals of a currency's minor unit; 2 for a code the list lacks (it was checked on the way in). */
export function minorUnits(currency: string): number {
  return currencyMinorUnits(currency) ?? 2;
}

/**
 * The amount with exactly its currency's decimals. Amounts billing stores were exact already (from the
 * schedule, or refused on the way in when they had more decimals); a computed one (a penalty) is rounded
 * half-up where it is computed, so this only pads.
 */
export function formatAmount(amount: string | Decimal, currency: string): string {
  const value = new D(amount).toDecimalPlaces(minorUnits(currency), DecimalJs.ROUND_HALF_UP);
  return (value.isZero() ? ZERO : value).toFixed(minorUnits(currency));
}

/** `{ amount, currency }` with the currency's decimals. */
export function money(amount: string | Decimal, currency: string): MoneyValue {
  return { amount: formatAmount(amount, currency), currency };
}

/** Rounds half-up (ties away from zero) to the currency's minor unit: the rule of every computed amount. */
export function roundToMinor(value: Decimal, currency: string): Decimal {
  return new D(value).toDecimalPlaces(minorUnits(currency), DecimalJs.ROUND_HALF_UP);
}

/** The sum of decimal strings. */
export function sum(values: readonly (string | Decimal)[]): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), ZERO);
}

// A plain decimal, checked in two simple parts (whole and fraction) to keep each expression linear.
const WHOLE_PART = /^\d{1,15}$/;
const FRACTION_PART = /^\d{1,6}$/;

function isPlainDecimal(text: string): boolean {
  const [whole = '', fraction, ...rest] = text.split('.');
  return (
    rest.length === 0 && WHOLE_PART.test(whole) && (fraction === undefined || FRACTION_PART.test(fraction))
  );
}

/**
 * Why an amount of money received cannot be taken, or null: it must be a plain decimal (no sign, exponent or
 * thousands separator), above zero, in an active ISO 4217 currency, with no more decimals than the currency
 * has. Too many decimals are refused, never rounded: nobody's payment should change by a rounding unseen.
 */
export function receivedAmountProblem(amount: string, currency: string): string | null {
  if (!isKnownCurrency(currency))
    return `currency ${JSON.stringify(currency)} is not an active ISO 4217 code`;
  if (!isPlainDecimal(amount)) return `amount ${JSON.stringify(amount)} is not a decimal like 1250.00`;
  const value = new D(amount);
  if (value.lte(0)) return 'amount must be greater than zero';
  if (value.decimalPlaces() > minorUnits(currency))
    return `amount has more than ${minorUnits(currency)} decimals for ${currency}`;
  return null;
}
