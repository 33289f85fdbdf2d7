import type { ServiceContext } from '@lessor/service-kit';
import type { IntegrationConfig } from './config.ts';
import { ConnectorService } from './connectors/connector.service.ts';
import { registerConnectorRoutes } from './connectors/connector.routes.ts';
import { CredentialCipher } from './crypto/credentials.ts';
import { loadCredentialKeys } from './crypto/key-source.ts';
import type { IntegrationDatabase } from './database.ts';
import { buildExport, enabledAccounting } from './export/index.ts';
import { registerInbound } from './inbound/index.ts';
import type { IntegrationOptions } from './integration.service.ts';
import { registerConnectorMetrics } from './monitoring/connector-metrics.ts';
import { createODataMetrics } from './odata/index.ts';
import { registerOutbound } from './outbound/index.ts';
import { registerRunRoutes } from './runs/run.routes.ts';
import { RunService } from './runs/run.service.ts';

/** What integration is built from: everything constructed by the kit (`integrationService` in integration.service.ts). */
export type IntegrationContext = ServiceContext<
  IntegrationConfig,
  IntegrationDatabase,
  'parties',
  IntegrationOptions
>;

/**
 * Builds integration: connectors (the outside systems, their sealed credentials and OData clients), sync runs
 * (scheduled or "run now", one replica per run, resumed after a restart), and the modules that use them —
 * inbound (CRM → parties: the `crm` run job), outbound (contract events → CRM) and export (journal entries →
 * accounting), each plugged in below.
 */
export async function buildIntegration({
  app,
  db,
  events,
  config,
  log,
  options,
  clients,
}: IntegrationContext) {
  const cipher = new CredentialCipher(
    await loadCredentialKeys(
      {
        keys: config.INTEGRATION_CREDENTIALS_KEYS,
        key: config.INTEGRATION_CREDENTIALS_KEY,
        keyFile: config.INTEGRATION_CREDENTIALS_KEY_FILE,
        // The embedded default (`npm start`, no DATABASE_URL) keeps a generated key in its data directory.
        dataDir: config.DATABASE_URL ? undefined : config.LESSOR_DATA_DIR,
      },
      log,
    ),
  );
  const connectors = new ConnectorService(db, events, {
    cipher,
    metrics: createODataMetrics(app.metrics),
    log: log.child({ component: 'odata' }),
    deadlineMs: config.INTEGRATION_OUTBOUND_DEADLINE_MS,
    pageSize: config.INTEGRATION_PAGE_SIZE,
  });
  const runs = new RunService(db, events, connectors, {
    log: log.child({ component: 'runs' }),
    staleMs: config.INTEGRATION_RUN_STALE_MS,
    tickMs: config.INTEGRATION_SCHEDULER_TICK_MS,
    concurrency: config.INTEGRATION_RUN_CONCURRENCY,
    ...(options.replicaId ? { replicaId: options.replicaId } : {}),
  });
  registerConnectorRoutes(app, connectors);
  registerRunRoutes(app, runs);
  // The connectors' health, read by integration's stricter alerts (ADR 26).
  registerConnectorMetrics(app.metrics, db, log);

  // Inbound (CRM → parties): the job of `crm` runs, and its routes (conflicts).
  registerInbound(app, runs, { db, parties: clients.parties, pageSize: config.INTEGRATION_PAGE_SIZE });

  // Outbound (contract events → CRM): its routes (the outbound log).
  const outboundHandlers = registerOutbound(app, connectors, { db });

  // Export (journal entries → accounting): its sender and routes.
  const exportHandlers = buildExport({ app, db, config, log, accounting: enabledAccounting(connectors) });

  // A test's own jobs, in place of the real ones.
  for (const kind of ['crm', 'accounting'] as const) {
    const job = options.jobs?.[kind];
    if (job) runs.registerJob(kind, job);
  }

  // Old keys' credentials sealed again with the current key, then the scheduler: it takes up at once the runs a
  // stopped replica left queued. Before the database closes, the runs under way end their page and queue again.
  app.addHook('onReady', async () => {
    await connectors.resealCredentials();
    runs.start();
  });
  app.addHook('preClose', () => runs.stop());
  app.addHook('onClose', async () => connectors.close());

  // The events integration consumes (the definition's `consumes`), one handler each.
  return { handlers: { ...outboundHandlers, ...exportHandlers } };
}
