import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { TrialBalance } from '../common/types.ts';
import { financeTexts } from '../texts.ts';
import { isBalanced, TrialBalanceTable } from './TrialBalanceTable.tsx';

const texts = { finance: financeTexts };
const eur = (amount: string) => ({ amount, currency: 'EUR' });

// As the API answers: a USD account converted at a rate, and the rounding line it adds.
const report: TrialBalance = {
  legalEntity: 'LESSOR',
  at: '2026-11-25',
  currency: 'EUR',
  lines: [
    {
      accountCode: '1200',
      accountName: 'Lease receivables',
      accountType: 'asset',
      accountCurrency: 'EUR',
      debit: eur('507807.97'),
      credit: eur('0.00'),
      converted: null,
    },
    {
      accountCode: '1000',
      accountName: 'Bank',
      accountType: 'asset',
      accountCurrency: 'USD',
      debit: eur('920.01'),
      credit: eur('0.00'),
      converted: {
        debit: { amount: '1000.01', currency: 'USD' },
        credit: { amount: '0.00', currency: 'USD' },
        rate: '0.92',
      },
    },
    {
      accountCode: '2000',
      accountName: 'Payable to suppliers',
      accountType: 'liability',
      accountCurrency: 'EUR',
      debit: eur('0.00'),
      credit: eur('508727.98'),
      converted: null,
    },
  ],
  totalDebit: eur('508727.98'),
  totalCredit: eur('508727.98'),
  byCurrency: [
    { currency: 'EUR', totalDebit: eur('507807.97'), totalCredit: eur('508727.98') },
    {
      currency: 'USD',
      totalDebit: { amount: '1000.01', currency: 'USD' },
      totalCredit: { amount: '0.00', currency: 'USD' },
    },
  ],
};

function rowOf(code: string): string[] {
  const table = screen.getByRole('table', { name: /^(Trial balance|Summen- und Saldenliste)$/ });
  const row = within(table)
    .getAllByRole('row')
    .find((candidate) => candidate.querySelector('td')?.textContent === code) as HTMLElement;
  return Array.from(row.querySelectorAll('td')).map((cell) => cell.textContent ?? '');
}

function totalsRow(): string[] {
  const table = screen.getByRole('table', { name: /^(Trial balance|Summen- und Saldenliste)$/ });
  const rows = within(table).getAllByRole('row');
  const last = rows[rows.length - 1] as HTMLElement;
  return Array.from(last.querySelectorAll('th,td')).map((cell) => cell.textContent ?? '');
}

describe('TrialBalanceTable', { timeout: 30_000 }, () => {
  it('should show the totals in English with the balanced indicator', () => {
    renderWithProviders(<TrialBalanceTable report={report} />, { texts });
    expect(totalsRow()).toEqual(['Total', '€508,727.98', '€508,727.98', '']);
    expect(screen.getByRole('status').textContent).toBe('Balanced: debit equals credit');
    // An account in another currency: the converted balance, and its own amount at the rate.
    expect(rowOf('1000').slice(3)).toEqual(['€920.01', '€0.00', '$1,000.01 at 0.92']);
  });

  it('should show the totals in German', () => {
    renderWithProviders(<TrialBalanceTable report={report} />, { texts, language: 'de' });
    expect(totalsRow()).toEqual(['Summe', '508.727,98\u00a0€', '508.727,98\u00a0€', '']);
    expect(screen.getByRole('status').textContent).toBe('Ausgeglichen: Soll gleich Haben');
    expect(rowOf('1000').slice(3)).toEqual(['920,01\u00a0€', '0,00\u00a0€', '1.000,01\u00a0$ zum Kurs 0,92']);
    expect(screen.getByRole('table', { name: 'Summen je Währung, nicht umgerechnet' })).toBeTruthy();
  });

  it('should say so when debit and credit differ', () => {
    renderWithProviders(<TrialBalanceTable report={{ ...report, totalCredit: eur('508727.97') }} />, {
      texts,
    });
    expect(screen.getByRole('status').textContent).toBe('Not balanced: debit and credit differ');
  });
});

describe('isBalanced', () => {
  it('should compare the totals as decimals, not as text or floats', () => {
    expect(isBalanced({ totalDebit: eur('10.50'), totalCredit: eur('10.5') })).toBe(true);
    expect(isBalanced({ totalDebit: eur('0.30'), totalCredit: eur('0.3000001') })).toBe(false);
    expect(isBalanced({ totalDebit: eur('90071992547409.93'), totalCredit: eur('90071992547409.92') })).toBe(
      false,
    );
  });
});
