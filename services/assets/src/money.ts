import { Decimal } from 'decimal.js';
import { currencyMinorUnits } from '@lessor/reference-data';
import type { FieldError } from '@lessor/service-kit';

/** An amount of money as the API and the events carry it: a decimal string and an ISO 4217 code. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Whether a lower bound applies: a price must be above zero, a premium may be zero. */
export type AmountRule = 'positive' | 'non-negative';

/**
 * What is wrong with an amount of money, as field errors under `pointer` (`/body/price`): an unknown
 * currency, a negative (or, for `positive`, zero) amount, or more decimals than the currency has. An amount
 * with too many decimals is refused, not rounded: nobody's price should change by a rounding they did not see.
 */
export function moneyErrors(money: MoneyValue, pointer: string, rule: AmountRule): FieldError[] {
  const units = currencyMinorUnits(money.currency);
  if (units === undefined) {
    return [{ field: `${pointer}/currency`, message: 'is not an active ISO 4217 currency code' }];
  }
  const amount = new Decimal(money.amount);
  if (rule === 'positive' ? amount.lte(0) : amount.lt(0)) {
    const message = rule === 'positive' ? 'must be greater than zero' : 'must not be negative';
    return [{ field: `${pointer}/amount`, message }];
  }
  if (amount.decimalPlaces() > units) {
    return [
      { field: `${pointer}/amount`, message: `must have at most ${units} decimals in ${money.currency}` },
    ];
  }
  return [];
}

/**
 * The amount written with exactly its currency's decimals (`1250` → `1250.00` in EUR), as stored numerics
 * are shown. Only pads or drops trailing zeros: `moneyErrors` has refused anything that would need rounding.
 */
export function formatAmount(amount: string, currency: string): string {
  return new Decimal(amount).toFixed(currencyMinorUnits(currency) ?? 2);
}

/** A stored amount and currency as the API shows them. */
export function moneyView(amount: string, currency: string): MoneyValue {
  return { amount: formatAmount(amount, currency), currency };
}
