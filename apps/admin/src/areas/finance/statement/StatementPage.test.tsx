import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { catchDownloads } from '../common/downloads.testing.ts';
import type { Statement } from '../common/types.ts';
import { financeTexts } from '../texts.ts';
import { StatementPage } from './StatementPage.tsx';

const texts = { finance: financeTexts };
const money = (amount: string) => ({ amount, currency: 'EUR' });

const STATEMENT: Statement = {
  legalEntity: 'LESSOR',
  accountCode: '1000',
  accountName: 'Bank',
  accountType: 'asset',
  currency: 'EUR',
  normalBalance: 'debit',
  from: '2026-11-01',
  to: '2026-11-30',
  opening: money('10.00'),
  closing: money('10.00'),
  lines: [],
};

describe('StatementPage', { timeout: 30_000 }, () => {
  let api: TestApi;
  const saved = catchDownloads();
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/finance/v1/accounts/1000/statement', ({ query }) =>
      query.get('format') === 'csv'
        ? { text: 'date,seq\r\n', headers: { 'content-type': 'text/csv; charset=utf-8' } }
        : { body: STATEMENT },
    );
  });
  afterEach(() => api.close());

  const statementCalls = () =>
    api.calls.filter((call) => call.path === '/api/finance/v1/accounts/1000/statement');

  it('should ask nothing until an account is chosen', async () => {
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<StatementPage />, { texts, path: '/finance/statement' });
    expect(await screen.findByText('Choose an account to see its statement.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
    expect(statementCalls()).toEqual([]);
  });

  it('should show an account’s statement between two dates and export it as CSV under its own name when the API gives none', async () => {
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<StatementPage />, {
      texts,
      path: '/finance/statement?account=1000&from=2026-11-01&to=2026-11-31&currency=eur',
    });
    await screen.findByRole('table', { name: 'Account statement 1000 Bank' });
    expect(screen.getByText('In EUR; balances are shown positive on the debit side.')).toBeTruthy();
    expect(screen.getByText('No postings in this period.')).toBeTruthy();
    expect(screen.getByLabelText('From')).toHaveProperty('value', '2026-11-01');
    expect(screen.getByLabelText('Currency')).toHaveProperty('value', 'eur');
    // An impossible date is not sent.
    expect(Object.fromEntries(statementCalls()[0]!.query)).toEqual({ from: '2026-11-01', currency: 'EUR' });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saved).toEqual(['statement-1000.csv']));
    const csv = statementCalls().find((call) => call.query.get('format') === 'csv')!;
    expect(Object.fromEntries(csv.query)).toEqual({ from: '2026-11-01', currency: 'EUR', format: 'csv' });
  });

  it('should say what is wrong with a currency that is not one, and ask in the books’ own', async () => {
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<StatementPage />, { texts, path: '/finance/statement?account=1000&currency=EU' });
    await screen.findByRole('table', { name: 'Account statement 1000 Bank' });
    expect(screen.getByText('Enter a three-letter currency code such as EUR.')).toBeTruthy();
    expect(Object.fromEntries(statementCalls()[0]!.query)).toEqual({});
  });
});
