import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import type { Transport } from '@lessor/events';
import { typesConsumedBy } from '@lessor/event-catalog';
import { auditMigrations } from '../migrations/index.ts';
import type { AuditConfig } from './config.ts';
import type { AuditDatabase } from './database.ts';
import { actorNameOf, auditRecordOf } from './records/audit-record.ts';
import { AuditRecordRepository } from './records/audit-record.repository.ts';
import { registerAuditRecordRoutes } from './records/audit-record.routes.ts';

export const AUDIT_VERSION = '0.1.0';

export interface AuditDeps {
  config: AuditConfig;
  database: Database<unknown>;
  transport: Transport;
  logger?: Logger;
}

/**
 * Builds audit: it consumes every change and security event the catalogue lists for it and keeps them
 * append-only. Events wait in the publishers' outboxes and in its queue while it is down, so it catches up.
 */
export async function buildApp(deps: AuditDeps): Promise<ServiceApp> {
  const db = deps.database.db as Kysely<AuditDatabase>;
  const app = await createServiceApp({
    name: 'audit',
    title: 'Lessor audit',
    description: 'The append-only record of every change and security event.',
    version: AUDIT_VERSION,
    config: deps.config,
    database: deps.database,
    migrations: auditMigrations,
    ...(deps.logger ? { logger: deps.logger } : {}),
    events: {
      transport: deps.transport,
      subscriptions: [
        {
          types: typesConsumedBy('audit'),
          // Runs in the consumer's transaction with the inbox insert: recorded exactly once.
          handler: async (event, { trx }) => {
            const records = new AuditRecordRepository(trx as Kysely<AuditDatabase>);
            await records.record(auditRecordOf(event));
            // sso's user events name the user that later records carry by id.
            const name = actorNameOf(event);
            if (name) await records.nameActor(name);
          },
        },
      ],
    },
  });
  registerAuditRecordRoutes(app, new AuditRecordRepository(db));
  return app;
}
