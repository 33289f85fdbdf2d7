import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { catchDownloads } from '../common/downloads.testing.ts';
import { financeTexts } from '../texts.ts';
import { JournalPage } from './JournalPage.tsx';

const CONTRACT = '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e10';
describe('JournalPage', { timeout: 30_000 }, () => {
  let api: TestApi;
  const saved = catchDownloads();
  beforeEach(async () => {
    api = await serveApi();
    // The list is empty; the CSV is a file as the API sends it, named by its content-disposition.
    api.answer('GET /api/finance/v1/entries', ({ query }) =>
      query.get('format') === 'csv'
        ? {
            text: 'entryId,seq\r\n',
            headers: {
              'content-type': 'text/csv; charset=utf-8',
              'content-disposition':
                'attachment; filename="journal-BOOKS-2-from-2026-01-01-to-2026-03-31.csv"',
            },
          }
        : { body: { items: [], nextCursor: null } },
    );
    await api.signInAs(['finance:entries:read']);
  });
  afterEach(() => api.close());

  const entriesCalls = () => api.calls.filter((call) => call.path === '/api/finance/v1/entries');

  it('should export the journal as CSV with the filters and the order shown', async () => {
    renderWithProviders(<JournalPage />, {
      texts: { finance: financeTexts },
      path: `/finance/journal?entity=BOOKS-2&from=2026-01-01&to=2026-03-31&account=1100&contractId=${CONTRACT}&kind=manual&sort=entryDate`,
    });
    const button = await screen.findByRole('button', { name: 'Export CSV' });
    expect(button.getAttribute('title')).toBe(
      'Every line of every entry these filters match, not only this page.',
    );
    await userEvent.click(button);
    await waitFor(() => expect(saved).toHaveLength(1));
    // The file is named as the API names it.
    expect(saved).toEqual(['journal-BOOKS-2-from-2026-01-01-to-2026-03-31.csv']);

    const csv = entriesCalls().filter((call) => call.query.get('format') === 'csv');
    expect(csv).toHaveLength(1);
    expect(Object.fromEntries(csv[0]!.query)).toEqual({
      limit: '50',
      sort: 'entryDate',
      legalEntity: 'BOOKS-2',
      from: '2026-01-01',
      to: '2026-03-31',
      accountCode: '1100',
      contractId: CONTRACT,
      kind: 'manual',
      format: 'csv',
    });
    // The same filters as the table's page, without its cursor. (On a loaded machine the table's call can
    // reach the server after the export's: wait for it rather than assume it came first.)
    const list = await waitFor(() => {
      const found = entriesCalls().find((call) => call.query.get('format') === null);
      expect(found).toBeDefined();
      return found!;
    });
    expect({ ...Object.fromEntries(list.query), format: 'csv' }).toEqual(Object.fromEntries(csv[0]!.query));
  });

  it('should leave out what is not a filter yet (a half-typed event ID, an impossible date)', async () => {
    renderWithProviders(<JournalPage />, {
      texts: { finance: financeTexts },
      path: '/finance/journal?from=2026-02-30&sourceEventId=0b6f7a52&kind=bonus',
      language: 'de',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'CSV exportieren' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const csv = entriesCalls().find((call) => call.query.get('format') === 'csv')!;
    expect(Object.fromEntries(csv.query)).toEqual({ limit: '50', sort: '-seq', format: 'csv' });
  });
});
