import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate } from '@lessor/service-kit';
import type { EventEnvelope } from '@lessor/events';
import type { FinanceDatabase, ReviewItemsTable } from '../database.ts';
import type { RefusalCode } from '../entries/entry.ts';
import type { ReviewItemListQuery } from './review-item.schemas.ts';

export type ReviewItemRow = Selectable<ReviewItemsTable>;

/** The SQL of the review list: events finance could not post, with the reason. */
export class ReviewItemRepository {
  constructor(private readonly db: Kysely<FinanceDatabase>) {}

  /** Records a refused event (or the new reason of one already on the list) in the caller's transaction. */
  async record(values: {
    event: EventEnvelope;
    legalEntity: string | null;
    derived: Record<string, string>;
    reasonCode: RefusalCode;
    reason: string;
  }): Promise<void> {
    await this.db
      .insertInto('reviewItems')
      .values({
        id: newId(),
        eventId: values.event.id,
        eventType: values.event.type,
        legalEntity: values.legalEntity,
        envelope: JSON.stringify(values.event),
        derived: JSON.stringify(values.derived),
        reasonCode: values.reasonCode,
        reason: values.reason,
        status: 'open',
        entryId: null,
        resolvedAt: null,
        resolvedBy: null,
        note: null,
      })
      .onConflict((conflict) =>
        conflict.column('eventId').doUpdateSet({
          reasonCode: values.reasonCode,
          reason: values.reason,
          status: 'open',
          attempts: sql`review_items.attempts + 1`,
          updatedAt: sql`now()`,
        }),
      )
      .execute();
  }

  find(id: string): Promise<ReviewItemRow | undefined> {
    return this.db.selectFrom('reviewItems').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<ReviewItemRow | undefined> {
    return this.db.selectFrom('reviewItems').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  search(query: ReviewItemListQuery) {
    let q = this.db.selectFrom('reviewItems').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.eventType) q = q.where('eventType', '=', query.eventType);
    if (query.reasonCode) q = q.where('reasonCode', '=', query.reasonCode);
    if (query.eventId) q = q.where('eventId', '=', query.eventId);
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: { column: 'id', direction: 'desc' },
    });
  }

  async resolve(
    id: string,
    entryId: string | null,
    actor: string,
    note: string | null,
  ): Promise<ReviewItemRow> {
    return this.db
      .updateTable('reviewItems')
      .set({
        status: 'resolved',
        entryId,
        resolvedAt: sql`now()`,
        resolvedBy: actor,
        note,
        updatedAt: sql`now()`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async refusedAgain(id: string, reasonCode: RefusalCode, reason: string): Promise<ReviewItemRow> {
    return this.db
      .updateTable('reviewItems')
      .set({ reasonCode, reason, attempts: sql`attempts + 1`, updatedAt: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async discard(id: string, actor: string, note: string): Promise<ReviewItemRow> {
    return this.db
      .updateTable('reviewItems')
      .set({ status: 'discarded', resolvedAt: sql`now()`, resolvedBy: actor, note, updatedAt: sql`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
