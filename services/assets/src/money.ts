import { amountRefusal, type AmountRule, type MoneyValue } from '@lessor/domain-values';
import type { FieldError } from '@lessor/service-kit';

/**
 * What is wrong with an amount of money, as field errors under `pointer` (`/body/price`): an unknown
 * currency, a negative (or, for `positive`, zero) amount, or more decimals than the currency has. The rules
 * are `@lessor/domain-values`' `amountRefusal` (too many decimals are refused, never rounded); the words are
 * assets' own.
 */
export function moneyErrors(money: MoneyValue, pointer: string, rule: AmountRule): FieldError[] {
  const refusal = amountRefusal(money, rule);
  switch (refusal?.reason) {
    case undefined:
      return [];
    case 'unknown-currency':
      return [{ field: `${pointer}/currency`, message: 'is not an active ISO 4217 currency code' }];
    case 'not-positive':
      return [{ field: `${pointer}/amount`, message: 'must be greater than zero' }];
    case 'negative':
      return [{ field: `${pointer}/amount`, message: 'must not be negative' }];
    case 'too-many-decimals':
      return [
        {
          field: `${pointer}/amount`,
          message: `must have at most ${refusal.minorUnits} decimals in ${money.currency}`,
        },
      ];
  }
}
