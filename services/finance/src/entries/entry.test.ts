import { describe, expect, it } from 'vitest';
import { balanceIssues, periodOf, reversedLines, type DraftLine } from './entry.ts';

const line = (side: 'debit' | 'credit', amount: string, currency = 'EUR'): DraftLine => ({
  accountCode: side === 'debit' ? '1000' : '2200',
  currency,
  side,
  amount,
  counterpartyId: null,
  contractId: null,
});

describe('balanceIssues', () => {
  it('should find nothing when debits equal credits in every currency', () => {
    expect(
      balanceIssues([
        line('debit', '100.00'),
        line('credit', '60'),
        line('credit', '40.00'),
        line('debit', '5', 'USD'),
        line('credit', '5.000', 'USD'),
      ]),
    ).toEqual([]);
  });

  it('should name every line of the unbalanced currency with the difference when one does not balance', () => {
    const issues = balanceIssues([
      line('debit', '100.00'),
      line('credit', '90.00'),
      line('debit', '5', 'USD'),
      line('credit', '5', 'USD'),
    ]);
    expect(issues).toEqual([
      { line: 0, message: 'EUR debits 100.00 and credits 90.00 differ by 10.00' },
      { line: 1, message: 'EUR debits 100.00 and credits 90.00 differ by 10.00' },
    ]);
  });

  it('should refuse a zero or negative amount when a line has one', () => {
    expect(balanceIssues([line('debit', '0'), line('credit', '-1')])).toEqual([
      { line: 0, message: 'amount must be above zero' },
      { line: 1, message: 'amount must be above zero' },
    ]);
  });

  it('should refuse an entry with a single line or with debits only', () => {
    expect(balanceIssues([line('debit', '1')])).toHaveLength(1);
    expect(balanceIssues([line('debit', '1'), line('debit', '1')])).toHaveLength(2);
  });
});

describe('reversedLines and periodOf', () => {
  it('should swap every side and keep accounts and amounts when reversing', () => {
    expect(reversedLines([line('debit', '1'), line('credit', '1')]).map((l) => l.side)).toEqual([
      'credit',
      'debit',
    ]);
  });

  it('should give the month of a business date', () => {
    expect(periodOf('2026-05-31')).toBe('2026-05');
  });
});
