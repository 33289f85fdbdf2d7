// finance's rule for money on the way out: what was booked is shown as booked. Amounts are written with at
// least their currency's decimals and never rounded — events may carry up to 6 decimals, and a ledger that
// rounded them would no longer add up to what it holds. The helpers live in `@lessor/domain-values`; this file
// only says which of them finance means by `formatAmount` and `money`.
export {
  formatAmountUnrounded as formatAmount,
  minorUnits,
  moneyUnrounded as money,
  type MoneyValue as Money,
} from '@lessor/domain-values';

// finance computes with decimal.js' own defaults (20 significant digits), as it always has.
export { Decimal } from 'decimal.js';
