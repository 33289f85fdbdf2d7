import { Decimal } from 'decimal.js';
import { currencyMinorUnits } from '@lessor/reference-data';

/** An amount of money as the API and the events carry it: a decimal string and an ISO 4217 code. */
export interface Money {
  amount: string;
  currency: string;
}

/** A decimal string as events and requests carry it: an optional minus, up to 15 digits, up to 6 decimals. */
export function isDecimal(text: string): boolean {
  const [whole, fraction, ...rest] = text.split('.');
  return (
    rest.length === 0 &&
    /^-?\d{1,15}$/.test(whole ?? '') &&
    (fraction === undefined || /^\d{1,6}$/.test(fraction))
  );
}

/**
 * The minor-unit decimals of a currency (EUR 2, JPY 0, KWD 3), from the one ISO 4217 list every service uses
 * (reference-data). Requests refuse any other code; an event's currency was checked by its publisher, and a
 * code that left the list since is shown with 2 decimals rather than refused.
 */
export function minorUnits(currency: string): number {
  return currencyMinorUnits(currency) ?? 2;
}

/** A stored or computed amount written with at least its currency's decimals (`1250` → `1250.00` in EUR). */
export function formatAmount(amount: Decimal.Value, currency: string): string {
  const value = new Decimal(amount);
  const units = minorUnits(currency);
  // Never rounds: an amount booked with more decimals than the currency has (events may carry up to 6) is
  // shown with all of them.
  return value.toFixed(Math.max(units, value.decimalPlaces()));
}

export function money(amount: Decimal.Value, currency: string): Money {
  return { amount: formatAmount(amount, currency), currency };
}

export { Decimal };
