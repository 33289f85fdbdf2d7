import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Histogram, Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceClient,
  UPSTREAM_CIRCUIT_OPENS,
  UPSTREAM_REQUEST_DURATION,
  UpstreamResponseError,
  UpstreamUnavailableError,
  type ServiceClient,
  type ServiceClientOptions,
} from '../src/index.ts';
import { recordingLogger, rejectionOf, startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

let server: UpstreamServer;
const clients: ServiceClient[] = [];

beforeEach(async () => {
  server = await startUpstreamServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

const HALF_OPEN_AFTER_MS = 200;

function clientOf(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = createServiceClient({
    service: 'parties',
    baseUrl: server.baseUrl,
    deadlineMs: 2000,
    retry: { maxAttempts: 1 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS },
    ...options,
  });
  clients.push(client);
  return client;
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(UpstreamUnavailableError);
  return (error as UpstreamUnavailableError).reason;
}

describe('circuit breaker', () => {
  it('should open after consecutive failures and then fail fast without calling the service', async () => {
    server.healthy = false;
    const client = clientOf();

    for (let i = 0; i < 3; i++) expect(await reasonOf(client.get('/v1/toggle'))).toBe('server-error');
    expect(client.breakerState).toBe('open');

    expect(await reasonOf(client.get('/v1/toggle'))).toBe('circuit-open');
    expect(await reasonOf(client.get('/v1/parties/1'))).toBe('circuit-open');
    expect(server.seen('/v1/toggle')).toHaveLength(3);
    expect(server.seen('/v1/parties/:id')).toHaveLength(0);
  });

  it('should half-open after halfOpenAfterMs and close when the trial call succeeds', async () => {
    server.healthy = false;
    const client = clientOf();
    for (let i = 0; i < 3; i++) await rejectionOf(client.get('/v1/toggle'));
    expect(client.breakerState).toBe('open');

    server.healthy = true;
    await sleep(HALF_OPEN_AFTER_MS + 50);
    expect(client.breakerState).toBe('half-open');

    await expect(client.get('/v1/toggle')).resolves.toEqual({ ok: true });
    expect(client.breakerState).toBe('closed');
    await expect(client.get('/v1/toggle')).resolves.toEqual({ ok: true });
    expect(server.seen('/v1/toggle')).toHaveLength(5);
  });

  it('should fail other calls fast while the trial call is under way', async () => {
    server.healthy = false;
    const client = clientOf();
    for (let i = 0; i < 3; i++) await rejectionOf(client.get('/v1/toggle'));
    await sleep(HALF_OPEN_AFTER_MS + 50);
    server.healthy = true;
    server.toggleDelayMs = 300;

    const trial = client.get('/v1/toggle');
    await sleep(50);
    expect(client.breakerState).toBe('half-open');
    expect(await reasonOf(client.get('/v1/toggle'))).toBe('circuit-open');

    await expect(trial).resolves.toEqual({ ok: true });
    expect(client.breakerState).toBe('closed');
    expect(server.seen('/v1/toggle')).toHaveLength(4);
  });

  it('should open again at once when the trial call fails', async () => {
    server.healthy = false;
    const client = clientOf();
    for (let i = 0; i < 3; i++) await rejectionOf(client.get('/v1/toggle'));
    await sleep(HALF_OPEN_AFTER_MS + 50);

    expect(await reasonOf(client.get('/v1/toggle'))).toBe('server-error');
    expect(client.breakerState).toBe('open');
    expect(await reasonOf(client.get('/v1/toggle'))).toBe('circuit-open');
    expect(server.seen('/v1/toggle')).toHaveLength(4);
  });

  it('should count each failed attempt of a retried call when deciding to open', async () => {
    server.flakyFailuresLeft = 100;
    const client = clientOf({ retry: { maxAttempts: 3 } });

    expect(await reasonOf(client.get('/v1/flaky'))).toBe('server-error');

    expect(client.breakerState).toBe('open');
    expect(server.seen('/v1/flaky')).toHaveLength(3);
  });

  it('should stay closed when the service refuses requests with 4xx', async () => {
    const client = clientOf();

    for (let i = 0; i < 5; i++) {
      expect(await rejectionOf(client.get('/v1/refuse'))).toBeInstanceOf(UpstreamResponseError);
    }

    expect(client.breakerState).toBe('closed');
    expect(server.seen('/v1/refuse')).toHaveLength(5);
  });

  it('should report opens and call durations to prom-client metrics and log the opening', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'leasing' }); // as service-kit does: the caller
    const metrics = {
      requestDuration: new Histogram({ ...UPSTREAM_REQUEST_DURATION, registers: [registry] }),
      circuitOpens: new Counter({ ...UPSTREAM_CIRCUIT_OPENS, registers: [registry] }),
    };
    const { lines, logger } = recordingLogger();
    server.healthy = false;
    const client = clientOf({ metrics, logger });

    for (let i = 0; i < 4; i++) await rejectionOf(client.get('/v1/toggle'));
    await sleep(HALF_OPEN_AFTER_MS + 50);
    server.healthy = true;
    await client.get('/v1/toggle');

    const exposition = await registry.metrics();
    const caller = { service: 'leasing', upstream: 'parties' };
    expect(sampleOf(exposition, 'lessor_upstream_circuit_opens_total', caller)).toBe(1);
    const durations = 'lessor_upstream_request_duration_seconds_count';
    const get = { ...caller, method: 'GET' };
    expect(sampleOf(exposition, durations, { ...get, outcome: 'server-error' })).toBe(3);
    expect(sampleOf(exposition, durations, { ...get, outcome: 'circuit-open' })).toBe(1);
    expect(sampleOf(exposition, durations, { ...get, outcome: 'success' })).toBe(1);
    const withinBudget = 'lessor_upstream_request_duration_seconds_bucket';
    expect(sampleOf(exposition, withinBudget, { ...get, outcome: 'success', le: '0.3' })).toBeDefined();
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      'circuit to parties opened: calls fail fast until a trial call succeeds',
    ]);
    expect(
      lines.some((line) => line.level === 'info' && line.msg.startsWith('circuit to parties closed')),
    ).toBe(true);
  });
});

/** The value of the sample of `name` that carries all of `labels`, in any order, from a text exposition. */
function sampleOf(exposition: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const pairs = new Set(match[2]?.split(','));
    if (Object.entries(labels).every(([label, value]) => pairs.has(`${label}="${value}"`)))
      return Number(match[3]);
  }
  return undefined;
}
