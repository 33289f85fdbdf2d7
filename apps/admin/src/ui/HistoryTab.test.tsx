import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeQueryClient } from '../app/App.tsx';
import { serveApi, type TestApi } from '../testing/api.ts';
import { renderWithProviders } from '../testing/render.tsx';
import { HistoryTab } from './HistoryTab.tsx';

const ENTITY = '01a2121c-0d46-73c8-8906-818e447dc3f7';

/** An audit record of the party, changed by `actor` (each page has its own actor, to tell the pages apart). */
function record(page: number) {
  return {
    id: `01a2121c-0000-7000-8000-00000000000${page}`,
    eventId: `01a2121c-0000-7000-9000-00000000000${page}`,
    eventType: 'lessor.parties.party.updated.v1',
    service: 'parties',
    entityType: 'party',
    entityId: ENTITY,
    action: 'updated',
    actor: `actor-of-page-${page}`,
    occurredAt: `2026-01-0${page}T10:00:00.000Z`,
    recordedAt: `2026-01-0${page}T10:00:01.000Z`,
    traceId: null,
    changed: ['email'],
    before: null,
    after: null,
    data: null,
  };
}

// Three pages of history; each names the cursor of the next, the last none.
const PAGES: Record<string, { items: unknown[]; nextCursor: string | null }> = {
  first: { items: [record(1)], nextCursor: 'to-page-2' },
  'to-page-2': { items: [record(2)], nextCursor: 'to-page-3' },
  'to-page-3': { items: [record(3)], nextCursor: null },
};

describe('HistoryTab', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/audit/v1/records', ({ query }) => ({ body: PAGES[query.get('cursor') ?? 'first'] }));
    await api.signInAs(['audit:records:read']);
  });
  afterEach(() => api.close());

  it('should show page 2 again after next, previous (from the cache) and next', async () => {
    const user = userEvent.setup();
    // The app's query client: a page seen a moment ago comes from the cache, without a call.
    renderWithProviders(<HistoryTab entityType="party" entityId={ENTITY} />, { client: makeQueryClient() });
    expect(await screen.findByText('actor-of-page-1')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('actor-of-page-2')).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', false),
    );

    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('actor-of-page-1')).toBeTruthy();
    expect(screen.getByText('Page 1')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('actor-of-page-2')).toBeTruthy();
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect(screen.queryByText('actor-of-page-3')).toBeNull();
  });

  it('should look a name up in sso when audit has none and the reader may read users', async () => {
    const GONE = '01a2121c-0d46-73c8-8906-000000000bad';
    api.answer('GET /api/audit/v1/records', () => ({
      body: { items: [{ ...record(1), actor: GONE, actorName: null }], nextCursor: null },
    }));
    api.answer(`GET /api/sso/v1/users/${GONE}`, () => ({
      body: { id: GONE, username: 'bob', fullName: 'Bob Builder' },
    }));
    await api.signInAs(['audit:records:read', 'sso:users:read']);
    renderWithProviders(<HistoryTab entityType="party" entityId={ENTITY} />);
    expect((await screen.findByText('bob', {}, { timeout: 10_000 })).getAttribute('title')).toBe(GONE);
  });
});
