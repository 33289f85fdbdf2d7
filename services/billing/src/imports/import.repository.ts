import { sql, type Kysely, type Selectable } from 'kysely';
import { paginate, parseSort, type Page } from '@lessor/service-kit';
import type { BillingDatabase, ImportLinesTable, ImportsTable } from '../database.ts';

export type ImportRow = Selectable<ImportsTable>;
export type ImportLineRow = Selectable<ImportLinesTable>;
export type LineStatus = 'matched' | 'unmatched' | 'refused' | 'skipped';

const COUNTED = {
  matched: { matched: sql<number>`matched + 1` },
  unmatched: { unmatched: sql<number>`unmatched + 1` },
  refused: { refused: sql<number>`refused + 1` },
  skipped: { skipped: sql<number>`skipped + 1` },
} as const;

/** The SQL of bank statement imports and their lines. */
export class ImportRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  list(query: { cursor?: string; limit: number }): Promise<Page<ImportRow>> {
    return paginate(this.db.selectFrom('imports').selectAll(), {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(undefined, ['createdAt'], { column: 'createdAt', direction: 'desc' }),
    });
  }

  find(id: string): Promise<ImportRow | undefined> {
    return this.db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByHash(fileHash: string): Promise<ImportRow | undefined> {
    return this.db.selectFrom('imports').selectAll().where('fileHash', '=', fileHash).executeTakeFirst();
  }

  /** Creates the import; undefined when a file with this hash was imported before (nothing is added). */
  insert(values: Omit<ImportRow, 'createdAt' | 'finishedAt'>): Promise<ImportRow | undefined> {
    return this.db
      .insertInto('imports')
      .values({ ...values, finishedAt: values.status === 'completed' ? new Date() : null })
      .onConflict((conflict) => conflict.column('fileHash').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async insertLines(lines: readonly ImportLineRow[]): Promise<void> {
    // Batches keep each statement's parameter count far below PostgreSQL's limit of 65535.
    for (let start = 0; start < lines.length; start += 500) {
      await this.db
        .insertInto('importLines')
        .values(
          lines.slice(start, start + 500).map((line) => ({ ...line, payment: JSON.stringify(line.payment) })),
        )
        .execute();
    }
  }

  lines(importId: string): Promise<ImportLineRow[]> {
    return this.db
      .selectFrom('importLines')
      .selectAll()
      .where('importId', '=', importId)
      .orderBy('entry')
      .execute();
  }

  /** The first pending line nobody else is working on, locked until the transaction ends. */
  nextPending(importId: string): Promise<ImportLineRow | undefined> {
    return this.db
      .selectFrom('importLines')
      .selectAll()
      .where('importId', '=', importId)
      .where('status', '=', 'pending')
      .orderBy('entry')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
  }

  /** Records a line's outcome and counts it in the import's progress. */
  async finishLine(line: ImportLineRow, status: LineStatus, reason: string | null, paymentId: string | null) {
    await this.db
      .updateTable('importLines')
      .set({ status, reason, paymentId })
      .where('importId', '=', line.importId)
      .where('entry', '=', line.entry)
      .execute();
    await this.db
      .updateTable('imports')
      .set({ linesDone: sql`lines_done + 1`, ...COUNTED[status] })
      .where('id', '=', line.importId)
      .execute();
  }

  /** The import, locked until the transaction ends (whoever completes it). */
  lock(id: string): Promise<ImportRow | undefined> {
    return this.db.selectFrom('imports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async hasPending(importId: string): Promise<boolean> {
    const pending = await this.db
      .selectFrom('importLines')
      .select('entry')
      .where('importId', '=', importId)
      .where('status', '=', 'pending')
      .limit(1)
      .executeTakeFirst();
    return pending !== undefined;
  }

  complete(importId: string): Promise<ImportRow> {
    return this.db
      .updateTable('imports')
      .set({ status: 'completed', finishedAt: new Date() })
      .where('id', '=', importId)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  running(): Promise<{ id: string }[]> {
    return this.db.selectFrom('imports').select('id').where('status', '=', 'running').execute();
  }
}
