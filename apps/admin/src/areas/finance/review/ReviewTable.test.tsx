import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { ReviewItem } from '../common/types.ts';
import { financeTexts } from '../texts.ts';
import { ReviewTable } from './ReviewTable.tsx';

const texts = { finance: financeTexts };
const ADA = '01a2121c-0d46-73c8-8906-818e447dc3f7';
const GONE = '01a2121c-0d46-73c8-8906-000000000bad';

function discarded(id: string, resolvedBy: string): ReviewItem {
  return {
    id,
    eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
    eventType: 'lessor.leasing.contract.activated.v1',
    legalEntity: null,
    reasonCode: 'NO_MATCHING_RULE',
    reason: 'No posting rule matches this event',
    status: 'discarded',
    attempts: 1,
    entryId: null,
    event: {},
    derived: {},
    createdAt: '2026-11-25T09:49:21.505Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    resolvedAt: '2026-11-25T10:00:00.000Z',
    resolvedBy,
    note: 'Test event',
  };
}

describe('the review list', { timeout: 30_000 }, () => {
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
    await api.signInAs(['finance:review:read', 'sso:users:read']);
  });
  afterEach(() => api.close());

  it('should name who discarded an event beside the note, a short id where no name is known', async () => {
    renderWithProviders(
      <ReviewTable
        rows={[
          discarded('01a2121c-0e00-7000-8000-000000000001', ADA),
          discarded('01a2121c-0e00-7000-8000-000000000002', GONE),
        ]}
        onShowEvent={() => undefined}
      />,
      { texts },
    );
    const table = screen.getByRole('table', { name: 'Review list' });
    const named = await within(table).findByText('Test event (ada)', {}, { timeout: 10_000 });
    expect(named.getAttribute('title')).toBe(ADA);
    expect(within(table).getByText('Test event (01a2121c…)').getAttribute('title')).toBe(GONE);
    expect(table.textContent).not.toContain(ADA);
  });
});
