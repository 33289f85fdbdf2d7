import type { Generated } from 'kysely';

export interface AuditRecordsTable {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  recordedAt: Generated<Date>;
  service: string;
  entityType: string;
  entityId: string;
  action: string;
  actor: string;
  traceId: string | null;
  before: unknown;
  after: unknown;
  changed: string[];
  data: unknown;
}

/** The tables of audit's own schema. */
export interface AuditDatabase {
  auditRecords: AuditRecordsTable;
}
