import { configure, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { SystemPage } from './SystemPage.tsx';

configure({ asyncUtilTimeout: 15_000 });

/** leasing's /metrics with `fast` requests within 0.1 s and `slow` ones between 0.3 s and 1 s, since its start. */
function exposition(fast: number, slow: number): string {
  const route = 'route="/v1/contracts",method="GET",status="200"';
  return [
    `http_requests_total{${route}} ${fast + slow}`,
    `http_request_duration_seconds_bucket{le="0.1",${route}} ${fast}`,
    `http_request_duration_seconds_bucket{le="0.3",${route}} ${fast}`,
    `http_request_duration_seconds_bucket{le="1",${route}} ${fast + slow}`,
    `http_request_duration_seconds_bucket{le="+Inf",${route}} ${fast + slow}`,
    'lessor_outbox_pending 0',
    '',
  ].join('\n');
}

describe('SystemPage', { timeout: 60_000 }, () => {
  let api: TestApi;
  // The boot and the demo load: 100 slow requests, long before anyone opens the page.
  let counts = { fast: 50, slow: 100 };
  beforeEach(async () => {
    api = await serveApi();
    counts = { fast: 50, slow: 100 };
    api.answer('GET /api/gateway/v1/services', () => ({
      body: {
        items: [{ name: 'leasing', baseUrl: 'http://leasing', ready: true, latencyMs: 3, detail: null }],
      },
    }));
    const metrics = () => ({
      text: exposition(counts.fast, counts.slow),
      headers: { 'content-type': 'text/plain; version=0.0.4' },
    });
    api.answer('GET /api/leasing/metrics', metrics);
    api.answer('GET /api/gateway/metrics', metrics);
  });
  afterEach(() => api.close());

  const status = () => screen.getAllByRole('status').map((element) => element.textContent ?? '');

  it('should judge a recent window only: green at first and on idle, red during a slow burst', async () => {
    await api.signInAs(['sso:me:read', 'gateway:services:read', 'gateway:metrics:read']);
    // A window of 2 s read every 0.4 s stands for the page's five minutes read every 15 s.
    renderWithProviders(<SystemPage windowMs={2_000} refreshMs={400} />);
    expect(screen.getByText(/only they are judged against the 300 ms budget/)).toBeTruthy();

    // The first reading knows only the p99 since the start (the boot's, ~1 s): shown, not judged.
    await waitFor(() => expect(status().join()).toContain('Every service is ready'));
    const table = screen.getByRole('table', { name: 'Services' });

    // A slow burst now: inside the window, so it is judged.
    await waitFor(() => expect(within(table).getAllByText(/no requests \(last/).length).toBeGreaterThan(0));
    counts = { fast: 50, slow: 160 };
    await waitFor(() => expect(status().join()).toContain('leasing: p99'));
    expect(status().join()).toMatch(/over the 300 ms budget/);

    // Then idle: once the window has moved past the burst, nothing is judged and all is well again.
    await waitFor(() => expect(status().join()).toContain('Every service is ready'));
    expect(within(table).getAllByText(/no requests \(last \d+ s\)/).length).toBeGreaterThan(0);
    expect(within(table).queryByText('over budget')).toBeNull();
  });
});
