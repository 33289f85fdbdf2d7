import { amountRefusal, isPlainDecimal } from '@lessor/domain-values';
import { isKnownCurrency } from '@lessor/reference-data';

/**
 * Why an amount of money received cannot be taken, or null: it must be a plain decimal (no sign, exponent or
 * thousands separator), above zero, in an active ISO 4217 currency, with no more decimals than the currency
 * has. Too many decimals are refused, never rounded (`amountRefusal`): nobody's payment should change by a
 * rounding unseen.
 */
export function receivedAmountProblem(amount: string, currency: string): string | null {
  if (!isKnownCurrency(currency))
    return `currency ${JSON.stringify(currency)} is not an active ISO 4217 code`;
  if (!isPlainDecimal(amount)) return `amount ${JSON.stringify(amount)} is not a decimal like 1250.00`;
  const refusal = amountRefusal({ amount, currency }, 'positive');
  if (refusal?.reason === 'not-positive') return 'amount must be greater than zero';
  if (refusal?.reason === 'too-many-decimals')
    return `amount has more than ${refusal.minorUnits} decimals for ${currency}`;
  return null;
}
