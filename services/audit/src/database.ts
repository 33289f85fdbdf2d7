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

/** Each user's latest name, from sso's user events (a record's actor is read by it). */
export interface ActorNamesTable {
  actor: string;
  username: string;
  fullName: string;
  changedAt: Date;
}

/** The tables of audit's own schema. */
export interface AuditDatabase {
  auditRecords: AuditRecordsTable;
  actorNames: ActorNamesTable;
}
