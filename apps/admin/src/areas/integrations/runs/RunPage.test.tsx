import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderApp, renderWithProviders } from '../../../testing/render.tsx';
import { RUN_ID, connectorFixture, runFixture, runRecordFixtures } from '../integration.fixtures.ts';
import { integrationsTexts } from '../texts.ts';
import type { Run } from '../types.ts';
import { RunCounts, RunProgress } from './RunProgress.tsx';

const texts = { integrations: integrationsTexts };
const RUN = `/api/integration/v1/runs/${RUN_ID}`;

describe('a run’s progress', { timeout: 30_000 }, () => {
  it('should show the share read as a named progress bar, and the counts of the report', () => {
    renderWithProviders(
      <>
        <RunProgress run={runFixture()} />
        <RunCounts run={runFixture()} />
      </>,
      { texts },
    );
    const bar = screen.getByRole('progressbar', { name: 'Progress of the run' });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(screen.getByText('1000 of 4000 records read (25 %)')).toBeTruthy();
    for (const text of [
      'Read: 1000',
      'Created: 990',
      'Unchanged: 0',
      'Conflicts: 6',
      'Duplicates: 3',
      'Errors: 1',
    ])
      expect(screen.getByText(text)).toBeTruthy();
  });

  it('should say what was read while the total is unknown, and be full once completed', () => {
    const { unmount } = renderWithProviders(
      <RunProgress run={runFixture({ total: null, percent: null, read: 2000 })} />,
      { texts, language: 'de' },
    );
    expect(screen.getByText('2000 Datensätze gelesen')).toBeTruthy();
    unmount();
    renderWithProviders(<RunProgress run={runFixture({ status: 'completed', percent: 99, read: 4000 })} />, {
      texts,
    });
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('4000 records read.')).toBeTruthy();
  });
});

describe('the run page', { timeout: 60_000 }, () => {
  let api: TestApi;
  let run: Run;
  beforeEach(async () => {
    api = await serveApi();
    run = runFixture();
    api.answer('GET /api/integration/v1/connectors', () => ({
      body: { items: [connectorFixture()], nextCursor: null },
    }));
    api.answer(`GET ${RUN}`, () => ({ body: run }));
    api.answer(`GET ${RUN}/records`, ({ query }) => {
      const outcome = query.get('outcome');
      const items = runRecordFixtures().filter((record) => outcome === null || record.outcome === outcome);
      return { body: { items, nextCursor: null } };
    });
    await api.signInAs(['integration:connectors:read', 'integration:runs:read']);
  });
  afterEach(() => api.close());

  it('should follow a run under way until it completes, its records included', async () => {
    renderApp(`/integrations/runs/${RUN_ID}`);
    expect(await screen.findByRole('heading', { name: 'Run of Dynamics Sales' })).toBeTruthy();
    expect(await screen.findByText('1000 of 4000 records read (25 %)')).toBeTruthy();
    expect(screen.getByText('Running')).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Records of the run' });
    await within(table).findByText('ACC-0001');

    // The run goes on and ends: the page asks again by itself.
    run = runFixture({
      status: 'completed',
      percent: 100,
      read: 4000,
      created: 3990,
      finishedAt: '2026-11-25T09:03:00.000Z',
    });
    expect(await screen.findByText('Completed')).toBeTruthy();
    expect(screen.getByText('4000 records read.')).toBeTruthy();
    expect(screen.getByText('Created: 3990')).toBeTruthy();
  });

  it('should show each record with its outcome and reason, and filter them by outcome', async () => {
    const user = userEvent.setup({ delay: null });
    run = runFixture({ status: 'completed', percent: 100 });
    renderApp(`/integrations/runs/${RUN_ID}`);
    const table = await screen.findByRole('table', { name: 'Records of the run' });
    expect(
      await within(table).findByText('taxId differs: Lessor keeps DE811907980, the CRM has DE136695976'),
    ).toBeTruthy();
    expect(within(table).getByText('country: "Germany" is not an ISO country code')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: 'Error' }));
    await waitFor(() => {
      expect(within(table).queryByText('ACC-0001')).toBeNull();
      expect(within(table).getByText('ACC-0003')).toBeTruthy();
    });
    const filtered = api.calls.filter((call) => call.path === `${RUN}/records`).at(-1)!;
    expect(filtered.query.get('outcome')).toBe('error');
  });

  it('should say why a failed run failed', async () => {
    run = runFixture({
      status: 'failed',
      error: 'The CRM did not answer within 30 s (page 3)',
      finishedAt: '2026-11-25T09:02:00.000Z',
    });
    renderApp(`/integrations/runs/${RUN_ID}`);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The run failed');
    expect(alert.textContent).toContain('The CRM did not answer within 30 s (page 3)');
  });
});
