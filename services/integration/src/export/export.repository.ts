import { sql, type Kysely, type Selectable } from 'kysely';
import { paginate, parseSort, type Page } from '@lessor/service-kit';
import type {
  ExportEntriesTable,
  ExportEntryLinesTable,
  ExportStatus,
  IntegrationDatabase,
} from '../database.ts';
import type { ExportEntry, ExportLine } from './export.ts';

export type ExportEntryRow = Selectable<ExportEntriesTable>;
type LineRow = Selectable<ExportEntryLinesTable>;

export interface ExportSearch {
  status?: ExportStatus;
  legalEntity?: string;
  from?: string;
  to?: string;
  sort?: string;
  cursor?: string;
  limit: number;
}

export const EXPORT_SORTS = ['entryDate', 'receivedAt'] as const;

/** An entry the sender took to send, with what it was before (a `sent` one is looked up before it is sent again). */
export interface ClaimedEntry {
  entry: ExportEntryRow;
  lines: ExportLine[];
  wasSent: boolean;
}

export interface PeriodCounts {
  period: string;
  posted: number;
  sent: number;
  acknowledged: number;
  refused: number;
  pending: number;
}

export interface PeriodTotals {
  period: string;
  currency: string;
  postedDebit: string;
  postedCredit: string;
  exportedDebit: string;
  exportedCredit: string;
}

export interface Refusal {
  entryId: string;
  entryDate: string;
  reason: string;
  refusedAt: Date;
}

/** The SQL of the export: entries with their lines, and where each one's sending stands. */
export class ExportRepository {
  constructor(private readonly db: Kysely<IntegrationDatabase>) {}

  /**
   * Keeps an entry and its lines, once: the entry id is the key, so finance's event delivered twice (or an entry
   * posted again under the same id) changes nothing. True when it was new.
   */
  async insert(
    trx: Kysely<IntegrationDatabase>,
    entry: ExportEntry & { eventId: string; postedAt: Date },
    lines: readonly ExportLine[],
  ): Promise<boolean> {
    const inserted = await trx
      .insertInto('exportEntries')
      .values(entry)
      .onConflict((conflict) => conflict.column('entryId').doNothing())
      .returning('entryId')
      .executeTakeFirst();
    if (!inserted) return false;
    await trx.insertInto('exportEntryLines').values(lines).execute();
    return true;
  }

  find(entryId: string): Promise<ExportEntryRow | undefined> {
    return this.db.selectFrom('exportEntries').selectAll().where('entryId', '=', entryId).executeTakeFirst();
  }

  async linesOf(entryIds: readonly string[]): Promise<Map<string, LineRow[]>> {
    const byEntry = new Map<string, LineRow[]>(entryIds.map((id) => [id, []]));
    if (entryIds.length === 0) return byEntry;
    const lines = await this.db
      .selectFrom('exportEntryLines')
      .selectAll()
      .where('entryId', '=', sql<string>`any(${[...entryIds]}::uuid[])`)
      .orderBy('entryId')
      .orderBy('lineNo')
      .execute();
    for (const line of lines) byEntry.get(line.entryId)?.push(line);
    return byEntry;
  }

