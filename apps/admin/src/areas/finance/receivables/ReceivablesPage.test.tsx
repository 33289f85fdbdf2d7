import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { catchDownloads } from '../common/downloads.testing.ts';
import type { Receivables } from '../common/types.ts';
import { financeTexts } from '../texts.ts';
import { ReceivablesPage } from './ReceivablesPage.tsx';

const PARTY = '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e11';
const texts = { finance: financeTexts };
const money = (amount: string) => ({ amount, currency: 'EUR' });

const BY_PARTY: Receivables = {
  legalEntity: 'LESSOR',
  accountCode: '1100',
  by: 'party',
  at: '2026-11-30',
  items: [
    {
      partyId: PARTY,
      contractId: null,
      debit: money('500.00'),
      credit: money('0.00'),
      balance: money('500.00'),
    },
  ],
  totals: [{ currency: 'EUR', balance: money('500.00') }],
};

describe('ReceivablesPage', { timeout: 30_000 }, () => {
  let api: TestApi;
  const saved = catchDownloads();
  beforeEach(async () => {
    api = await serveApi();
  });
  afterEach(() => api.close());

  const receivablesCalls = () => api.calls.filter((call) => call.path === '/api/finance/v1/receivables');
  const rowsOf = (table: HTMLElement) =>
    within(table)
      .getAllByRole('row')
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

  it('should show the receivables by counterparty at a date and export them as CSV', async () => {
    api.answer('GET /api/finance/v1/receivables', ({ query }) =>
      query.get('format') === 'csv'
        ? {
            text: 'partyId,balance\r\n',
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="receivables-LESSOR-2026-11-30.csv"',
            },
          }
        : { body: BY_PARTY },
    );
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<ReceivablesPage />, {
      texts,
      path: '/finance/receivables?by=party&at=2026-11-30',
    });
    const table = await screen.findByRole('table', { name: 'Receivables' });
    expect(screen.getByText('Account 1100 of LESSOR at Nov 30, 2026')).toBeTruthy();
    expect(rowsOf(table)).toEqual([
      ['Counterparty', 'Debit', 'Credit', 'Balance'],
      ['0b6f7a52…', '€500.00', '€0.00', '€500.00'],
      ['Total EUR', '€500.00'],
    ]);
    expect(screen.getByRole('radiogroup', { name: 'Group by' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Counterparty' })).toHaveProperty('checked', true);
    expect(screen.getByLabelText('At')).toHaveProperty('value', '2026-11-30');
    expect(Object.fromEntries(receivablesCalls()[0]!.query)).toEqual({ by: 'party', at: '2026-11-30' });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saved).toEqual(['receivables-LESSOR-2026-11-30.csv']));
    const csv = receivablesCalls().find((call) => call.query.get('format') === 'csv')!;
    expect(Object.fromEntries(csv.query)).toEqual({ by: 'party', at: '2026-11-30', format: 'csv' });
  });

  it('should show why the report failed, offer to try again, and name a failed export', async () => {
    api.answer('GET /api/finance/v1/receivables', () => ({
      status: 503,
      headers: { 'content-type': 'application/problem+json' },
      body: { type: 'about:blank', title: 'Finance is starting', status: 503, detail: 'Try again shortly.' },
    }));
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<ReceivablesPage />, { texts, path: '/finance/receivables' });
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeTruthy();
    expect(Object.fromEntries(receivablesCalls()[0]!.query)).toEqual({ by: 'contract' });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('The CSV export failed')).toBeTruthy();
    expect(saved).toEqual([]);
  });
});
