import { eventCatalog } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { auditMigrations } from '../migrations/index.ts';
import { auditConfigSchema } from './config.ts';
import type { AuditDatabase } from './database.ts';

/**
 * audit: the append-only record of every change and security event (ADR 24: one definition, read by `main.ts`,
 * the system list, the scripts and the tests). Its code is loaded when it is built, so a process runs only its own.
 */
export const auditService = defineService({
  name: 'audit',
  port: 8102,
  title: 'Lessor audit',
  description: 'The append-only record of every change and security event.',
  version: '0.1.0',
  config: auditConfigSchema,
  tables: tablesOf<AuditDatabase>(),
  migrations: auditMigrations,
  consumes: {
    purpose:
      'Keeps the append-only record of every change, status transition and security event (ARCHITECTURE.md: ' +
      'every mutation and every login, failure and permission change is an audit event).',
    // Security events and business facts (a contract signed, a payment received) by category, so a new one is
    // kept without touching this line; change events by pattern, whichever service and entity publish them.
    events: eventCatalog.filter((definition) => definition.category !== 'change'),
    patterns: [
      'lessor.*.*.created.v1',
      'lessor.*.*.updated.v1',
      'lessor.*.*.deleted.v1',
      'lessor.*.*.restored.v1',
    ],
  },
  build: async (context) => (await import('./app.ts')).buildAudit(context),
});
