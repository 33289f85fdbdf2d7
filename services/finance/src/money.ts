import { Decimal } from 'decimal.js';

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
 * The minor-unit decimals of a currency (EUR 2, JPY 0, KWD 3), from the runtime's ICU data, which follows
 * ISO 4217. Used only where finance itself rounds: a conversion into a reporting currency.
 */
export function minorUnits(currency: string): number {
  let units = MINOR_UNITS.get(currency);
  if (units === undefined) {
    try {
      units = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits as number;
    } catch {
      units = 2;
    }
    MINOR_UNITS.set(currency, units);
  }
  return units;
}

// Building a NumberFormat costs far more than a posting's arithmetic: each currency's answer is kept.
const MINOR_UNITS = new Map<string, number>();

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
