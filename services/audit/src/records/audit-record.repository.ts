import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, type Page } from '@lessor/service-kit';
import type { AuditDatabase, AuditRecordsTable } from '../database.ts';
import type { ActorName, NewAuditRecord } from './audit-record.ts';

/** A record with its actor's current name (null when the actor is no user audit knows a name of). */
export type AuditRecordRow = Selectable<AuditRecordsTable> & { actorName: string | null };

export interface AuditRecordFilter {
  entityType?: string;
  entityId?: string;
  actor?: string;
  /** Part of the actor's full name or username, any case. */
  actorName?: string;
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

  /**
   * Keeps a user's latest name. Events of one user arrive in order, but a redelivered older one must not bring
   * an old name back: the change's time decides.
   */
  async nameActor(name: ActorName): Promise<void> {
    await this.db
      .insertInto('actorNames')
      .values(name)
      .onConflict((conflict) =>
        conflict
          .column('actor')
          .doUpdateSet({
            username: (eb) => eb.ref('excluded.username'),
            fullName: (eb) => eb.ref('excluded.fullName'),
            changedAt: (eb) => eb.ref('excluded.changedAt'),
          })
          .where('actorNames.changedAt', '<=', (eb) => eb.ref('excluded.changedAt')),
      )
      .execute();
  }

  async list(filter: AuditRecordFilter): Promise<Page<AuditRecordRow>> {
    let query = this.#withNames();
    if (filter.entityType) query = query.where('entityType', '=', filter.entityType);
    if (filter.entityId) query = query.where('entityId', '=', filter.entityId);
    if (filter.actor) query = query.where('auditRecords.actor', '=', filter.actor);
    if (filter.actorName) {
      const pattern = `%${likeEscaped(filter.actorName)}%`;
      query = query.where((eb) =>
        eb.or([eb('actorNames.fullName', 'ilike', pattern), eb('actorNames.username', 'ilike', pattern)]),
      );
    }
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
    return this.#withNames().where('auditRecords.id', '=', id).executeTakeFirst();
  }

  /** Records with their actor's name: the full name, else the username. */
  #withNames() {
    return this.db
      .selectFrom('auditRecords')
      .leftJoin('actorNames', 'actorNames.actor', 'auditRecords.actor')
      .selectAll('auditRecords')
      .select(
        sql<string | null>`coalesce(nullif(actor_names.full_name, ''), actor_names.username)`.as('actorName'),
      );
  }
}

/** `%`, `_` and `\\` in a search term match themselves. */
function likeEscaped(term: string): string {
  return term.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** jsonb parameters go as JSON text: both drivers then store the value, whatever its JavaScript shape. */
function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}
