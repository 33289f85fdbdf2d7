import type { Kysely, Selectable } from 'kysely';
import { newId, paginate, type Page } from '@lessor/service-kit';
import type { AuditDatabase, AuditRecordsTable } from '../database.ts';
import type { NewAuditRecord } from './audit-record.ts';

export type AuditRecordRow = Selectable<AuditRecordsTable>;

export interface AuditRecordFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  service?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** The SQL of the audit trail: insert and read only; the table refuses anything else. */
export class AuditRecordRepository {
  constructor(private readonly db: Kysely<AuditDatabase>) {}

  /** Records an event once: a second delivery of the same event id adds nothing. */
  async record(record: NewAuditRecord): Promise<void> {
    await this.db
      .insertInto('auditRecords')
      .values({
        id: newId(),
        ...record,
        before: json(record.before),
        after: json(record.after),
        data: json(record.data),
      })
      .onConflict((conflict) => conflict.column('eventId').doNothing())
      .execute();
  }

  async list(filter: AuditRecordFilter): Promise<Page<AuditRecordRow>> {
    let query = this.db.selectFrom('auditRecords').selectAll();
    if (filter.entityType) query = query.where('entityType', '=', filter.entityType);
    if (filter.entityId) query = query.where('entityId', '=', filter.entityId);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (filter.service) query = query.where('service', '=', filter.service);
    if (filter.from) query = query.where('occurredAt', '>=', new Date(filter.from));
    if (filter.to) query = query.where('occurredAt', '<', new Date(filter.to));
    return paginate(query, {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: { column: 'occurredAt', direction: 'desc' },
    });
  }

  async find(id: string): Promise<AuditRecordRow | undefined> {
    return this.db.selectFrom('auditRecords').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

/** jsonb parameters go as JSON text: both drivers then store the value, whatever its JavaScript shape. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
