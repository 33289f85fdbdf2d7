import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderApp } from '../../../testing/render.tsx';
import { catchDownloads } from '../../finance/common/downloads.testing.ts';
import { exportFixture, reconciliationFixture } from '../integration.fixtures.ts';
import { currentPeriod } from './ExportsPage.tsx';

const ENTRY = exportFixture();

describe('the exports page', { timeout: 60_000 }, () => {
  let api: TestApi;
  const saved = catchDownloads();
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/integration/v1/exports', () => ({
      body: {
        items: [
          ENTRY,
          exportFixture({
            entryId: '01a2121c-7a00-7000-8000-00000000e002',
            status: 'acknowledged',
            refusal: null,
            acknowledgedAs: 'created',
          }),
        ],
        nextCursor: null,
      },
    }));
    api.answer('GET /api/integration/v1/exports/reconciliation', () => ({ body: reconciliationFixture() }));
    api.answer('GET /api/integration/v1/exports/journal.csv', () => ({
      text: 'entryId,entryDate\r\n',
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="journal-2026-11-01-2026-11-30.csv"',
      },
    }));
    api.answer(`POST /api/integration/v1/exports/${ENTRY.entryId}/retry`, () => ({
      body: { ...ENTRY, status: 'pending', refusal: null },
    }));
  });
  afterEach(() => api.close());

  it('should reconcile the period chosen, download its CSV, and send a refused entry again', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs([
      'integration:connectors:read',
      'integration:exports:read',
      'integration:exports:write',
    ]);
    renderApp('/integrations/exports?from=2026-11-01&to=2026-11-30');
    const reconciliation = await screen.findByRole('table', { name: 'Reconciliation by period' });
    const period = (await within(reconciliation).findByText('2026-11')).closest('tr')!;
    expect(
      within(period)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['2026-11', '12', '0', '12', '11', '1', '01a2121c…: Account 8400 is not open']);
    const asked = api.calls.find((call) => call.path.endsWith('/reconciliation'))!;
    expect(Object.fromEntries(asked.query)).toEqual({ from: '2026-11-01', to: '2026-11-30' });

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toEqual(['journal-2026-11-01-2026-11-30.csv']));
    const csv = api.calls.find((call) => call.path.endsWith('/journal.csv'))!;
    expect(Object.fromEntries(csv.query)).toEqual({ from: '2026-11-01', to: '2026-11-30' });

    const entries = screen.getByRole('table', { name: 'Exported journal entries' });
    await within(entries).findByText('Account 8400 is not open');
    // Only the refused entry can be sent again.
    expect(within(entries).getAllByRole('button', { name: /^Send entry/ })).toHaveLength(1);
    await user.click(within(entries).getByRole('button', { name: 'Send entry 01a2121c… again' }));
    await waitFor(() => expect(api.calls.some((call) => call.path.endsWith('/retry'))).toBe(true));
    expect(api.calls.find((call) => call.path.endsWith('/retry'))!.path).toBe(
      `/api/integration/v1/exports/${ENTRY.entryId}/retry`,
    );
  });

  it('should reconcile this month when no period is chosen, and offer no resending to a reader', async () => {
    await api.signInAs(['integration:exports:read']);
    renderApp('/integrations/exports');
    await screen.findByText('Account 8400 is not open');
    const asked = api.calls.find((call) => call.path.endsWith('/reconciliation'))!;
    expect(Object.fromEntries(asked.query)).toEqual(currentPeriod());
    expect(screen.queryByRole('button', { name: /^Send entry/ })).toBeNull();
  });

  it('should take the first of the month to today as the period', () => {
    expect(currentPeriod(new Date(2026, 1, 17, 12))).toEqual({ from: '2026-02-01', to: '2026-02-17' });
  });
});
