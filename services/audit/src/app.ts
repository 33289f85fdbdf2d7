import type { EventEnvelope, EventContext } from '@lessor/events';
import type { ServiceContext } from '@lessor/service-kit';
import type { AuditConfig } from './config.ts';
import type { AuditDatabase } from './database.ts';
import { actorNameOf, auditRecordOf } from './records/audit-record.ts';
import { AuditRecordRepository } from './records/audit-record.repository.ts';
import { registerAuditRecordRoutes } from './records/audit-record.routes.ts';

/** What audit is built from: everything constructed by the kit (`auditService` in audit.service.ts). */
export type AuditContext = ServiceContext<AuditConfig, AuditDatabase, never, object>;

/**
 * Builds audit: it keeps every event it consumes, append-only. Events wait in the publishers' outboxes and in
 * its queue while it is down, so it catches up. Every event is recorded alike, whatever its type: one handler.
 */
export async function buildAudit({ app, db }: AuditContext) {
  registerAuditRecordRoutes(app, new AuditRecordRepository(db));
  return { any: recordEvent };
}

/** Runs in the consumer's transaction with the inbox insert: recorded exactly once. */
async function recordEvent(event: EventEnvelope, { trx }: EventContext<AuditDatabase>): Promise<void> {
  const records = new AuditRecordRepository(trx);
  await records.record(auditRecordOf(event));
  // sso's user events name the user that later records carry by id.
  const name = actorNameOf(event);
  if (name) await records.nameActor(name);
}
