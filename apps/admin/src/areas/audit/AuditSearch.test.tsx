import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderApp } from '../../testing/render.tsx';
import type { AuditRecord } from './AuditRecordsTable.tsx';

const ADA = '01a2121c-0d46-73c8-8906-818e447dc3f7';
const GONE = '01a2121c-0d46-73c8-8906-000000000bad';

const record = (overrides: Partial<AuditRecord>): AuditRecord => ({
  id: '01a2121c-0507-71ad-984b-f9a9038e7de9',
  eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
  eventType: 'lessor.parties.party.updated.v1',
  occurredAt: '2026-01-31T10:15:00.000Z',
  recordedAt: '2026-01-31T10:15:01.000Z',
  service: 'parties',
  entityType: 'party',
  entityId: '01a2121c-1111-7000-8000-000000000001',
  action: 'updated',
  actor: ADA,
  actorName: 'Ada Lovelace',
  traceId: null,
  before: { name: 'Muster GmbH' },
  after: { name: 'Muster Logistik GmbH' },
  changed: ['name'],
  data: {},
  ...overrides,
});

const records = [
  record({}),
  record({
    id: '01a2121c-0507-71ad-984b-f9a9038e7de8',
    entityType: 'contract',
    entityId: '01a2121c-2222-7000-8000-000000000002',
    after: { number: 'LC-DE01-2026-000042', status: 'draft' },
    before: null,
    action: 'created',
    actor: GONE,
    actorName: null,
  }),
  record({
    id: '01a2121c-0507-71ad-984b-f9a9038e7de7',
    eventType: 'lessor.sso.login.failed.v1',
    service: 'sso',
    entityType: 'login',
    entityId: 'mallory',
    action: 'failed',
    actor: 'system',
    actorName: null,
    before: null,
    after: null,
    changed: [],
    data: { username: 'mallory' },
  }),
];

describe('the audit search by names', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/audit/v1/records', () => ({ body: { items: records, nextCursor: null } }));
  });
  afterEach(() => api.close());

  it('should show actors and subjects by name, a short id where no name is known, and search by name', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs(['sso:me:read', 'audit:records:read']);
    renderApp('/audit');
    const table = await screen.findByRole('table', { name: 'Audit records' });
    await within(table).findByText('Ada Lovelace', {}, { timeout: 10_000 });
    const rows = within(table).getAllByRole('row');
    const text = rows.slice(1).map((row) => row.textContent);
    expect(text[0]).toContain('Ada Lovelace');
    expect(text[0]).toContain('party Muster Logistik GmbH');
    expect(text[0]).not.toContain(ADA);
    // No name for this user (and no permission to look one up): the short id, the whole one on hover.
    expect(text[1]).toContain('01a2121c…');
    expect(within(rows[2]!).getByTitle(GONE)).toBeTruthy();
    expect(text[1]).toContain('contract LC-DE01-2026-000042');
    expect(text[2]).toContain('system');
    expect(text[2]).toContain('login mallory');

    await user.type(screen.getByRole('textbox', { name: 'Actor' }), 'lovelace');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() =>
      expect(
        api.calls
          .filter((call) => call.path === '/api/audit/v1/records')
          .at(-1)
          ?.query.get('actorName'),
      ).toBe('lovelace'),
    );
  });

  it('should look a name up in sso when audit has none and the reader may read users', async () => {
    api.answer(`GET /api/sso/v1/users/${GONE}`, () => ({
      body: { id: GONE, username: 'bob', fullName: 'Bob Builder' },
    }));
    await api.signInAs(['sso:me:read', 'audit:records:read', 'sso:users:read']);
    renderApp('/audit');
    const table = await screen.findByRole('table', { name: 'Audit records' });
    expect(await within(table).findByText('bob', {}, { timeout: 10_000 })).toBeTruthy();
    // Only the actor audit could not name is looked up.
    expect(
      api.calls.filter((call) => call.path.startsWith('/api/sso/v1/users/')).map((call) => call.path),
    ).toEqual([`/api/sso/v1/users/${GONE}`]);
  });
});
