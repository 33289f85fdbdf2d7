/**
 * `@lessor/domain-values`: the small values of the leasing business that several services share — money
 * (exact decimals, currencies' minor units, the rounding rules), payment references (mod-97 check digits)
 * and business dates. Pure functions, no I/O, no framework.
 */
export {
  amountRefusal,
  D,
  formatAmount,
  formatAmountUnrounded,
  isPlainDecimal,
  minorUnits,
  money,
  moneyUnrounded,
  roundToMinor,
  sum,
  ZERO,
  type AmountRefusal,
  type AmountRule,
  type Decimal,
  type MoneyValue,
} from './money.ts';
export { hasValidCheckDigits, paymentReference } from './payment-reference.ts';
export { addDays, daysBetween, isBusinessDate, laterOf, utcDate, utcToday } from './business-date.ts';
