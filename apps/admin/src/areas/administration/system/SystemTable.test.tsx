import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import { administrationTexts } from '../texts.ts';
import { SystemTable, type ServiceHealth } from './SystemTable.tsx';

const texts = { administration: administrationTexts };

function service(name: string, overrides: Partial<ServiceHealth> = {}): ServiceHealth {
  return {
    name,
    ready: true,
    detail: null,
    probeMs: 4,
    requestsPerSecond: 12.5,
    p99Ms: 42,
    p99Basis: 'window',
    windowSeconds: 15,
    outboxPending: 0,
    outboxOldestAgeSeconds: 0,
    parked: 0,
    queueDepth: 0,
    lagP99Seconds: 0.2,
    lagBasis: 'window',
    metricsError: null,
    docsUrl: `/api/${name}/docs`,
    parkedUrl: null,
    ...overrides,
  };
}

/** The row of the services table that names `name`. */
function row(name: string): HTMLElement {
  const table = screen.getByRole('table', { name: 'Services' });
  const found = within(table)
    .getAllByRole('row')
    .find((tr) => within(tr).queryAllByRole('cell')[0]?.textContent === name);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

describe('SystemTable', { timeout: 30_000 }, () => {
  it('should mark a p99 over 300 ms and a service that is not ready, in the row and above the table', () => {
    renderWithProviders(
      <SystemTable
        services={[
          service('parties'),
          service('billing', { p99Ms: 450 }),
          service('finance', { ready: false, detail: 'timed out', probeMs: null }),
          service('leasing', { p99Ms: 300 }),
        ]}
      />,
      { texts },
    );

    expect(within(row('billing')).getByText('over budget')).toBeDefined();
    expect(within(row('billing')).getByText('450 ms')).toBeDefined();
    expect(within(row('finance')).getByText('Not ready')).toBeDefined();
    expect(within(row('finance')).getByText('timed out')).toBeDefined();
    // Exactly at the budget is within it.
    expect(within(row('leasing')).queryByText('over budget')).toBeNull();
    expect(within(row('parties')).queryByText('over budget')).toBeNull();
    expect(within(row('parties')).getByText('Ready')).toBeDefined();

    const summary = screen.getByRole('status');
    expect(summary.textContent).toContain('2 services need attention');
    expect(summary.textContent).toContain('billing: p99 450 ms (last 15 s), over the 300 ms budget');
    expect(summary.textContent).toContain('finance: not ready (timed out)');
  });

  it('should mark a consumer whose p99 lag is over a minute, and show what waits in each queue', () => {
    renderWithProviders(
      <SystemTable
        services={[
          service('finance', { queueDepth: 1500, lagP99Seconds: 95.5 }),
          service('audit', { queueDepth: 1, lagP99Seconds: 60, lagBasis: 'since-start' }),
          service('gateway', { queueDepth: null, lagP99Seconds: null, lagBasis: null }),
        ]}
      />,
      { texts },
    );
    expect(within(row('finance')).getByText('1,500 waiting')).toBeDefined();
    expect(within(row('finance')).getByText('behind')).toBeDefined();
    expect(within(row('audit')).getByText('1 waiting')).toBeDefined();
    // Exactly at the limit is within it.
    expect(within(row('audit')).queryByText('behind')).toBeNull();
    expect(within(row('audit')).getByText(/p99 60 s · since start/)).toBeDefined();
    expect(within(row('gateway')).queryByText(/waiting/)).toBeNull();

    const summary = screen.getByRole('status');
    expect(summary.textContent).toContain('1 service needs attention');
    expect(summary.textContent).toContain('finance: consumer p99 lag 95.5 s (last 15 s), over 60 s');
  });

  it('should not judge a p99 since the start (boot and old load included), and say when a window had no requests', () => {
    renderWithProviders(
      <SystemTable
        services={[
          service('leasing', {
            p99Ms: 950,
            p99Basis: 'since-start',
            lagP99Seconds: 300,
            lagBasis: 'since-start',
          }),
          service('billing', { p99Ms: null, p99Basis: 'window', windowSeconds: 300 }),
        ]}
      />,
      { texts },
    );
    expect(within(row('leasing')).getByText('950 ms')).toBeDefined();
    expect(within(row('leasing')).queryByText('over budget')).toBeNull();
    expect(within(row('leasing')).queryByText('behind')).toBeNull();
    expect(within(row('billing')).getByText('no requests (last 5 min)')).toBeDefined();
    expect(screen.getByRole('status').textContent).toContain('Every service is ready');
  });

  it('should say all is well when every service is ready and within budget, and link the API docs', () => {
    renderWithProviders(<SystemTable services={[service('sso'), service('audit', { docsUrl: null })]} />, {
      texts,
    });
    expect(screen.getByRole('status').textContent).toContain(
      'Every service is ready and within the 300 ms budget.',
    );
    expect(screen.getByRole('link', { name: 'API docs of sso' }).getAttribute('href')).toBe('/api/sso/docs');
    expect(screen.queryByRole('link', { name: 'API docs of audit' })).toBeNull();
  });

  it('should show what the metrics do not have, and the outbox backlog, in German', () => {
    renderWithProviders(
      <SystemTable
        services={[
          service('gateway', {
            outboxPending: null,
            parked: null,
            requestsPerSecond: null,
            p99Basis: 'since-start',
          }),
          service('assets', { outboxPending: 1200, outboxOldestAgeSeconds: 3.5, metricsError: null }),
          service('geo', { metricsError: 'HTTP 404', requestsPerSecond: null, p99Ms: null }),
        ]}
      />,
      { texts, language: 'de' },
    );
    const assets = screen
      .getAllByRole('row')
      .find((tr) => within(tr).queryAllByRole('cell')[0]?.textContent === 'assets')!;
    expect(within(assets).getByText('1.200')).toBeDefined();
    expect(within(assets).getByText('ältestes 3,5 s')).toBeDefined();
    const gateway = screen
      .getAllByRole('row')
      .find((tr) => within(tr).queryAllByRole('cell')[0]?.textContent === 'gateway')!;
    expect(within(gateway).getByText('wird gemessen…')).toBeDefined();
    expect(within(gateway).getByText('seit Start, nicht bewertet')).toBeDefined();
    const geo = screen
      .getAllByRole('row')
      .find((tr) => within(tr).queryAllByRole('cell')[0]?.textContent === 'geo')!;
    expect(within(geo).getByText('keine Metriken')).toBeDefined();
  });
});
