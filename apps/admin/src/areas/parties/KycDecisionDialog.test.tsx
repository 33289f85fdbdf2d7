import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { KycDecisionDialog } from './KycDecisionDialog.tsx';
import { partyFixture } from './party.fixtures.ts';
import { partiesTexts } from './texts.ts';

const party = partyFixture({ kycStatus: 'pending' });

describe('KycDecisionDialog', { timeout: 30_000 }, () => {
  // Its reason is an autosizing Textarea, which needs `document.fonts` (stubbed for jsdom in testing/setup.ts).
  it('should show the reason refused beside its field and what names no field at the top', async () => {
    const error = new ApiError({
      title: 'The request is not valid',
      status: 400,
      detail: 'The KYC decision breaks the rules',
      errors: [
        { field: '/body/reason', message: 'must NOT have more than 1000 characters' },
        { field: '/headers/if-match', message: 'must be the version read' },
      ],
    });
    renderWithProviders(
      <KycDecisionDialog party={party} opened onClose={vi.fn()} onSubmit={vi.fn()} error={error} />,
      { texts: { parties: partiesTexts } },
    );
    const dialog = await screen.findByRole('dialog', { name: 'KYC decision for Hofmann Agrar GmbH' });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    await waitFor(() => expect(reason.getAttribute('aria-invalid')).toBe('true'));
    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toContain('The party was not saved');
    expect(alert.textContent).toContain('The KYC decision breaks the rules');
    expect(alert.textContent).toContain('if-match: must be the version read');
    expect(alert.textContent).not.toContain('1000 characters');
  });
});
