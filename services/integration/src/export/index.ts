import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Type, type ServiceApp, type Static } from '@lessor/service-kit';
import type { ConnectorService } from '../connectors/index.ts';
import type { IntegrationDatabase } from '../database.ts';
import { exportConfigProperties } from './export.config.ts';
import { DEFAULT_EXPORT_TARGET } from './export.ts';
import { ExportRepository } from './export.repository.ts';
import { registerExportRoutes } from './export.routes.ts';
import { ExportService } from './export.service.ts';
import { ExportSender, type AccountingConnection } from './export-sender.job.ts';
import { onEntryPosted } from './on-entry-posted.handler.ts';

export { exportConfigProperties } from './export.config.ts';
export { exportEvents } from './on-entry-posted.handler.ts';
export type { AccountingConnection } from './export-sender.job.ts';
export type { SendRound } from './export-sender.job.ts';

/** The export's part of integration's config. */
export const ExportSettings = Type.Object(exportConfigProperties);
export type ExportSettings = Static<typeof ExportSettings>;

const senders = new WeakMap<ServiceApp, ExportSender>();

/** The export's sender of a built integration app: tests run its rounds themselves (`tick()`). */
export function exportSender(app: ServiceApp): ExportSender {
  const sender = senders.get(app);
  if (!sender) throw new Error('not an integration app with the export built');
  return sender;
}

/**
 * The export of finance's journal entries to outside accounting (README: Export): its routes, its sender job
 * (started when the service is ready, stopped — its round finished — before the database closes) and the handler
 * of finance's `entry.posted`, which `build` returns among its handlers.
 */
export function buildExport(options: {
  app: ServiceApp;
  db: Kysely<IntegrationDatabase>;
  config: ExportSettings;
  log: Logger;
  /** The enabled accounting connector with its client, or null when there is none. */
  accounting: () => Promise<AccountingConnection | null>;
}) {
  const { app, db, config, log } = options;
  const entries = new ExportRepository(db);
  const exports = new ExportService(entries);
  const sender = new ExportSender({
    entries,
    accounting: options.accounting,
    batchSize: config.INTEGRATION_EXPORT_BATCH_SIZE,
    leaseMs: config.INTEGRATION_EXPORT_LEASE_MS,
    backoffBaseMs: config.INTEGRATION_EXPORT_BACKOFF_MS,
    backoffMaxMs: config.INTEGRATION_EXPORT_BACKOFF_MAX_MS,
    intervalMs: config.INTEGRATION_EXPORT_JOB_ENABLED ? config.INTEGRATION_EXPORT_INTERVAL_MS : 0,
    log: log.child({ component: 'export' }),
    registry: app.metrics,
  });
  senders.set(app, sender);
  registerExportRoutes(app, exports);
  app.addHook('onReady', async () => sender.start());
  app.addHook('preClose', () => sender.stop());
  return onEntryPosted(exports);
}

/**
 * The accounting system entries go to: the enabled connector of kind `accounting` (the first by name when there
 * are several), its client, and the entity set and lines property of its mapping.
 */
export function enabledAccounting(
  connectors: Pick<ConnectorService, 'live' | 'client'>,
): () => Promise<AccountingConnection | null> {
  return async () => {
    const [connector] = await connectors.live({ kind: 'accounting', enabledOnly: true });
    if (!connector) return null;
    return {
      connectorId: connector.id,
      client: await connectors.client(connector.id),
      target: connector.mapping.export ?? DEFAULT_EXPORT_TARGET,
    };
  };
}
