import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { administrationTexts } from '../texts.ts';
import type { LoginThrottleStatus } from './LoginThrottle.tsx';
import { UserPage } from './UserPage.tsx';

const ID = '01a2121b-dae4-77ef-b59d-bd3750e421a2';
const user = {
  id: ID,
  username: 'victim',
  fullName: 'Vera Victim',
  email: null,
  active: true,
  roles: [],
  createdAt: '2026-01-10T08:00:00.000Z',
  createdBy: 'system',
  updatedAt: '2026-01-10T08:00:00.000Z',
  updatedBy: 'system',
  version: 1,
  deletedAt: null,
  deletedBy: null,
};
const free: LoginThrottleStatus = {
  throttled: false,
  failures: 0,
  ceiling: 100,
  ceilingReached: false,
  addresses: [],
};
const held: LoginThrottleStatus = {
  throttled: true,
  failures: 7,
  ceiling: 100,
  ceilingReached: false,
  addresses: [
    {
      address: '203.0.113.66',
      failures: 7,
      lastFailureAt: '2026-12-07T10:00:00.000Z',
      retryAfterSeconds: 64,
    },
  ],
};

describe('UserPage sign-in throttling', { timeout: 30_000 }, () => {
  let api: TestApi;
  let status: LoginThrottleStatus;

  beforeEach(async () => {
    api = await serveApi();
    status = held;
    api.answer(`GET /api/sso/v1/users/${ID}`, () => ({ body: user, headers: { etag: '"1"' } }));
    api.answer(`GET /api/sso/v1/users/${ID}/login-throttle`, () => ({ body: status }));
    api.answer(`POST /api/sso/v1/users/${ID}/unlock`, () => {
      status = free;
      return { body: free };
    });
  });
  afterEach(() => api.close());

  const renderPage = () =>
    renderWithProviders(
      <Routes>
        <Route path="/administration/users/:id" element={<UserPage />} />
      </Routes>,
      { texts: { administration: administrationTexts }, path: `/administration/users/${ID}` },
    );

  it('should show the held-back addresses and lift the lock with "Lift lock"', async () => {
    await api.signInAs(['sso:users:read', 'sso:users:write']);
    renderPage();
    const lift = await screen.findByRole('button', { name: 'Lift lock' }, { timeout: 10_000 });
    const table = screen.getByRole('table', { name: 'Addresses held back' });
    expect(table.textContent).toContain('203.0.113.66');
    expect(table.textContent).toContain('64 s');
    await userEvent.click(lift);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Lift lock' })).toBeNull());
    const posts = api.calls.filter((call) => call.method === 'POST' && call.path.includes('/users/'));
    expect(posts.map((call) => call.path)).toEqual([`/api/sso/v1/users/${ID}/unlock`]);
    expect(await screen.findByText('No address is held back from signing in as this user.')).toBeDefined();
  });

  it('should offer no "Lift lock" to a reader without sso:users:write', async () => {
    await api.signInAs(['sso:users:read']);
    renderPage();
    expect(await screen.findByRole('table', { name: 'Addresses held back' })).toBeDefined();
    expect(screen.queryByRole('button', { name: 'Lift lock' })).toBeNull();
  });

  it('should offer no "Lift lock" when nothing is held back', async () => {
    status = free;
    await api.signInAs(['sso:users:read', 'sso:users:write']);
    renderPage();
    expect(await screen.findByText('No address is held back from signing in as this user.')).toBeDefined();
    expect(screen.queryByRole('button', { name: 'Lift lock' })).toBeNull();
  });
});
