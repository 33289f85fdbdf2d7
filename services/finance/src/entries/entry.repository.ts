import { sql, type Kysely, type Selectable } from 'kysely';
import { paginate, parseSort } from '@lessor/service-kit';
import type { FinanceDatabase, JournalEntriesTable, JournalLinesTable } from '../database.ts';
import type { EntryListQuery } from './entry.schemas.ts';

export type EntryRow = Selectable<JournalEntriesTable>;
export type LineRow = Selectable<JournalLinesTable> & { accountCode: string; accountName: string };

/** An entry with its lines, as the API shows it and `finance.entry.posted` carries it. */
export interface PostedEntry {
  entry: EntryRow;
  lines: LineRow[];
}

/** The SQL of journal entries and their lines: inserts and reads only (the database refuses changes). */
export class EntryRepository {
  constructor(private readonly db: Kysely<FinanceDatabase>) {}

  /**
   * Writes an entry and its lines in one round trip: one INSERT of the entry and one multi-row INSERT of all its
   * lines (from a JSON array), joined in one statement by a data-modifying WITH. The line guard sees the entry
   * (a trigger's queries see what the statement wrote before it), and the balance is checked at commit.
   */
  async insertPosting(
    entry: Omit<EntryRow, 'seq' | 'createdAt'>,
    lines: Omit<Selectable<JournalLinesTable>, 'entryId' | 'entryDate'>[],
  ): Promise<EntryRow> {
    const { rows } = await sql<{ seq: string; createdAt: Date }>`
      with entry as (
        insert into journal_entries (id, legal_entity, entry_date, kind, description, source_event_id,
          source_event_type, source_key, posting_rule_id, reverses_entry_id, created_by)
        values (${entry.id}::uuid, ${entry.legalEntity}, ${entry.entryDate}::date, ${entry.kind},
          ${entry.description}, ${entry.sourceEventId}::uuid, ${entry.sourceEventType}, ${entry.sourceKey},
          ${entry.postingRuleId}::uuid, ${entry.reversesEntryId}::uuid, ${entry.createdBy})
        returning id, seq, created_at, entry_date
      ), lines as (
        insert into journal_lines (entry_id, line_no, account_id, currency, entry_date, side, amount,
          counterparty_id, contract_id)
        select entry.id, line.line_no, line.account_id, line.currency, entry.entry_date, line.side, line.amount,
          line.counterparty_id, line.contract_id
        from entry, jsonb_to_recordset(${JSON.stringify(
          lines.map((line) => ({
            line_no: line.lineNo,
            account_id: line.accountId,
            currency: line.currency,
            side: line.side,
            amount: line.amount,
            counterparty_id: line.counterpartyId,
            contract_id: line.contractId,
          })),
        )}::jsonb) as line(line_no smallint, account_id uuid, currency text, side text, amount numeric,
          counterparty_id uuid, contract_id uuid)
      )
      select seq::text as seq, created_at as "createdAt" from entry`.execute(this.db.withoutPlugins());
    const written = rows[0]!;
    return { ...entry, seq: written.seq, createdAt: written.createdAt };
  }

  find(id: string): Promise<EntryRow | undefined> {
    return this.db.selectFrom('journalEntries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  bySourceEvent(eventId: string): Promise<EntryRow | undefined> {
    return this.db
      .selectFrom('journalEntries')
      .selectAll()
      .where('sourceEventId', '=', eventId)
      .executeTakeFirst();
  }

  reversalOf(id: string): Promise<EntryRow | undefined> {
    return this.db
      .selectFrom('journalEntries')
      .selectAll()
      .where('reversesEntryId', '=', id)
      .executeTakeFirst();
  }

  /** The lines of some entries, in line order, with their account's code and name. */
  async lines(entryIds: readonly string[]): Promise<LineRow[]> {
    if (entryIds.length === 0) return [];
    return this.db
      .selectFrom('journalLines as l')
      .innerJoin('accounts as a', 'a.id', 'l.accountId')
      .selectAll('l')
      .select(['a.code as accountCode', 'a.name as accountName'])
      .where('l.entryId', 'in', entryIds)
      .orderBy('l.entryId')
      .orderBy('l.lineNo')
      .execute();
  }

  async withLines(entries: EntryRow[]): Promise<PostedEntry[]> {
    const lines = await this.lines(entries.map((entry) => entry.id));
    const byEntry = new Map<string, LineRow[]>();
    for (const line of lines) byEntry.set(line.entryId, [...(byEntry.get(line.entryId) ?? []), line]);
    return entries.map((entry) => ({ entry, lines: byEntry.get(entry.id) ?? [] }));
  }

  /** A page of entries, newest posting first unless sorted otherwise. */
  search(legalEntity: string, query: EntryListQuery) {
    let q = this.db.selectFrom('journalEntries').selectAll().where('legalEntity', '=', legalEntity);
    if (query.from) q = q.where('entryDate', '>=', query.from);
    if (query.to) q = q.where('entryDate', '<=', query.to);
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.sourceEventId) q = q.where('sourceEventId', '=', query.sourceEventId);
    if (query.contractId || query.accountCode) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('journalLines as l')
            .innerJoin('accounts as a', 'a.id', 'l.accountId')
            .select(sql`1`.as('one'))
            .whereRef('l.entryId', '=', 'journalEntries.id')
            .$if(query.contractId !== undefined, (sub) => sub.where('l.contractId', '=', query.contractId!))
            .$if(query.accountCode !== undefined, (sub) => sub.where('a.code', '=', query.accountCode!)),
        ),
      );
    }
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(query.sort, ['seq', 'entryDate'], { column: 'seq', direction: 'desc' }),
    });
  }
}
