import type { Kysely } from 'kysely';
import type { ServiceClient } from '@lessor/http-client';
import type { ServiceApp } from '@lessor/service-kit';
import type { IntegrationDatabase } from '../database.ts';
import type { RunJob } from '../runs/run.ts';
import { registerConflictRoutes } from './conflict.routes.ts';
import { ConflictService } from './conflict.service.ts';
import { createInboundJob } from './inbound.job.ts';
import { PartiesGateway } from './parties.gateway.ts';

export { crmSystem } from './inbound.job.ts';

// Records of a page synced at once: each waits on a few calls to parties, which answers many at a time.
const SYNC_CONCURRENCY = 8;

/**
 * Inbound (CRM → parties): the job of `crm` runs and the conflicts' routes. `registerJob` is the run service's
 * (`runs.registerJob('crm', job)`); parties is reached through its API only.
 */
export function registerInbound(
  app: ServiceApp,
  runs: { registerJob(kind: 'crm', job: RunJob): void },
  dependencies: { db: Kysely<IntegrationDatabase>; parties: ServiceClient; pageSize: number },
): void {
  const parties = new PartiesGateway(dependencies.parties);
  runs.registerJob(
    'crm',
    createInboundJob({ parties, pageSize: dependencies.pageSize, concurrency: SYNC_CONCURRENCY }),
  );
  registerConflictRoutes(app, new ConflictService(dependencies.db, parties));
}
