import type { ServiceContext } from '@lessor/service-kit';
import type { __Name__Config } from './config.ts';
import type { __Name__Database } from './database.ts';
import { createRemoteClient } from './sync/remote.client.ts';
import { registerSyncRoutes } from './sync/sync.routes.ts';
import { SyncService } from './sync/sync.service.ts';

/** What __name__ is built from: everything constructed by the kit (`__nameCamel__Service` in __name__.service.ts). */
export type __Name__Context = ServiceContext<__Name__Config, __Name__Database, never, object>;

/** Builds __name__: the client of the outside system, the sync and its routes. */
export async function build__Name__({ app, db, events, config, log }: __Name__Context): Promise<void> {
  const remote = config.__NAME___REMOTE_URL
    ? createRemoteClient({
        baseUrl: config.__NAME___REMOTE_URL,
        deadlineMs: config.__NAME___REMOTE_DEADLINE_MS,
        log,
      })
    : undefined;
  const sync = new SyncService(db, events, remote, {
    pageSize: config.__NAME___PAGE_SIZE,
    log: log.child({ component: 'sync' }),
  });
  registerSyncRoutes(app, sync);
  // A run left under way by a process that stopped can never finish: it is marked failed at the next start.
  app.addHook('onReady', () => sync.failInterrupted());
  // A run under way finishes its page (or fails) before the database closes.
  app.addHook('preClose', () => sync.stop());
  app.addHook('onClose', async () => remote?.close());
}
