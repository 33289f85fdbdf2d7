import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../testing/api.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { policyFixture } from './asset.fixtures.ts';
import { InsuranceTab } from './InsurancePolicies.tsx';
import { assetsTexts } from './texts.ts';

const policy = policyFixture();

describe('InsuranceTab', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer(`GET /api/assets/v1/assets/${policy.assetId}/insurance-policies`, () => ({
      body: { items: [policy], nextCursor: null },
    }));
    await api.signInAs(['assets:assets:read', 'assets:insurance:write']);
  });
  afterEach(() => api.close());

  it('should give the focus back to the button that opened the policy dialog when it closes', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<InsuranceTab assetId={policy.assetId} currency="EUR" />, {
      texts: { assets: assetsTexts },
    });
    const edit = await screen.findByRole('button', { name: 'Edit policy RV-LW-55120873' });
    await user.click(edit);
    const dialog = await screen.findByRole('dialog', { name: 'Change policy RV-LW-55120873' });
    expect(within(dialog).getByLabelText(/Insurer/)).toHaveProperty('value', policy.insurer);
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(edit);

    const add = screen.getByRole('button', { name: 'Add policy' });
    await user.click(add);
    const adding = await screen.findByRole('dialog', { name: 'Add an insurance policy' });
    expect(within(adding).getByLabelText(/Insurer/)).toHaveProperty('value', '');
    await user.click(within(adding).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(add);
  });
});
