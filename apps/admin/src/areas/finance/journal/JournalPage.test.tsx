import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import { financeTexts } from '../texts.ts';
import { JournalPage } from './JournalPage.tsx';

// The network edge: the typed client takes `fetch` when it is created (at import), so it is replaced before
// any import. Every request the page makes is recorded as sent; the list is answered empty, the CSV as the API
// answers it.
const network = vi.hoisted(() => {
  const requests: Request[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request);
    if (new URL(request.url).searchParams.get('format') === 'csv') {
      return new Response('entryId,seq\r\n', {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="journal-LESSOR-from-2026-01-01-to-2026-03-31.csv"',
        },
      });
    }
    return Response.json({ items: [], nextCursor: null });
  };
  return { requests, restore: () => (globalThis.fetch = original) };
});

const CONTRACT = '0b6f7a52-3c1e-4f7e-9a55-2f1f0c8d9e10';
const saved: string[] = [];
const keepDownload = (event: MouseEvent) => {
  const link = event.target;
  if (link instanceof HTMLAnchorElement && link.download) {
    saved.push(link.download);
    // jsdom cannot navigate to the file; a browser would save it.
    event.preventDefault();
  }
};

describe('JournalPage', { timeout: 30_000 }, () => {
  beforeAll(() => {
    URL.createObjectURL = () => 'blob:journal';
    URL.revokeObjectURL = () => undefined;
    document.addEventListener('click', keepDownload);
  });
  afterAll(() => {
    document.removeEventListener('click', keepDownload);
    network.restore();
  });
  beforeEach(() => {
    network.requests.length = 0;
    saved.length = 0;
  });

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
    await waitFor(() => expect(saved).toEqual(['journal-LESSOR-from-2026-01-01-to-2026-03-31.csv']));

    const csv = network.requests.filter((request) => request.url.includes('format=csv'));
    expect(csv).toHaveLength(1);
    const url = new URL(csv[0]!.url);
    expect(url.pathname).toBe('/api/finance/v1/entries');
    expect(Object.fromEntries(url.searchParams)).toEqual({
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
    // The same filters as the table's page, without its cursor.
    const list = network.requests.find((request) => !request.url.includes('format=csv'))!;
    const listed = Object.fromEntries(new URL(list.url).searchParams);
    expect({ ...listed, format: 'csv' }).toEqual(Object.fromEntries(url.searchParams));
  });

  it('should leave out what is not a filter yet (a half-typed event ID, an impossible date)', async () => {
    renderWithProviders(<JournalPage />, {
      texts: { finance: financeTexts },
      path: '/finance/journal?from=2026-02-30&sourceEventId=0b6f7a52&kind=bonus',
      language: 'de',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'CSV exportieren' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const csv = network.requests.find((request) => request.url.includes('format=csv'))!;
    expect(Object.fromEntries(new URL(csv.url).searchParams)).toEqual({
      limit: '50',
      sort: '-seq',
      format: 'csv',
    });
  });
});
