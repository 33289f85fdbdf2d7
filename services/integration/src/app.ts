import type { ServiceContext } from '@lessor/service-kit';
import type { IntegrationConfig } from './config.ts';
import type { IntegrationDatabase } from './database.ts';
import { createRemoteClient } from './sync/remote.client.ts';
import { registerSyncRoutes } from './sync/sync.routes.ts';
import { SyncService } from './sync/sync.service.ts';

/** What integration is built from: everything constructed by the kit (`integrationService` in integration.service.ts). */
export type IntegrationContext = ServiceContext<IntegrationConfig, IntegrationDatabase, never, object>;

/** Builds integration: the client of the outside system, the sync and its routes. */
export async function buildIntegration({ app, db, events, config, log }: IntegrationContext): Promise<void> {
  const remote = config.INTEGRATION_REMOTE_URL
    ? createRemoteClient({
        baseUrl: config.INTEGRATION_REMOTE_URL,
        deadlineMs: config.INTEGRATION_REMOTE_DEADLINE_MS,
        log,
      })
    : undefined;
  const sync = new SyncService(db, events, remote, {
    pageSize: config.INTEGRATION_PAGE_SIZE,
    log: log.child({ component: 'sync' }),
  });
  registerSyncRoutes(app, sync);
  // A run left under way by a process that stopped can never finish: it is marked failed at the next start.
  app.addHook('onReady', () => sync.failInterrupted());
  // A run under way finishes its page (or fails) before the database closes.
  app.addHook('preClose', () => sync.stop());
  app.addHook('onClose', async () => remote?.close());
}
