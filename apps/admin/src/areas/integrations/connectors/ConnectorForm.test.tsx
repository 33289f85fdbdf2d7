import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.ts';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { CONNECTOR_ID, connectorFixture } from '../integration.fixtures.ts';
import { integrationsTexts } from '../texts.ts';
import type { NewConnector } from '../types.ts';
import { ConnectorForm } from './ConnectorForm.tsx';

const texts = { integrations: integrationsTexts };

/** Puts `text` into a field as a paste (one input event: typing each character is slow on a loaded machine). */
async function fill(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}
const SECRET = 'peer-secret-that-never-comes-back';

describe('ConnectorForm', { timeout: 60_000 }, () => {
  it('should ask a new connector for its secret, and send it inside the authentication', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(body: NewConnector) => Promise<unknown>>(() => Promise.resolve());
    renderWithProviders(<ConnectorForm onSubmit={onSubmit} />, { texts });
    const secret = screen.getByLabelText(/Client secret/);
    expect(screen.getByText('Not set. It is stored encrypted and never shown again.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).not.toHaveBeenCalled();
    // Name, service root, token URL, client ID and the secret.
    expect(screen.getAllByText('Required.')).toHaveLength(5);
    expect(screen.getByRole('textbox', { name: /Service root/ }).getAttribute('aria-invalid')).toBe('true');

    await fill(user, screen.getByRole('textbox', { name: /^Name/ }), 'Dynamics Sales');
    await fill(user, screen.getByRole('textbox', { name: /Service root/ }), 'ftp://crm.example.com/');
    await fill(user, screen.getByRole('textbox', { name: /Token URL/ }), 'https://login.example.com/token');
    await fill(user, screen.getByRole('textbox', { name: /Client ID/ }), 'lessor');
    await fill(user, secret, SECRET);
    await fill(user, screen.getByRole('textbox', { name: /Schedule/ }), 'every hour');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('An address starting with https:// or http://.')).toBeTruthy();
    expect(screen.getByText(/A cron expression of five fields/)).toBeTruthy();

    const url = screen.getByRole('textbox', { name: /Service root/ });
    await user.clear(url);
    await fill(user, url, 'https://crm.example.com/api/data/v9.2/');
    const schedule = screen.getByRole('textbox', { name: /Schedule/ });
    await user.clear(schedule);
    await fill(user, schedule, '*/15 * * * *');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledOnce();
    expect(onSubmit.mock.calls[0]![0]).toEqual({
      name: 'Dynamics Sales',
      kind: 'crm',
      protocol: 'odata-v4',
      baseUrl: 'https://crm.example.com/api/data/v9.2/',
      auth: {
        kind: 'oauth2',
        tokenUrl: 'https://login.example.com/token',
        clientId: 'lessor',
        clientSecret: SECRET,
      },
      mapping: { preset: 'dynamics' },
      schedule: '*/15 * * * *',
      enabled: true,
    });
  });

  it('should never fill the secret from the server, say it is set, and keep it when left empty', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn<(body: NewConnector) => Promise<unknown>>(() => Promise.resolve());
    renderWithProviders(
      <ConnectorForm
        connector={connectorFixture({
          auth: { kind: 'basic', username: 'LESSOR_API' },
          protocol: 'odata-v2',
        })}
        onSubmit={onSubmit}
      />,
      { texts },
    );
    const password = screen.getByLabelText<HTMLInputElement>(/^Password/);
    expect(password.value).toBe('');
    expect(password.getAttribute('autocomplete')).toBe('new-password');
    expect(screen.getByText(/^Set\. It is never shown/)).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: /User name/ }).value).toBe('LESSOR_API');
    await user.click(screen.getByRole('switch', { name: 'Enabled' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledOnce();
    const body = onSubmit.mock.calls[0]![0];
    expect(body.auth).toEqual({ kind: 'basic', username: 'LESSOR_API' });
    expect(body.enabled).toBe(false);
    expect(JSON.stringify(body)).not.toContain('password');
  });

  it('should offer the accounting preset for an accounting connector', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<ConnectorForm onSubmit={vi.fn()} />, { texts });
    await user.click(screen.getByRole('combobox', { name: /^Kind/ }));
    await user.click(await screen.findByRole('option', { name: 'Accounting', hidden: true }));
    expect(screen.getByRole<HTMLInputElement>('combobox', { name: /^Mapping/ }).value).toBe(
      'Accounting journal entries',
    );
  });

  it('should show the API’s field errors beside their fields and the rest at the top', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn(() =>
      Promise.reject(
        new ApiError({
          title: 'The request is not valid',
          status: 400,
          detail: '2 field(s) failed validation',
          errors: [
            { field: '/body/schedule', message: 'is not a valid cron expression' },
            { field: '/body/mapping/inbound', message: 'must NOT have additional properties' },
          ],
        }),
      ),
    );
    renderWithProviders(<ConnectorForm connector={connectorFixture()} onSubmit={onSubmit} />, { texts });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('is not a valid cron expression')).toBeTruthy();
    expect(screen.getByRole('textbox', { name: /Schedule/ }).getAttribute('aria-invalid')).toBe('true');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The connector was not saved');
    expect(alert.textContent).toContain('mapping.inbound: must NOT have additional properties');
  });
});

