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
});
