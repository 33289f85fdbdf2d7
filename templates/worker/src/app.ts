import type { ServiceContext } from '@lessor/service-kit';
import type { __Name__Config } from './config.ts';
import type { __Name__Database } from './database.ts';
import { startDigestJob, type DigestJob } from './jobs/make-digest.job.ts';
import { registerDigestRoutes } from './digests/digest.routes.ts';
import { onPartyEvents } from './event-handlers/on-party-created.handler.ts';

/** What __name__ is built from: everything constructed by the kit (`__nameCamel__Service` in __name__.service.ts). */
export type __Name__Context = ServiceContext<__Name__Config, __Name__Database, never, object>;

/** Builds __name__: its read-only routes, its job (from ready to close) and the handler of each event it consumes. */
export async function build__Name__({ app, db, config, log }: __Name__Context) {
  registerDigestRoutes(app, db);
  let job: DigestJob | undefined;
  // The job starts once the service is ready (migrated, consuming) and stops before the database closes.
  app.addHook('onReady', async () => {
    job = startDigestJob({
      db,
      intervalMs: config.__NAME___DIGEST_INTERVAL_MS,
      log: log.child({ component: 'digest-job' }),
    });
  });
  app.addHook('preClose', async () => {
    await job?.stop();
  });
  return { handlers: onPartyEvents() };
}