describe('ConnectorForm’s connection test', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    await api.signInAs(['integration:connectors:read', 'integration:connectors:write']);
  });
  afterEach(() => api.close());

  it('should try the settings as typed on a saved connector, its stored secret standing in', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer(`POST /api/integration/v1/connectors/${CONNECTOR_ID}/test`, () => ({
      body: { ok: true, status: 200, message: 'OData v4 service answered $metadata', durationMs: 42 },
    }));
    renderWithProviders(<ConnectorForm connector={connectorFixture()} onSubmit={vi.fn()} />, { texts });
    const url = screen.getByRole('textbox', { name: /Service root/ });
    await user.clear(url);
    await fill(user, url, 'https://crm2.example.com/api/data/v9.2/');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const result = await screen.findByRole('status');
    expect(result.textContent).toContain('The connection works');
    expect(result.textContent).toContain('HTTP 200 in 42 ms · OData v4 service answered $metadata');
    const call = api.calls.find((c) => c.path.endsWith('/test'))!;
    expect(call.body).toEqual({
      protocol: 'odata-v4',
      baseUrl: 'https://crm2.example.com/api/data/v9.2/',
      auth: { kind: 'oauth2', tokenUrl: 'https://login.example.com/oauth2/token', clientId: 'lessor' },
    });
  });

  it('should test a new connector’s settings before it is saved, and show a refusal in red', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer('POST /api/integration/v1/connector-tests', () => ({
      body: { ok: false, status: 401, message: 'The token endpoint refused the client', durationMs: 17 },
    }));
    renderWithProviders(<ConnectorForm onSubmit={vi.fn()} />, { texts });
    // Nothing to try yet: the fields it needs are marked, and nothing is sent.
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(screen.getByRole('textbox', { name: /Service root/ }).getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.filter((c) => c.path.includes('connector-tests'))).toEqual([]);

    await fill(user, screen.getByRole('textbox', { name: /Service root/ }), 'https://crm.example.com/odata/');
    await fill(user, screen.getByRole('textbox', { name: /Token URL/ }), 'https://login.example.com/token');
    await fill(user, screen.getByRole('textbox', { name: /Client ID/ }), 'lessor');
    await fill(user, screen.getByLabelText(/Client secret/), SECRET);
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    const result = await screen.findByRole('alert');
    expect(result.textContent).toContain('The connection failed');
    expect(result.textContent).toContain('HTTP 401 in 17 ms · The token endpoint refused the client');
    await waitFor(() => expect(api.calls.filter((c) => c.path.includes('connector-tests'))).toHaveLength(1));
    expect(api.calls.find((c) => c.path.includes('connector-tests'))!.body).toMatchObject({
      auth: { clientSecret: SECRET },
    });
  });
});
