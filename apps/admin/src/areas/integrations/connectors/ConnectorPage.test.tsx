import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderApp } from '../../../testing/render.tsx';
import { CONNECTOR_ID, RUN_ID, connectorFixture, runFixture } from '../integration.fixtures.ts';

const READ = ['integration:connectors:read', 'integration:runs:read'];
const WRITE = [...READ, 'integration:connectors:write', 'integration:runs:write'];
const CONNECTOR = `/api/integration/v1/connectors/${CONNECTOR_ID}`;

describe('the connector card', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer(`GET ${CONNECTOR}`, () => ({ body: connectorFixture() }));
    api.answer('GET /api/integration/v1/connectors', () => ({
      body: { items: [connectorFixture()], nextCursor: null },
    }));
    api.answer('GET /api/integration/v1/runs', () => ({
      body: {
        items: [runFixture({ status: 'completed', percent: 100, finishedAt: '2026-11-25T09:01:00.000Z' })],
        nextCursor: null,
      },
    }));
  });
  afterEach(() => api.close());

  it('should show the settings with the credentials only as "set", and no writing to a reader', async () => {
    await api.signInAs(READ);
    renderApp(`/integrations/connectors/${CONNECTOR_ID}`);
    expect(await screen.findByRole('heading', { name: 'Connector Dynamics Sales' })).toBeTruthy();
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).getByRole('link', { name: 'Integrations' }).getAttribute('href')).toBe(
      '/integrations',
    );
    expect(screen.getByText('Credentials').nextElementSibling?.textContent).toBe('set');
    expect(screen.getByText('https://crm.example.com/api/data/v9.2/')).toBeTruthy();
    expect(screen.getByText('Dynamics 365 accounts')).toBeTruthy();
    expect(await screen.findByRole('table', { name: 'Runs' })).toBeTruthy();
    for (const name of ['Run now', 'Edit', 'Disable', 'Delete', 'Test connection'])
      expect(screen.queryByRole('button', { name })).toBeNull();
    // The runs of this connector only.
    const runs = api.calls.find((call) => call.path === '/api/integration/v1/runs')!;
    expect(runs.query.get('connectorId')).toBe(CONNECTOR_ID);
  });

  it('should start a full run now and open it', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer(`POST ${CONNECTOR}/runs`, () => ({
      status: 202,
      body: runFixture({ status: 'queued', startedAt: null, read: 0, percent: null, total: null }),
    }));
    api.answer(`GET /api/integration/v1/runs/${RUN_ID}`, () => ({ body: runFixture() }));
    api.answer(`GET /api/integration/v1/runs/${RUN_ID}/records`, () => ({
      body: { items: [], nextCursor: null },
    }));
    await api.signInAs(WRITE);
    renderApp(`/integrations/connectors/${CONNECTOR_ID}`);
    await user.click(await screen.findByRole('button', { name: 'Run now' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Full (every record)' }));
    expect(await screen.findByRole('heading', { name: 'Run of Dynamics Sales' })).toBeTruthy();
    const start = api.calls.find((call) => call.path === `${CONNECTOR}/runs`)!;
    expect(start.body).toEqual({ mode: 'full' });
    expect(start.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should say why a run cannot start while one is under way', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer(`POST ${CONNECTOR}/runs`, () => ({
      status: 409,
      body: {
        title: 'A run is under way',
        status: 409,
        detail: 'Connector Dynamics Sales is running already.',
      },
    }));
    await api.signInAs(WRITE);
    renderApp(`/integrations/connectors/${CONNECTOR_ID}`);
    await user.click(await screen.findByRole('button', { name: 'Run now' }));
    await user.click(await screen.findByRole('menuitem', { name: /^Incremental/ }));
    expect(await screen.findByText('Connector Dynamics Sales is running already.')).toBeTruthy();
  });

  it('should disable with the version as If-Match, and delete only after a confirmation that starts on Cancel', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer(`PATCH ${CONNECTOR}`, () => ({ body: connectorFixture({ enabled: false, version: 5 }) }));
    api.answer(`DELETE ${CONNECTOR}`, () => ({
      body: connectorFixture({ deletedAt: '2026-11-25T11:00:00.000Z', deletedBy: 'tester', version: 6 }),
    }));
    await api.signInAs(WRITE);
    renderApp(`/integrations/connectors/${CONNECTOR_ID}`);
    await user.click(await screen.findByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(api.calls.some((call) => call.method === 'PATCH')).toBe(true));
    const patch = api.calls.find((call) => call.method === 'PATCH')!;
    expect(patch.headers['if-match']).toBe('"4"');
    expect(patch.body).toEqual({ enabled: false });

    const deleteButton = screen.getByRole('button', { name: 'Delete' });
    await user.click(deleteButton);
    const dialog = await screen.findByRole('dialog', { name: 'Delete the connector Dynamics Sales?' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(document.activeElement).toBe(deleteButton));
    expect(api.calls.some((call) => call.method === 'DELETE')).toBe(false);
    await user.click(deleteButton);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(api.calls.some((call) => call.method === 'DELETE')).toBe(true));
    expect(api.calls.find((call) => call.method === 'DELETE')!.headers['if-match']).toBe('"4"');
  });

  it('should offer a deleted connector for restoring, and nothing else', async () => {
    const user = userEvent.setup({ delay: null });
    api.answer(`GET ${CONNECTOR}`, () => ({
      body: connectorFixture({ deletedAt: '2026-11-25T11:00:00.000Z', deletedBy: 'tester' }),
    }));
    api.answer(`POST ${CONNECTOR}/restore`, () => ({ body: connectorFixture({ version: 7 }) }));
    await api.signInAs(WRITE);
    renderApp(`/integrations/connectors/${CONNECTOR_ID}`);
    await user.click(await screen.findByRole('button', { name: 'Restore' }));
    await waitFor(() => expect(api.calls.some((call) => call.path === `${CONNECTOR}/restore`)).toBe(true));
    expect(screen.queryByRole('button', { name: 'Run now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
  });
});

describe('the integrations menu entry', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/integration/v1/connectors', () => ({
      body: {
        items: [
          connectorFixture({
            lastRun: { id: RUN_ID, status: 'failed', finishedAt: '2026-11-25T09:02:00.000Z' },
          }),
        ],
        nextCursor: null,
      },
    }));
  });
  afterEach(() => api.close());

  it('should be offered with integration:connectors:read and list the connectors, the sub-pages by their own rights', async () => {
    await api.signInAs(['integration:connectors:read', 'integration:conflicts:read']);
    renderApp('/integrations');
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).getByRole('link', { name: 'Integrations' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Connectors' });
    expect((await within(table).findByRole('link', { name: 'Dynamics Sales' })).getAttribute('href')).toBe(
      `/integrations/connectors/${CONNECTOR_ID}`,
    );
    const sections = screen.getByRole('navigation', { name: 'Integrations pages' });
    expect(
      within(sections)
        .getAllByRole('link')
        .map((link) => link.textContent),
    ).toEqual(['Connectors', 'Conflicts']);
    expect(screen.queryByRole('link', { name: 'New connector' })).toBeNull();
    // The last run, by its status, opens it.
    const lastRun = within(table).getByRole('link', { name: 'Open the last run of Dynamics Sales' });
    expect(lastRun.getAttribute('href')).toBe(`/integrations/runs/${RUN_ID}`);
    expect(lastRun.textContent).toBe('Failed');
  });

  it('should not be offered without it, and a direct link says which permission is missing', async () => {
    await api.signInAs(['sso:me:read', 'integration:runs:read']);
    renderApp('/integrations');
    const menu = screen.getByRole('navigation', { name: 'Main' });
    expect(within(menu).queryByRole('link', { name: 'Integrations' })).toBeNull();
    expect(await screen.findByText(/integration:connectors:read/)).toBeTruthy();
    expect(api.calls.some((call) => call.path.startsWith('/api/integration/'))).toBe(false);
  });
});
