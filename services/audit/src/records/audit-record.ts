import type { EventEnvelope } from '@lessor/events';
import type { AuditRecordsTable } from '../database.ts';

/** What one audit row says: who did what to which entity, when, and what changed (the id is the repository's). */
export type NewAuditRecord = Omit<AuditRecordsTable, 'id' | 'recordedAt'>;

const CHANGE_ACTIONS = new Set(['created', 'updated', 'deleted', 'restored']);
const TYPE = /^lessor\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v\d+$/;

interface ChangeData {
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  changed: string[];
}

function isChange(data: unknown): data is ChangeData {
  const candidate = data as Partial<ChangeData> | null;
  return (
    typeof candidate?.entityType === 'string' &&
    typeof candidate.entityId === 'string' &&
    Array.isArray(candidate.changed)
  );
}

/**
 * Turns an event into its audit record. A change event (`…created|updated|deleted|restored.vN`) records its
 * entity and before/after; any other (a security event such as `lessor.sso.login.failed.v1`) records its
 * subject as the entity and its data as it came.
 */
export function auditRecordOf(event: EventEnvelope): NewAuditRecord {
  const match = TYPE.exec(event.type);
  if (!match) throw new Error(`Not a Lessor event type: ${event.type}`);
  const [, service, entity, action] = match as unknown as [string, string, string, string];
  const change = CHANGE_ACTIONS.has(action) && isChange(event.data) ? event.data : undefined;
  return {
    eventId: event.id,
    eventType: event.type,
    occurredAt: new Date(event.time),
    service,
    entityType: change?.entityType ?? entity,
    entityId: change?.entityId ?? event.subject,
    action,
    actor: event.actor ?? 'unknown',
    traceId: traceIdOf(event.traceparent),
    before: change ? change.before : null,
    after: change ? change.after : null,
    changed: change ? change.changed : [],
    data: event.data,
  };
}

function traceIdOf(traceparent: string | undefined): string | null {
  const match = traceparent ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent) : null;
  return match ? match[1]! : null;
}

/** A user's name as an sso user event states it, or undefined when the event names no user. */
export interface ActorName {
  actor: string;
  username: string;
  fullName: string;
  changedAt: Date;
}

/**
 * The name an event gives a user: sso's user change events carry the user's `username` and `fullName` in
 * `after`. The actor of later records is that user's id, so this is how audit learns to read it.
 */
export function actorNameOf(event: EventEnvelope): ActorName | undefined {
  const record = auditRecordOf(event);
  if (record.service !== 'sso' || record.entityType !== 'user') return undefined;
  const after = record.after as { username?: unknown; fullName?: unknown } | null;
  if (typeof after?.username !== 'string') return undefined;
  return {
    actor: record.entityId,
    username: after.username,
    fullName: typeof after.fullName === 'string' ? after.fullName : '',
    changedAt: record.occurredAt,
  };
}
