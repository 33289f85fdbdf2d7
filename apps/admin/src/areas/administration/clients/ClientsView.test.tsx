import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { administrationTexts } from '../texts.ts';
import { ClientsView, type ServiceClient } from './ClientsView.tsx';

const texts = { administration: administrationTexts };
const SECRET = 'Zx9-very-secret-value-7f3a1c2b9e';

const client: ServiceClient = {
  id: '01a2121b-dae4-77ef-b59d-bd3750e421a2',
  clientId: 'demo-risk',
  name: 'Risk desk',
  scopes: ['leasing:contracts:approve', 'parties:kyc:write'],
  active: true,
  createdAt: '2026-01-10T08:00:00.000Z',
  createdBy: 'system',
  updatedAt: '2026-01-10T08:00:00.000Z',
  updatedBy: 'system',
  version: 3,
  deletedAt: null,
  deletedBy: null,
};

function renderView(overrides: Partial<Parameters<typeof ClientsView>[0]> = {}) {
  const props = {
    clients: [client],
    loading: false,
    error: null,
    onRetry: () => undefined,
    canWrite: true,
    catalogue: [{ name: 'parties:kyc:write', description: 'Change KYC status.' }],
    onCreate: vi.fn(async () => ({ clientId: 'new-client', clientSecret: SECRET })),
    onUpdate: vi.fn(async () => undefined),
    onRotate: vi.fn(async () => ({ clientId: client.clientId, clientSecret: SECRET })),
    ...overrides,
  };
  renderWithProviders(<ClientsView {...props} />, { texts });
  return props;
}

// Generous: the machine is shared, and Mantine's modals in jsdom take seconds.
describe('ClientsView', { timeout: 30_000 }, () => {
  it('should show a rotated secret once, with a copy button and a warning, and drop it when closed', async () => {
    const user = userEvent.setup();
    const props = renderView();
    expect(screen.getByRole('table', { name: 'Service clients' })).toBeDefined();

    await user.click(screen.getByRole('button', { name: 'Rotate secret of demo-risk' }));
    const confirm = await screen.findByRole('dialog', { name: 'Rotate the secret of demo-risk?' });
    await user.click(within(confirm).getByRole('button', { name: 'Rotate secret' }));
    expect(props.onRotate).toHaveBeenCalledWith(client);

    const shown = await screen.findByRole('dialog', { name: 'Secret of demo-risk' });
    expect(within(shown).getByRole<HTMLInputElement>('textbox', { name: 'Client secret' }).value).toBe(
      SECRET,
    );
    expect(within(shown).getByRole('alert').textContent).toContain('cannot be shown again');
    await user.click(within(shown).getByRole('button', { name: 'Copy secret' }));
    await expect(navigator.clipboard.readText()).resolves.toBe(SECRET);
    expect(within(shown).getByRole('button', { name: 'Copied' })).toBeDefined();

    // Escape does not close it by accident; only the explicit button does.
    await user.keyboard('{Escape}');
    expect(screen.getByRole('dialog', { name: 'Secret of demo-risk' })).toBeDefined();
    await user.click(within(shown).getByRole('button', { name: 'I have stored the secret' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Secret of demo-risk' })).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it('should show the secret of a new client once and send the picked scopes', async () => {
    const user = userEvent.setup();
    const props = renderView();
    await user.click(screen.getByRole('button', { name: 'New service client' }));
    const form = await screen.findByRole('dialog', { name: 'New service client' });
    await user.type(within(form).getByRole('textbox', { name: /^Client ID/ }), 'new-client');
    await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'New client');
    await user.click(within(form).getByRole('checkbox', { name: /^parties:kyc:write/ }));
    await user.click(within(form).getByRole('button', { name: 'Create service client' }));

    expect(props.onCreate).toHaveBeenCalledWith({
      clientId: 'new-client',
      name: 'New client',
      scopes: ['parties:kyc:write'],
      active: true,
    });
    const shown = await screen.findByRole('dialog', { name: 'Secret of new-client' });
    expect(within(shown).getByRole<HTMLInputElement>('textbox', { name: 'Client secret' }).value).toBe(
      SECRET,
    );
    await user.click(within(shown).getByRole('button', { name: 'I have stored the secret' }));
    await waitFor(() => expect(document.body.innerHTML).not.toContain(SECRET));
  });

  it('should keep the form and show the API field errors when creating fails, with no secret', async () => {
    const user = userEvent.setup();
    renderView({
      onCreate: vi.fn(async () => {
        throw new ApiError({
          title: 'Conflict',
          status: 409,
          errors: [{ field: '/body/clientId', message: 'client ID demo-risk is taken' }],
        });
      }),
    });
    await user.click(screen.getByRole('button', { name: 'New service client' }));
    const form = await screen.findByRole('dialog', { name: 'New service client' });
    await user.type(within(form).getByRole('textbox', { name: /^Client ID/ }), 'demo-risk');
    await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'Again');
    await user.click(within(form).getByRole('button', { name: 'Create service client' }));

    expect(await within(form).findByText('client ID demo-risk is taken')).toBeDefined();
    expect(screen.queryByRole('textbox', { name: 'Client secret' })).toBeNull();
  });

  it('should offer no create, edit or rotate without write permission', () => {
    renderView({ canWrite: false });
    expect(screen.queryByRole('button', { name: 'New service client' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Rotate secret/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
  });
});
