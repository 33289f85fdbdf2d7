import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../testing/api.ts';
import { renderApp } from '../testing/render.tsx';

const EVENTS_READ = [
  'assets:events:read',
  'audit:events:read',
  'billing:events:read',
  'finance:events:read',
  'integration:events:read',
  'leasing:events:read',
];

const parked = {
  id: '01a2121c-0507-71ad-984b-f9a9038e7de9',
  eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
  type: 'lessor.billing.invoice.issued.v1',
  reason: 'NO_POSTING_RULE: no posting rule for lessor.billing.invoice.issued.v1',
  attempts: 5,
  status: 'parked',
  parkedAt: '2026-01-31T10:15:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
};

// "Parked events" needs any one of the services' `<service>:events:read`: the menu entry and the page's guard.
describe('a page that accepts any of several permissions', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/finance/v1/events/parked', () => ({ body: { items: [parked], nextCursor: null } }));
  });
  afterEach(() => api.close());

  it('should offer the entry to a user holding only one of them, and open the page on that service', async () => {
    await api.signInAs(['sso:me:read', 'finance:events:read']);
    renderApp('/administration/events');

    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).getByRole('link', { name: 'Parked events' }).getAttribute('href')).toBe(
      '/administration/events',
    );
    expect(await screen.findByRole('heading', { name: 'Parked events' })).toBeTruthy();
    expect(await screen.findByText('lessor.billing.invoice.issued.v1')).toBeTruthy();
    expect(screen.queryByTestId('no-access')).toBeNull();
    expect(api.calls.map((call) => call.path)).toContain('/api/finance/v1/events/parked');
  });

  it('should list the entry on the administration page for that user', async () => {
    await api.signInAs(['sso:me:read', 'audit:events:read']);
    renderApp('/administration');
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: 'Parked events' })).toBeTruthy();
    expect(within(main).queryByRole('link', { name: 'Users' })).toBeNull();
  });

  it('should hide the entry from a user holding none of them, and name them all on "No access"', async () => {
    await api.signInAs(['sso:me:read', 'finance:entries:read', 'billing:events:write']);
    renderApp('/administration/events');

    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).queryByRole('link', { name: 'Parked events' })).toBeNull();
    const noAccess = screen.getByTestId('no-access');
    expect(within(noAccess).getByRole('heading', { name: 'No access' })).toBeTruthy();
    const text = noAccess.textContent ?? '';
    for (const permission of EVENTS_READ) expect(text).toContain(permission);
    expect(text).toContain('integration:events:read, or leasing:events:read');
    expect(api.calls.filter((call) => call.path.includes('/events/parked'))).toEqual([]);
  });

  it('should name the permissions in German with "oder"', async () => {
    await api.signInAs(['sso:me:read']);
    renderApp('/administration/events', { language: 'de' });
    expect(screen.getByTestId('no-access').textContent).toContain(
      'integration:events:read oder leasing:events:read',
    );
  });

  it('should still name the one permission of a page that needs one', async () => {
    await api.signInAs(['sso:me:read']);
    renderApp('/administration/users');
    expect(screen.getByTestId('no-access').textContent).toContain('it needs the permission sso:users:read)');
  });
});
