import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressRefusedError, guardProcessEgress, isEgressGuarded } from '@lessor/http-client';
import { startOutsideHost, type OutsideHost } from '@lessor/http-client/testing';
import { createODataClient, createODataMetrics } from '../src/odata/index.ts';

/**
 * ADR 26: integration's outside client is the one way out, by construction — its transport sends on its own
 * undici dispatcher, so it reaches an outside host even in a process whose global dispatcher and agents refuse
 * them (where several services share a process, as the tests' bootSystem runs them), while a plain fetch there
 * is refused. The outside host is this machine's own non-loopback address (skipped when it has none).
 */

let outside: OutsideHost;

beforeAll(async () => {
  outside = await startOutsideHost();
  guardProcessEgress();
});

afterAll(async () => {
  await outside?.close();
});

describe('integration’s outside client in a guarded process', () => {
  it('should reach the outside host while a plain fetch there is refused', async (context) => {
    if (!outside.reachable) context.skip();
    expect(isEgressGuarded()).toBe(true);
    const refused = await fetch(`${outside.origin}/`).then(
      () => undefined,
      (error: unknown) => (error as Error).cause,
    );
    expect(refused).toBeInstanceOf(EgressRefusedError);
    const before = outside.connections();
    const client = createODataClient({
      version: 'v4',
      serviceRoot: `${outside.origin}/crm/`,
      auth: { kind: 'none' },
      connector: 'outside',
      deadlineMs: 5_000,
      maxAttempts: 1,
      metrics: createODataMetrics(new Registry()),
      log: pino({ level: 'silent' }),
    });
    try {
      const answer = await client.ping();

      expect(answer.status).toBe(200);
      expect(outside.connections()).toBeGreaterThan(before);
    } finally {
      client.close();
    }
  });
});
