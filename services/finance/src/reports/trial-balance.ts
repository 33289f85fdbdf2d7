import type { AccountType } from '../accounts/default-chart.ts';
import { Decimal, minorUnits, money, type Money } from '../money.ts';

/** What an account's lines add up to by a date, in the account's currency. */
export interface AccountTotals {
  accountCode: string;
  accountName: string;
  accountType: AccountType;
  currency: string;
  debit: string;
  credit: string;
}

export interface TrialBalanceLine {
  accountCode: string;
  accountName: string;
  accountType: AccountType | 'expense';
  /** The account's own currency. */
  accountCurrency: string;
  /** The balance on its side, in the reporting currency; the other side is zero. */
  debit: Money;
  credit: Money;
  /** The balance in the account's currency and the rate used, when it was converted. */
  converted: { debit: Money; credit: Money; rate: string } | null;
}

export interface TrialBalance {
  currency: string;
  lines: TrialBalanceLine[];
  totalDebit: Money;
  totalCredit: Money;
}

/** The name of the line that takes what rounding a conversion leaves (see `trialBalance`). */
export const TRANSLATION_ROUNDING = 'FX differences (translation rounding)';

/**
 * The trial balance in `currency`: each account's net balance on its side. Accounts in another currency are
 * converted at the rate given for it (`rates`), the result rounded half-up to the reporting currency's minor
 * unit. Each currency's books balance exactly, and one rate converts all of a currency, so only that rounding
 * can make the converted columns differ: the difference is shown on a line of its own against
 * `roundingAccount` (FX differences), and the trial balance always balances.
 */
export function trialBalance(
  totals: readonly AccountTotals[],
  currency: string,
  rates: ReadonlyMap<string, Decimal>,
  roundingAccount: string,
): TrialBalance {
  const decimals = minorUnits(currency);
  const zero = new Decimal(0);
  let debitTotal = zero;
  let creditTotal = zero;
  const lines: TrialBalanceLine[] = [];
  for (const account of totals) {
    const net = new Decimal(account.debit).minus(account.credit);
    if (net.isZero()) continue;
    const foreign = account.currency !== currency;
    const rate = foreign ? rates.get(account.currency) : new Decimal(1);
    if (!rate) throw new Error(`no rate for ${account.currency} → ${currency}`);
    const value = foreign ? net.times(rate).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP) : net;
    const debit = value.isPositive() ? value : zero;
    const credit = value.isNegative() ? value.negated() : zero;
    debitTotal = debitTotal.plus(debit);
    creditTotal = creditTotal.plus(credit);
    lines.push({
      accountCode: account.accountCode,
      accountName: account.accountName,
      accountType: account.accountType,
      accountCurrency: account.currency,
      debit: money(debit, currency),
      credit: money(credit, currency),
      converted: foreign
        ? {
            debit: money(net.isPositive() ? net : zero, account.currency),
            credit: money(net.isNegative() ? net.negated() : zero, account.currency),
            rate: rate.toFixed(),
          }
        : null,
    });
  }
  const difference = debitTotal.minus(creditTotal);
  if (!difference.isZero()) {
    lines.push({
      accountCode: roundingAccount,
      accountName: TRANSLATION_ROUNDING,
      accountType: 'expense',
      accountCurrency: currency,
      debit: money(difference.isNegative() ? difference.negated() : zero, currency),
      credit: money(difference.isPositive() ? difference : zero, currency),
      converted: null,
    });
    if (difference.isNegative()) debitTotal = debitTotal.minus(difference);
    else creditTotal = creditTotal.plus(difference);
  }
  return {
    currency,
    lines,
    totalDebit: money(debitTotal, currency),
    totalCredit: money(creditTotal, currency),
  };
}
