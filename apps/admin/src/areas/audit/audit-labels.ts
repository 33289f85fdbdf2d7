import { shortId } from '../../ui/ids.ts';
import type { AuditRecord } from './AuditRecordsTable.tsx';

export { shortId };

/**
 * Who acted, as a person reads it: the name audit answers (from sso's user events), else one looked up in sso
 * (`lookedUp`, for readers who may read users), else the short id. Clients (`client:<id>`) and `system` read
 * well as they are.
 */
export function actorLabel(record: Pick<AuditRecord, 'actor' | 'actorName'>, lookedUp?: string): string {
  return record.actorName ?? lookedUp ?? shortId(record.actor);
}

const NAMING_FIELDS = ['number', 'name', 'fullName', 'username', 'code', 'title'] as const;

/**
 * What the record is about, named: the first of the entity's number, name, username or code found in its
 * snapshot after the change (before, for a deletion), or in the event's data; undefined when none names it.
 */
export function subjectLabel(record: Pick<AuditRecord, 'after' | 'before' | 'data'>): string | undefined {
  for (const source of [record.after, record.before, record.data]) {
    if (typeof source !== 'object' || source === null) continue;
    for (const field of NAMING_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.trim() !== '') return value;
    }
  }
  return undefined;
}
