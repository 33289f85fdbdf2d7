import { Decimal as DecimalJs } from 'decimal.js';
import { currencyMinorUnits, isKnownCurrency } from '@lessor/reference-data';

/**
 * Lessor's Decimal for money: 40 significant digits (an amount of 15 digits and 6 decimals times a rate still
 * fits), ties rounded half-up. A local clone, so nothing else in the process can change its settings
 * (`Decimal.set` is global).
 */
export const D = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });

/** A decimal.js value; instances of any clone are accepted wherever one is taken. */
export type Decimal = DecimalJs;

export const ZERO = new D(0);

/** An amount of money as the API and the events carry it: a decimal string and an ISO 4217 code. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

/**
 * The decimals of a currency's minor unit (EUR 2, JPY 0, KWD 3), from the one ISO 4217 list
 * (`@lessor/reference-data`); 2 for a code the list lacks. Requests refuse such a code, so it only comes from
 * an event or a stored row checked when the code was still listed, and is shown rather than refused.
 */
export function minorUnits(currency: string): number {
  return currencyMinorUnits(currency) ?? 2;
}

/**
 * Rounds half-up (ties away from zero) to the currency's minor unit: the rule of every amount Lessor
 * computes (a penalty, an allocation share), applied where it is computed.
 */
export function roundToMinor(value: string | Decimal, currency: string): Decimal {
  return new D(value).toDecimalPlaces(minorUnits(currency), DecimalJs.ROUND_HALF_UP);
}

/**
 * The amount with exactly its currency's decimals (`1250` → `1250.00` in EUR), rounded half-up to them and
 * never written `-0.00`. For amounts that are exact already (refused on the way in when they had more
 * decimals, or rounded where computed) this only pads or drops trailing zeros.
 */
export function formatAmount(amount: string | Decimal, currency: string): string {
  const value = roundToMinor(amount, currency);
  return (value.isZero() ? ZERO : value).toFixed(minorUnits(currency));
}

/**
 * The amount with at least its currency's decimals and never rounded: an amount booked with more decimals
 * than the currency has (events may carry up to 6) is shown with all of them. A ledger's rule: what was
 * booked is shown as booked.
 */
export function formatAmountUnrounded(amount: string | Decimal, currency: string): string {
  const value = new D(amount);
  return value.toFixed(Math.max(minorUnits(currency), value.decimalPlaces()));
}

/** `{ amount, currency }` with exactly the currency's decimals ({@link formatAmount}). */
export function money(amount: string | Decimal, currency: string): MoneyValue {
  return { amount: formatAmount(amount, currency), currency };
}

/** `{ amount, currency }` with at least the currency's decimals and never rounded ({@link formatAmountUnrounded}). */
export function moneyUnrounded(amount: string | Decimal, currency: string): MoneyValue {
  return { amount: formatAmountUnrounded(amount, currency), currency };
}

/** The exact sum of decimal strings or decimals. */
export function sum(values: readonly (string | Decimal)[]): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), ZERO);
}

// A plain decimal, checked in two simple parts (whole and fraction) to keep each expression linear.
const WHOLE_PART = /^\d{1,15}$/;
const FRACTION_PART = /^\d{1,6}$/;

/**
 * Whether `text` is a decimal as events and requests carry amounts: up to 15 digits, up to 6 decimals, no
 * exponent, no thousands separator, no sign — or a leading minus when `signed` (a journal line, a posting
 * expression).
 */
export function isPlainDecimal(text: string, options: { signed?: boolean } = {}): boolean {
  const unsigned = options.signed === true && text.startsWith('-') ? text.slice(1) : text;
  const [whole = '', fraction, ...rest] = unsigned.split('.');
  return (
    rest.length === 0 && WHOLE_PART.test(whole) && (fraction === undefined || FRACTION_PART.test(fraction))
  );
}

/** Which lower bound an amount has: a price or a payment must be above zero, a premium may be zero. */
export type AmountRule = 'positive' | 'non-negative';

/**
 * Why an amount cannot be taken, as a value the caller phrases for its own API:
 * - `unknown-currency`: not an active ISO 4217 code with a minor unit;
 * - `not-positive` / `negative`: below the rule's bound;
 * - `too-many-decimals`: more decimals than the currency's `minorUnits`. Refused, never rounded: nobody's
 *   price or payment should change by a rounding they did not see.
 */
export type AmountRefusal =
  | { reason: 'unknown-currency' }
  | { reason: 'not-positive' }
  | { reason: 'negative' }
  | { reason: 'too-many-decimals'; minorUnits: number };

/**
 * The first reason an amount of money cannot be taken under `rule`, or null. The amount must be a decimal
 * string already (the request schema or {@link isPlainDecimal} checked it).
 */
export function amountRefusal(value: MoneyValue, rule: AmountRule): AmountRefusal | null {
  if (!isKnownCurrency(value.currency)) return { reason: 'unknown-currency' };
  const amount = new D(value.amount);
  if (rule === 'positive' && amount.lte(0)) return { reason: 'not-positive' };
  if (rule === 'non-negative' && amount.lt(0)) return { reason: 'negative' };
  const units = minorUnits(value.currency);
  if (amount.decimalPlaces() > units) return { reason: 'too-many-decimals', minorUnits: units };
  return null;
}
