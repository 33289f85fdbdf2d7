import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService } from '@lessor/service-kit/testing';
import type { IntegrationDatabase, RunStatus } from '../src/database.ts';
import { integrationService } from '../src/integration.service.ts';
import { syncDueAt } from '../src/monitoring/connector-metrics.ts';

/**
 * The connector gauges integration's stricter alerts read (ADR 26, deploy/prometheus/rules/integration.rules.yml):
 * a failed last run, and when a scheduled connector should have completed a run by — from its tables, on a real
 * PostgreSQL, as Prometheus scrapes /metrics.
 */

let service: Awaited<ReturnType<typeof startTestService>>;
let operator: string;

beforeAll(async () => {
  service = await startTestService(integrationService, {
    env: {
      INTEGRATION_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      // No schedule fires during the test: the rows below are the runs.
      INTEGRATION_SCHEDULER_TICK_MS: '3600000',
    },
  });
  operator = await service.token(['integration:connectors:read', 'integration:connectors:write']);
}, 120_000);

afterAll(async () => {
  await service?.close();
});

const db = () => service.db<IntegrationDatabase>();

/** A connector made through the API (never called: nothing runs), with a name of its own. */
async function aConnector(changes: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
  const name = `CRM ${randomBytes(4).toString('hex')}`;
  const created = await service.call('POST', '/v1/connectors', operator, {
    name,
    kind: 'crm',
    protocol: 'odata-v4',
    baseUrl: 'http://127.0.0.1:9/crm/',
    auth: { kind: 'none' },
    mapping: { preset: 'dynamics' },
    ...changes,
  });
  expect(created.status).toBe(201);
  return { id: created.body.id as string, name };
}

/** A run of the connector that ended as `status` at `finishedAt`, and the connector's last run made it. */
async function aRun(connectorId: string, status: RunStatus, finishedAt: Date): Promise<void> {
  const id = randomUUID();
  await db()
    .insertInto('syncRuns')
    .values({
      id,
      connectorId,
      mode: 'incremental',
      trigger: 'schedule',
      status,
      startedBy: 'test',
      finishedAt,
    })
    .execute();
  await db()
    .updateTable('connectors')
    .set({ lastRunId: id, lastRunStatus: status, lastRunFinishedAt: finishedAt })
    .where('id', '=', connectorId)
    .execute();
}

/** The value of `metric{connector="name"}` in /metrics, or undefined when there is no such series. */
async function gauge(metric: string, connector: string): Promise<number | undefined> {
  const text = (await service.call('GET', '/metrics', undefined)).body as string;
  const line = text
    .split('\n')
    .find(
      (candidate) => candidate.startsWith(`${metric}{`) && candidate.includes(`connector="${connector}"`),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('syncDueAt', () => {
  it('should be the second fire of the schedule after the last completed run', () => {
    const hourly = '0 * * * *';

    expect(syncDueAt(hourly, new Date('2026-01-01T10:30:00Z'))).toEqual(new Date('2026-01-01T12:00:00Z'));
    expect(syncDueAt('0 6 * * 1-5', new Date('2026-01-02T07:00:00Z'))).toEqual(
      new Date('2026-01-06T06:00:00Z'), // Friday after its run: Monday's fire, then Tuesday's
    );
  });

  it('should be null when the connector has no schedule', () => {
    expect(syncDueAt(null, new Date())).toBeNull();
  });
});

describe('connector gauges', () => {
  it('should say 1 for a connector whose last run failed and 0 for one whose last run completed', async () => {
    const failing = await aConnector();
    const healthy = await aConnector();
    await aRun(failing.id, 'completed', new Date('2026-01-01T09:00:00Z'));
    await aRun(failing.id, 'failed', new Date('2026-01-01T10:00:00Z'));
    await aRun(healthy.id, 'completed', new Date('2026-01-01T10:00:00Z'));

    expect(await gauge('lessor_integration_connector_last_run_failed', failing.name)).toBe(1);
    expect(await gauge('lessor_integration_connector_last_run_failed', healthy.name)).toBe(0);
  });

  it('should say when a scheduled connector is due: after its last completed run, not its last run', async () => {
    const hourly = await aConnector({ schedule: '0 * * * *' });
    await aRun(hourly.id, 'completed', new Date('2026-01-01T10:30:00Z'));
    await aRun(hourly.id, 'failed', new Date('2026-01-01T11:05:00Z'));

    expect(await gauge('lessor_integration_connector_sync_due_timestamp_seconds', hourly.name)).toBe(
      Date.parse('2026-01-01T12:00:00Z') / 1000,
    );
  });

  it('should count from its creation a scheduled connector that never completed a run', async () => {
    const fresh = await aConnector({ schedule: '*/15 * * * *' });
    const [row] = await db()
      .selectFrom('connectors')
      .select('createdAt')
      .where('id', '=', fresh.id)
      .execute();

    expect(await gauge('lessor_integration_connector_sync_due_timestamp_seconds', fresh.name)).toBe(
      syncDueAt('*/15 * * * *', row!.createdAt)!.getTime() / 1000,
    );
  });

  it('should not say a connector is due when it has no schedule or is disabled', async () => {
    const onDemand = await aConnector();
    const disabled = await aConnector({ schedule: '0 * * * *', enabled: false });

    expect(
      await gauge('lessor_integration_connector_sync_due_timestamp_seconds', onDemand.name),
    ).toBeUndefined();
    expect(
      await gauge('lessor_integration_connector_sync_due_timestamp_seconds', disabled.name),
    ).toBeUndefined();
  });

  it('should drop a deleted connector', async () => {
    const gone = await aConnector();
    await aRun(gone.id, 'failed', new Date('2026-01-01T10:00:00Z'));
    await db()
      .updateTable('connectors')
      .set({ deletedAt: new Date(), deletedBy: 'test' })
      .where('id', '=', gone.id)
      .execute();

    expect(await gauge('lessor_integration_connector_last_run_failed', gone.name)).toBeUndefined();
  });
});
