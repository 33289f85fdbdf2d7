import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { IntegrationDatabase } from '../database.ts';
import { nextFire } from '../runs/schedule.ts';

/**
 * What integration's stricter alerts read of its connectors (deploy/prometheus/rules/integration.rules.yml,
 * ADR 26), computed from its tables when Prometheus scrapes — so every replica answers the same, and a restart
 * loses nothing. Labelled by the connector's name, as the OData client's `lessor_integration_outbound_seconds`.
 */

/** One connector as the gauges see it. */
export interface ConnectorHealth {
  name: string;
  lastRunFailed: boolean;
  /** When a scheduled connector should have completed a run by; null when it has no schedule or is disabled. */
  syncDueAt: Date | null;
}

/**
 * When a connector should have completed a run by: its schedule fired after its last completed run (or its
 * creation, when none completed) — that run should be done before the schedule fires again.
 */
export function syncDueAt(schedule: string | null, lastCompleted: Date): Date | null {
  const firstFire = nextFire(schedule, lastCompleted);
  return firstFire === null ? null : nextFire(schedule, firstFire);
}

/** Reads each live connector's last run and its last completed run's end. */
export async function connectorHealth(db: Kysely<IntegrationDatabase>): Promise<ConnectorHealth[]> {
  const rows = await db
    .selectFrom('connectors')
    .select((eb) => [
      'connectors.name',
      'connectors.enabled',
      'connectors.schedule',
      'connectors.lastRunStatus',
      'connectors.createdAt',
      eb
        .selectFrom('syncRuns')
        .select((runs) => runs.fn.max('syncRuns.finishedAt').as('finishedAt'))
        .whereRef('syncRuns.connectorId', '=', 'connectors.id')
        .where('syncRuns.status', '=', 'completed')
        .as('lastCompletedAt'),
    ])
    .where('connectors.deletedAt', 'is', null)
    .execute();
  return rows.map((row) => ({
    name: row.name,
    lastRunFailed: row.lastRunStatus === 'failed',
    syncDueAt: row.enabled ? syncDueAt(row.schedule, row.lastCompletedAt ?? row.createdAt) : null,
  }));
}

/** Registers the connector gauges on the service's registry; each scrape reads the tables once. */
export function registerConnectorMetrics(
  registry: Registry,
  db: Kysely<IntegrationDatabase>,
  log: Logger,
): void {
  // The two gauges are collected one after the other in one scrape: one read serves both, and a gauge asking
  // again (the next scrape) starts the next read.
  let reading: Promise<ConnectorHealth[]> | undefined;
  const served = new Set<string>();
  const health = (gauge: string): Promise<ConnectorHealth[]> => {
    if (!reading || served.has(gauge)) {
      reading = connectorHealth(db);
      served.clear();
    }
    served.add(gauge);
    return reading;
  };
  const collected = async (
    name: string,
    gauge: Gauge<'connector'>,
    value: (connector: ConnectorHealth) => number | null,
  ) => {
    gauge.reset();
    try {
      for (const connector of await health(name)) {
        const current = value(connector);
        if (current !== null) gauge.set({ connector: connector.name }, current);
      }
    } catch (error) {
      log.warn({ err: error }, 'could not read the connectors for metrics');
    }
  };
  new Gauge({
    name: 'lessor_integration_connector_last_run_failed',
    help: "1 when the connector's last sync run failed, else 0.",
    labelNames: ['connector'] as const,
    registers: [registry],
    async collect() {
      await collected('lastRunFailed', this, (connector) => (connector.lastRunFailed ? 1 : 0));
    },
  });
  new Gauge({
    name: 'lessor_integration_connector_sync_due_timestamp_seconds',
    help: 'When a scheduled connector should have completed a run by: the second time its schedule fires after its last completed run (or its creation).',
    labelNames: ['connector'] as const,
    registers: [registry],
    async collect() {
      await collected('syncDue', this, (connector) =>
        connector.syncDueAt === null ? null : connector.syncDueAt.getTime() / 1000,
      );
    },
  });
}
