import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { BillingRun } from '../common/types.ts';
import { billingTexts } from '../texts.ts';
import { BillingRunPage } from './BillingRunPage.tsx';

const texts = { billing: billingTexts };
const CONTRACT = '01a2121c-1e42-703b-8dd4-0cff58e2e5c3';
const OTHER_CONTRACT = '01a2121c-1e42-703b-8dd4-0cff58e2e5c4';

/** A run that issued one invoice and found four due that it did not issue, one per reason. */
const RUN: BillingRun = {
  upTo: '2026-11-30',
  count: 1,
  issued: [
    {
      id: '01a2121c-1ffc-7319-8e43-38b6bcbd0273',
      number: 'INV-LESSOR-2026-000017',
      contractId: CONTRACT,
      kind: 'installment',
      dueDate: '2026-12-01',
      total: { amount: '2110.27', currency: 'EUR' },
    },
  ],
  skipped: [
    {
      invoiceId: '01a2121c-1ffc-7319-8e43-38b6bcbd0274',
      contractId: CONTRACT,
      contractNumber: 'LC-LESSOR-2026-000001',
      kind: 'installment',
      installment: 3,
      issueDate: '2026-11-20',
      reason: 'issued-meanwhile',
      detail: 'issued as INV-LESSOR-2026-000016 by another run',
    },
    {
      invoiceId: '01a2121c-1ffc-7319-8e43-38b6bcbd0275',
      contractId: OTHER_CONTRACT,
      contractNumber: 'LC-LESSOR-2026-000002',
      kind: 'fee',
      installment: null,
      issueDate: '2026-11-21',
      reason: 'cancelled-meanwhile',
      detail: 'contract terminated',
    },
    {
      invoiceId: '01a2121c-1ffc-7319-8e43-38b6bcbd0276',
      contractId: OTHER_CONTRACT,
      contractNumber: 'LC-LESSOR-2026-000002',
      kind: 'installment',
      installment: 4,
      issueDate: '2026-11-22',
      reason: 'currency-mismatch',
      detail: 'the invoice is in USD, its contract LC-LESSOR-2026-000002 in EUR',
    },
    {
      invoiceId: '01a2121c-1ffc-7319-8e43-38b6bcbd0277',
      contractId: OTHER_CONTRACT,
      contractNumber: '',
      kind: 'installment',
      installment: 5,
      issueDate: '2026-11-23',
      reason: 'failed',
      detail: 'issuing it failed; the next run tries it again',
    },
  ],
};

describe('BillingRunPage', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
  });
  afterEach(() => api.close());

  const rowsOf = (table: HTMLElement) =>
    within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) =>
        within(row)
          .getAllByRole('cell')
          .map((cell) => cell.textContent),
      );

  it('should list every due invoice the run did not issue, with the reason in words and a link to its contract', async () => {
    api.answer('POST /api/billing/v1/billing-runs', () => ({ body: RUN }));
    await api.signInAs(['billing:runs:write', 'leasing:contracts:read']);
    renderWithProviders(<BillingRunPage />, { texts, path: '/billing/runs/new' });

    await userEvent.click(screen.getByRole('button', { name: 'Issue due invoices' }));

    const skipped = await screen.findByRole('table', { name: 'Invoices not issued' });
    expect(screen.getByText('1 invoice issued (due for issue up to Nov 30, 2026).')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      '4 invoices due were not issued. The table below says why for each.',
    );
    expect(rowsOf(skipped)).toEqual([
      [
        'LC-LESSOR-2026-000001',
        'Instalment 3',
        'Nov 20, 2026',
        'Issued meanwhile by another run or the daily job',
        'issued as INV-LESSOR-2026-000016 by another run',
      ],
      [
        'LC-LESSOR-2026-000002',
        'Fee',
        'Nov 21, 2026',
        'Cancelled meanwhile by a change of the contract',
        'contract terminated',
      ],
      [
        'LC-LESSOR-2026-000002',
        'Instalment 4',
        'Nov 22, 2026',
        'Not in the contract’s currency: kept planned, never billed so',
        'the invoice is in USD, its contract LC-LESSOR-2026-000002 in EUR',
      ],
      [
        // No number: the start of the contract's id stands for it.
        '01a2121c…',
        'Instalment 5',
        'Nov 23, 2026',
        'Issuing it failed: the next run tries again',
        'issuing it failed; the next run tries it again',
      ],
    ]);
    const link = within(skipped).getAllByRole('link', { name: 'LC-LESSOR-2026-000001' })[0]!;
    expect(link.getAttribute('href')).toBe(`/contracts/${CONTRACT}`);
    expect(within(skipped).getByRole('link', { name: '01a2121c…' }).getAttribute('title')).toBe(
      OTHER_CONTRACT,
    );
    // The run was asked once, up to the date shown.
    const runs = api.calls.filter((call) => call.path === '/api/billing/v1/billing-runs');
    expect(runs).toHaveLength(1);
  });

  it('should not say nothing was due when everything due was skipped (in German)', async () => {
    api.answer('POST /api/billing/v1/billing-runs', () => ({
      body: { ...RUN, count: 0, issued: [], skipped: RUN.skipped.slice(3) },
    }));
    await api.signInAs(['billing:runs:write']);
    renderWithProviders(<BillingRunPage />, { texts, path: '/billing/runs/new', language: 'de' });

    await userEvent.click(screen.getByRole('button', { name: 'Fällige Rechnungen stellen' }));

    const skipped = await screen.findByRole('table', { name: 'Nicht gestellte Rechnungen' });
    expect(screen.getByRole('status').textContent).toBe(
      'Keine Rechnung gestellt (zu stellen bis 30.11.2026).',
    );
    expect(screen.getByRole('alert').textContent).toBe(
      '1 fällige Rechnung wurde nicht gestellt. Die Tabelle darunter nennt den Grund.',
    );
    expect(screen.queryByRole('table', { name: 'Gestellte Rechnungen' })).toBeNull();
    // Without the right to read contracts: the id's start, not a link.
    expect(within(skipped).queryByRole('link')).toBeNull();
    expect(rowsOf(skipped)).toEqual([
      [
        '01a2121c…',
        'Rate 5',
        '23.11.2026',
        'Stellen fehlgeschlagen: Der nächste Lauf versucht es erneut',
        'issuing it failed; the next run tries it again',
      ],
    ]);
  });

  it('should show no table of skipped invoices when nothing was skipped', async () => {
    api.answer('POST /api/billing/v1/billing-runs', () => ({
      body: { upTo: '2026-11-30', count: 0, issued: [], skipped: [] },
    }));
    await api.signInAs(['billing:runs:write']);
    renderWithProviders(<BillingRunPage />, { texts, path: '/billing/runs/new' });
    await userEvent.click(screen.getByRole('button', { name: 'Issue due invoices' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Nothing was due for issue up to Nov 30, 2026.'),
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