  search(query: ExportSearch): Promise<Page<ExportEntryRow>> {
    let q = this.db.selectFrom('exportEntries').selectAll();
    if (query.status) q = q.where('status', '=', query.status);
    if (query.legalEntity) q = q.where('legalEntity', '=', query.legalEntity);
    if (query.from) q = q.where('entryDate', '>=', query.from);
    if (query.to) q = q.where('entryDate', '<=', query.to);
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      idColumn: 'entryId',
      sort: parseSort(query.sort, EXPORT_SORTS, { column: 'entryDate', direction: 'desc' }),
    });
  }

  /**
   * Takes up to `limit` entries due for sending and marks them `sent` before anything goes out, leased for
   * `leaseMs`: another replica skips them (row locks, then the lease), and a process killed in the middle leaves
   * them `sent`, looked up before they are sent again once the lease has passed.
   */
  async claimDue(limit: number, leaseMs: number, connectorId: string): Promise<ClaimedEntry[]> {
    const claimed = await this.db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('exportEntries')
        .select(['entryId', 'status'])
        .where('status', 'in', ['pending', 'sent'])
        .where('nextAttemptAt', '<=', sql<Date>`now()`)
        .orderBy('nextAttemptAt')
        .orderBy('entryId')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (due.length === 0) return [];
      const rows = await trx
        .updateTable('exportEntries')
        .set({
          status: 'sent',
          connectorId,
          attempts: sql<number>`attempts + 1`,
          firstSentAt: sql<Date>`coalesce(first_sent_at, now())`,
          lastSentAt: sql<Date>`now()`,
          nextAttemptAt: sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})`,
          updatedAt: sql<Date>`now()`,
        })
        .where('entryId', '=', sql<string>`any(${due.map((row) => row.entryId)}::uuid[])`)
        .returningAll()
        .execute();
      const taken = new Map(rows.map((entry) => [entry.entryId, entry]));
      // In the order they were due; `wasSent` from before this claim marked them all sent.
      return due.flatMap(({ entryId, status }) => {
        const entry = taken.get(entryId);
        return entry ? [{ entry, wasSent: status === 'sent' }] : [];
      });
    });
    const lines = await this.linesOf(claimed.map(({ entry }) => entry.entryId));
    return claimed.map((one) => ({ ...one, lines: lines.get(one.entry.entryId) ?? [] }));
  }

  /** The accounting system has the entry: created by this send, or there already. */
  async acknowledge(entryId: string, as: 'created' | 'duplicate'): Promise<void> {
    await this.db
      .updateTable('exportEntries')
      .set({
        status: 'acknowledged',
        acknowledgedAs: as,
        acknowledgedAt: sql<Date>`now()`,
        lastError: null,
        updatedAt: sql<Date>`now()`,
      })
      .where('entryId', '=', entryId)
      .where('status', '=', 'sent')
      .execute();
  }

  async refuse(entryId: string, reason: string): Promise<void> {
    await this.db
      .updateTable('exportEntries')
      .set({
        status: 'refused',
        refusal: reason,
        refusedAt: sql<Date>`now()`,
        lastError: reason,
        updatedAt: sql<Date>`now()`,
      })
      .where('entryId', '=', entryId)
      .where('status', '=', 'sent')
      .execute();
  }

  /**
   * Tried again after `delayMs`: still `sent` when it may have arrived (looked up first next time), `pending` when
   * it surely did not.
   */
  async postpone(entryId: string, status: 'pending' | 'sent', error: string, delayMs: number): Promise<void> {
    await this.db
      .updateTable('exportEntries')
      .set({
        status,
        lastError: error,
        nextAttemptAt: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`,
        updatedAt: sql<Date>`now()`,
      })
      .where('entryId', '=', entryId)
      .where('status', '=', 'sent')
      .execute();
  }

  /** The entries not answered yet, by status, and the age of the oldest (the backlog's metrics). */
  async waiting(): Promise<{ pending: number; sent: number; oldestSeconds: number }> {
    const rows = await this.db
      .selectFrom('exportEntries')
      .select([
        'status',
        sql<number>`count(*)::int`.as('count'),
        sql<number>`extract(epoch from now() - min(received_at))::float8`.as('oldestSeconds'),
      ])
      .where('status', 'in', ['pending', 'sent'])
      .groupBy('status')
      .execute();
    const of = (status: string) => rows.find((row) => row.status === status);
    return {
      pending: of('pending')?.count ?? 0,
      sent: of('sent')?.count ?? 0,
      oldestSeconds: Math.max(0, ...rows.map((row) => row.oldestSeconds)),
    };
  }

  /** A refused entry back to pending, due now; undefined when it is not refused (or not there). */
  retry(entryId: string): Promise<ExportEntryRow | undefined> {
    return this.db
      .updateTable('exportEntries')
      .set({
        status: 'pending',
        refusal: null,
        refusedAt: null,
        attempts: 0,
        nextAttemptAt: sql<Date>`now()`,
        updatedAt: sql<Date>`now()`,
      })
      .where('entryId', '=', entryId)
      .where('status', '=', 'refused')
      .returningAll()
      .executeTakeFirst();
  }

  /** Per month of the entries' dates: how many were posted, sent, acknowledged, refused and are pending. */
  periodCounts(from: string, to: string, legalEntity?: string): Promise<PeriodCounts[]> {
    let q = this.db
      .selectFrom('exportEntries')
      .select([
        sql<string>`to_char(entry_date, 'YYYY-MM')`.as('period'),
        sql<number>`count(*)::int`.as('posted'),
        sql<number>`(count(*) filter (where first_sent_at is not null))::int`.as('sent'),
        sql<number>`(count(*) filter (where status = 'acknowledged'))::int`.as('acknowledged'),
        sql<number>`(count(*) filter (where status = 'refused'))::int`.as('refused'),
        sql<number>`(count(*) filter (where status in ('pending', 'sent')))::int`.as('pending'),
      ])
      .where('entryDate', '>=', from)
      .where('entryDate', '<=', to);
    if (legalEntity) q = q.where('legalEntity', '=', legalEntity);
    return q
      .groupBy(sql`1`)
      .orderBy(sql`1`)
      .execute();
  }

  /** Per month and currency: the debits and credits posted, and those of the entries acknowledged. */
  periodTotals(from: string, to: string, legalEntity?: string): Promise<PeriodTotals[]> {
    let q = this.db
      .selectFrom('exportEntries as e')
      .innerJoin('exportEntryLines as l', 'l.entryId', 'e.entryId')
      .select([
        sql<string>`to_char(e.entry_date, 'YYYY-MM')`.as('period'),
        'l.currency',
        sql<string>`coalesce(sum(l.amount) filter (where l.side = 'debit'), 0)::text`.as('postedDebit'),
        sql<string>`coalesce(sum(l.amount) filter (where l.side = 'credit'), 0)::text`.as('postedCredit'),
        sql<string>`coalesce(sum(l.amount) filter (where l.side = 'debit' and e.status = 'acknowledged'), 0)::text`.as(
          'exportedDebit',
        ),
        sql<string>`coalesce(sum(l.amount) filter (where l.side = 'credit' and e.status = 'acknowledged'), 0)::text`.as(
          'exportedCredit',
        ),
      ])
      .where('e.entryDate', '>=', from)
      .where('e.entryDate', '<=', to);
    if (legalEntity) q = q.where('e.legalEntity', '=', legalEntity);
    return q
      .groupBy([sql`1`, 'l.currency'])
      .orderBy(sql`1`)
      .orderBy('l.currency')
      .execute();
  }

  refusals(from: string, to: string, legalEntity?: string): Promise<Refusal[]> {
    let q = this.db
      .selectFrom('exportEntries')
      .select([
        'entryId',
        'entryDate',
        sql<string>`refusal`.as('reason'),
        sql<Date>`refused_at`.as('refusedAt'),
      ])
      .where('status', '=', 'refused')
      .where('entryDate', '>=', from)
      .where('entryDate', '<=', to);
    if (legalEntity) q = q.where('legalEntity', '=', legalEntity);
    return q.orderBy('entryDate').orderBy('entryId').execute();
  }

  /** Every entry dated in [from, to] with its lines, by date and id, a page at a time (the CSV journal). */
  async *pagesBetween(
    from: string,
    to: string,
    pageSize: number,
    legalEntity?: string,
  ): AsyncGenerator<{ entry: ExportEntryRow; lines: ExportLine[] }[]> {
    let after: { entryDate: string; entryId: string } | undefined;
    for (;;) {
      let q = this.db
        .selectFrom('exportEntries')
        .selectAll()
        .where('entryDate', '>=', from)
        .where('entryDate', '<=', to);
      if (legalEntity) q = q.where('legalEntity', '=', legalEntity);
      if (after)
        q = q.where(
          sql<boolean>`(entry_date, entry_id) > (${after.entryDate}::date, ${after.entryId}::uuid)`,
        );
      const entries = await q.orderBy('entryDate').orderBy('entryId').limit(pageSize).execute();
      if (entries.length === 0) return;
      const lines = await this.linesOf(entries.map((entry) => entry.entryId));
      yield entries.map((entry) => ({ entry, lines: lines.get(entry.entryId) ?? [] }));
      const last = entries.at(-1)!;
      after = { entryDate: last.entryDate, entryId: last.entryId };
      if (entries.length < pageSize) return;
    }
  }
}
