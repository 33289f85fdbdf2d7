import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { partyFixture } from './party.fixtures.ts';
import { PartyCard } from './PartyCard.tsx';
import { partiesTexts } from './texts.ts';

const texts = { parties: partiesTexts };

describe('PartyCard', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    await api.signInAs(['parties:parties:read', 'parties:parties:write', 'parties:kyc:write']);
  });
  afterEach(() => api.close());

  it('should give the focus back to KYC decision when its dialog is closed with Escape', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartyCard party={partyFixture({ kycStatus: 'pending' })} />, { texts });
    const button = screen.getByRole('button', { name: 'KYC decision' });
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'KYC decision for Hofmann Agrar GmbH' });
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(button);
  });

  it('should open the KYC decision empty again after it was closed with a reason typed', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartyCard party={partyFixture({ kycStatus: 'pending' })} />, { texts });
    await user.click(screen.getByRole('button', { name: 'KYC decision' }));
    await user.type(
      within(await screen.findByRole('dialog')).getByRole('textbox', { name: /Reason/ }),
      'Seen',
    );
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'KYC decision' }));
    const reason = within(await screen.findByRole('dialog')).getByRole('textbox', { name: /Reason/ });
    expect(reason).toHaveProperty('value', '');
  });

  it('should start the Delete confirmation on Cancel, so that Enter deletes nothing', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PartyCard party={partyFixture()} />, { texts });
    const button = screen.getByRole('button', { name: 'Delete' });
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Delete this party?' });
    await waitFor(() =>
      expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' })),
    );
    await user.keyboard('{Enter}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(button);
    expect(api.calls.filter((call) => call.method === 'DELETE')).toEqual([]);
  });

  it('should start the Restore confirmation on Confirm', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PartyCard
        party={partyFixture({ deletedAt: '2026-11-26T08:00:00.000Z', deletedBy: 'client:demo-sales' })}
      />,
      { texts },
    );
    await user.click(screen.getByRole('button', { name: 'Restore' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore this party?' });
    await waitFor(() =>
      expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Confirm' })),
    );
  });

  it('should name who made each KYC decision, a short id where no name is known', async () => {
    const user = userEvent.setup({ delay: null });
    const party = partyFixture({ kycStatus: 'verified' });
    const ADA = '01a2121c-0d46-73c8-8906-818e447dc3f7';
    const GONE = '01a2121c-0d46-73c8-8906-000000000bad';
    const entry = (id: string, actor: string) => ({
      id,
      partyId: party.id,
      from: 'pending',
      status: 'verified',
      reason: 'Documents seen',
      actor,
      at: '2026-11-26T08:00:00.000Z',
    });
    api.answer(`GET /api/parties/v1/parties/${party.id}/kyc-history`, () => ({
      body: {
        items: [
          entry('01a2121c-0c00-7000-8000-000000000001', ADA),
          entry('01a2121c-0c00-7000-8000-000000000002', GONE),
          entry('01a2121c-0c00-7000-8000-000000000003', 'client:demo-risk'),
        ],
        nextCursor: null,
      },
    }));
    api.answer(`GET /api/sso/v1/users/${ADA}`, () => ({
      body: { id: ADA, username: 'ada', fullName: 'Ada Lovelace' },
    }));
    api.answer(`GET /api/sso/v1/users/${GONE}`, () => ({
      status: 404,
      body: { title: 'Not Found', status: 404, detail: 'No such user' },
    }));
    await api.signInAs(['parties:parties:read', 'sso:users:read']);
    renderWithProviders(<PartyCard party={party} />, { texts });
    await user.click(screen.getByRole('tab', { name: 'KYC decisions' }));
    const table = await screen.findByRole('table', { name: 'KYC decisions' });
    const named = await within(table).findByText('ada', {}, { timeout: 10_000 });
    expect(named.getAttribute('title')).toBe(ADA);
    expect(within(table).getByText('01a2121c…').getAttribute('title')).toBe(GONE);
    expect(within(table).getByText('client:demo-risk')).toBeTruthy();
    expect(table.textContent).not.toContain(ADA);
    expect(
      api.calls
        .filter((call) => call.path.startsWith('/api/sso/v1/users/'))
        .map((call) => call.path)
        .sort(),
    ).toEqual([`/api/sso/v1/users/${GONE}`, `/api/sso/v1/users/${ADA}`].sort());
  });
});
