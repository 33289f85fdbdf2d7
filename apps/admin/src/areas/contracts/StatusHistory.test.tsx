import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { StatusHistoryTable } from './StatusHistory.tsx';
import { contractsTexts } from './texts.ts';

const texts = { contracts: contractsTexts };
const ADA = '01a2121c-0d46-73c8-8906-818e447dc3f7';
const GONE = '01a2121c-0d46-73c8-8906-000000000bad';

const change = (actor: string, to: string) => ({
  from: 'draft',
  to,
  businessDate: '2026-11-25',
  reason: null,
  actor,
  at: '2026-11-25T09:49:21.505Z',
});

describe('the contract status history', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer(`GET /api/sso/v1/users/${ADA}`, () => ({
      body: { id: ADA, username: 'ada', fullName: 'Ada Lovelace' },
    }));
    api.answer(`GET /api/sso/v1/users/${GONE}`, () => ({
      status: 404,
      body: { title: 'Not Found', status: 404, detail: 'No such user' },
    }));
    await api.signInAs(['leasing:contracts:read', 'sso:users:read']);
  });
  afterEach(() => api.close());

  it('should name who changed the status, a short id where no name is known', async () => {
    renderWithProviders(
      <StatusHistoryTable
        rows={[change(ADA, 'approved'), change(GONE, 'signed'), change('system', 'active')]}
      />,
      { texts },
    );
    const table = screen.getByRole('table', { name: 'Status history' });
    expect((await within(table).findByText('ada', {}, { timeout: 10_000 })).getAttribute('title')).toBe(ADA);
    expect(within(table).getByText('01a2121c…').getAttribute('title')).toBe(GONE);
    expect(within(table).getByText('system')).toBeTruthy();
    expect(table.textContent).not.toContain(ADA);
  });
});
