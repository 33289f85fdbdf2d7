import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { catchDownloads } from '../common/downloads.testing.ts';
import type { AccountBalances } from '../common/types.ts';
import { AccountsPage } from '../accounts/AccountsPage.tsx';
import { financeTexts } from '../texts.ts';
import { BalancesPage } from './BalancesPage.tsx';

const CONTRACT = '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e10';
const PARTY = '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e11';
const texts = { finance: financeTexts };
const money = (amount: string) => ({ amount, currency: 'EUR' });

/** Account 2200 by contract: one contract's credit, and money no contract claims yet (the null id, last). */
const BY_CONTRACT: AccountBalances = {
  legalEntity: 'LESSOR',
  accountCode: '2200',
  accountName: 'Customer credit',
  accountType: 'liability',
  currency: 'EUR',
  normalBalance: 'credit',
  by: 'contract',
  at: '2026-11-30',
  items: [
    {
      contractId: CONTRACT,
      partyId: PARTY,
      debit: money('100.00'),
      credit: money('350.25'),
      balance: money('250.25'),
    },
    {
      contractId: null,
      partyId: null,
      debit: money('0.00'),
      credit: money('40.00'),
      balance: money('40.00'),
    },
  ],
  total: money('290.25'),
};

describe('BalancesPage', { timeout: 30_000 }, () => {
  let api: TestApi;
  const saved = catchDownloads();
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/finance/v1/accounts/2200/balances', ({ query }) =>
      query.get('format') === 'csv'
        ? {
            text: 'contractId,partyId,debit,credit,balance,currency\r\n',
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition': 'attachment; filename="balances-2200-LESSOR-2026-11-30.csv"',
            },
          }
        : {
            body:
              query.get('by') === 'party'
                ? {
                    ...BY_CONTRACT,
                    by: 'party',
                    items: [{ ...BY_CONTRACT.items[0]!, contractId: null }],
                    total: money('250.25'),
                  }
                : BY_CONTRACT,
          },
    );
  });
  afterEach(() => api.close());

  const balanceCalls = () =>
    api.calls.filter((call) => call.path === '/api/finance/v1/accounts/2200/balances');
  const rowsOf = (table: HTMLElement) =>
    within(table)
      .getAllByRole('row')
      .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

  it('should ask nothing until an account is chosen', async () => {
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<BalancesPage />, { texts, path: '/finance/balances' });
    expect(await screen.findByText('Choose an account to see its balances.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export CSV' }) as HTMLButtonElement).disabled).toBe(true);
    expect(balanceCalls()).toEqual([]);
  });

  it('should show an account’s balance per contract at a date, each linked to its contract, and export them as CSV', async () => {
    await api.signInAs(['finance:reports:read', 'leasing:contracts:read']);
    renderWithProviders(<BalancesPage />, {
      texts,
      path: '/finance/balances?account=2200&at=2026-11-30&currency=eur',
    });
    const table = await screen.findByRole('table', { name: 'Balances of account 2200 Customer credit' });
    expect(
      screen.getByText('LESSOR at Nov 30, 2026, in EUR; balances are shown positive on the credit side.'),
    ).toBeTruthy();
    expect(rowsOf(table)).toEqual([
      ['Contract', 'Debit', 'Credit', 'Balance'],
      ['0b6f7a52…', '€100.00', '€350.25', '€250.25'],
      ['No contract', '€0.00', '€40.00', '€40.00'],
      ['Total', '€290.25'],
    ]);
    expect(within(table).getByRole('link', { name: '0b6f7a52…' }).getAttribute('href')).toBe(
      `/contracts/${CONTRACT}`,
    );
    expect(Object.fromEntries(balanceCalls()[0]!.query)).toEqual({
      by: 'contract',
      at: '2026-11-30',
      currency: 'EUR',
    });

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saved).toEqual(['balances-2200-LESSOR-2026-11-30.csv']));
    const csv = balanceCalls().find((call) => call.query.get('format') === 'csv')!;
    expect(Object.fromEntries(csv.query)).toEqual({
      by: 'contract',
      at: '2026-11-30',
      currency: 'EUR',
      format: 'csv',
    });
  });

  it('should sum by counterparty when asked, in German, for the books chosen, leaving out an impossible date', async () => {
    await api.signInAs(['finance:reports:read']);
    renderWithProviders(<BalancesPage />, {
      texts,
      path: '/finance/balances?entity=BOOKS-2&account=2200&at=2026-02-30',
      language: 'de',
    });
    await screen.findByRole('table', { name: 'Salden von Konto 2200 Customer credit' });
    await userEvent.click(screen.getByRole('radio', { name: 'Geschäftspartner' }));
    const table = await screen.findByRole('table', { name: 'Salden von Konto 2200 Customer credit' });
    await waitFor(() => expect(rowsOf(table)[0]?.[0]).toBe('Geschäftspartner'));
    // Without the right to read parties: the id's start, not a link.
    expect(within(table).queryByRole('link')).toBeNull();
    expect(rowsOf(table)[1]).toEqual(['0b6f7a52…', '100,00\u00a0€', '350,25\u00a0€', '250,25\u00a0€']);
    // An impossible date is not sent; the books chosen are.
    expect(balanceCalls().map((call) => Object.fromEntries(call.query))).toEqual([
      { legalEntity: 'BOOKS-2', by: 'contract' },
      { legalEntity: 'BOOKS-2', by: 'party' },
    ]);
  });

  it('should open an account’s balances from the chart of accounts, in its currency and the same books', async () => {
    api.answer('GET /api/finance/v1/accounts', () => ({
      body: {
        items: [
          {
            id: '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e12',
            legalEntity: 'BOOKS-2',
            code: '2200',
            currency: 'USD',
            name: 'Customer credit',
            type: 'liability',
            disabled: false,
            createdAt: '2026-11-01T00:00:00Z',
            createdBy: 'seed',
            updatedAt: '2026-11-01T00:00:00Z',
            updatedBy: 'seed',
            version: 1,
            deletedAt: null,
            deletedBy: null,
          },
        ],
        nextCursor: null,
      },
    }));
    await api.signInAs(['finance:accounts:read', 'finance:reports:read']);
    renderWithProviders(<AccountsPage />, { texts, path: '/finance/accounts?entity=BOOKS-2' });
    const link = await screen.findByRole('link', { name: '2200' });
    expect(link.getAttribute('href')).toBe('/finance/balances?entity=BOOKS-2&account=2200&currency=USD');
    expect(link.getAttribute('title')).toBe('Balances by contract');
  });
});
