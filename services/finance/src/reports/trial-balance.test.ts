import { describe, expect, it } from 'vitest';
import { Decimal } from '../money.ts';
import { trialBalance, type AccountTotals } from './trial-balance.ts';

const account = (
  accountCode: string,
  currency: string,
  debit: string,
  credit: string,
  accountType: AccountTotals['accountType'] = 'asset',
): AccountTotals => ({
  accountCode,
  accountName: `Account ${accountCode}`,
  accountType,
  currency,
  debit,
  credit,
});

describe('trialBalance', () => {
  it('should net each account on its side and balance when all is in the reporting currency', () => {
    const result = trialBalance(
      [account('1000', 'EUR', '500', '100'), account('2200', 'EUR', '50', '450', 'liability')],
      'EUR',
      new Map(),
      '6900',
    );
    expect(result.lines.map((line) => [line.accountCode, line.debit.amount, line.credit.amount])).toEqual([
      ['1000', '400.00', '0.00'],
      ['2200', '0.00', '400.00'],
    ]);
    expect(result.totalDebit).toEqual({ amount: '400.00', currency: 'EUR' });
    expect(result.totalCredit).toEqual({ amount: '400.00', currency: 'EUR' });
  });

  it('should convert, round half-up and put the rounding on a line of its own when currencies differ', () => {
    const result = trialBalance(
      [
        account('1000', 'USD', '0.05', '0'),
        account('1100', 'USD', '0.05', '0'),
        account('2200', 'USD', '0', '0.10', 'liability'),
      ],
      'EUR',
      new Map([['USD', new Decimal('0.5')]]),
      '6900',
    );
    // 0.025 → 0.03 twice on the debit side, 0.05 on the credit side: 0.01 of rounding.
    expect(result.lines.at(-1)).toMatchObject({
      accountCode: '6900',
      debit: { amount: '0.00' },
      credit: { amount: '0.01' },
    });
    expect(result.totalDebit.amount).toBe(result.totalCredit.amount);
    expect(result.lines[0]!.converted).toEqual({
      debit: { amount: '0.05', currency: 'USD' },
      credit: { amount: '0.00', currency: 'USD' },
      rate: '0.5',
    });
  });

  it('should leave out accounts whose balance is zero', () => {
    expect(trialBalance([account('1000', 'EUR', '5', '5')], 'EUR', new Map(), '6900').lines).toEqual([]);
  });
});
