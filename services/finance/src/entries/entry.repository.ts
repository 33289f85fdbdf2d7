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
   * Writes entries and their lines in one round trip: one multi-row INSERT of the entries (in the order given,
   * so their `seq` follows it) and one multi-row INSERT of all their lines, each from a JSON array, joined in one
   * statement by a data-modifying WITH. A line is produced by the join with its entry's inserted row, so the
   * line guard finds the entry (a trigger's queries see what the statement wrote before); the balance of each
   * entry is checked at commit.
   */
  async insertPostings(
    postings: readonly {
      entry: Omit<EntryRow, 'seq' | 'createdAt'>;
      lines: readonly Omit<Selectable<JournalLinesTable>, 'entryId' | 'entryDate'>[];
    }[],
  ): Promise<EntryRow[]> {
    if (postings.length === 0) return [];
    const entries = postings.map(({ entry }) => ({
      id: entry.id,
      legal_entity: entry.legalEntity,
      entry_date: entry.entryDate,
      kind: entry.kind,
      description: entry.description,
      source_event_id: entry.sourceEventId,
      source_event_type: entry.sourceEventType,
      source_key: entry.sourceKey,
      posting_rule_id: entry.postingRuleId,
      reverses_entry_id: entry.reversesEntryId,
      created_by: entry.createdBy,
    }));
    const lines = postings.flatMap(({ entry, lines }) =>
      lines.map((line) => ({
        entry_id: entry.id,
        line_no: line.lineNo,
        account_id: line.accountId,
        currency: line.currency,
        side: line.side,
        amount: line.amount,
        counterparty_id: line.counterpartyId,
        contract_id: line.contractId,
      })),
    );
    const { rows } = await sql<{ id: string; seq: string; createdAt: Date }>`
      with entry as (
        insert into journal_entries (id, legal_entity, entry_date, kind, description, source_event_id,
          source_event_type, source_key, posting_rule_id, reverses_entry_id, created_by)
        select e.id, e.legal_entity, e.entry_date, e.kind, e.description, e.source_event_id, e.source_event_type,
          e.source_key, e.posting_rule_id, e.reverses_entry_id, e.created_by
        from jsonb_array_elements(${JSON.stringify(entries)}::jsonb) with ordinality as given(value, n)
          cross join lateral jsonb_to_record(given.value) as e(id uuid, legal_entity text, entry_date date,
            kind text, description text, source_event_id uuid, source_event_type text, source_key text,
            posting_rule_id uuid, reverses_entry_id uuid, created_by text)
        order by given.n
        returning id, seq, created_at, entry_date
      ), lines as (
        insert into journal_lines (entry_id, line_no, account_id, currency, entry_date, side, amount,
          counterparty_id, contract_id)
        select entry.id, line.line_no, line.account_id, line.currency, entry.entry_date, line.side, line.amount,
          line.counterparty_id, line.contract_id
        from entry join jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as line(entry_id uuid,
          line_no smallint, account_id uuid, currency text, side text, amount numeric, counterparty_id uuid,
          contract_id uuid) on line.entry_id = entry.id
      )
      select id, seq::text as seq, created_at as "createdAt" from entry`.execute(this.db.withoutPlugins());
    const written = new Map(rows.map((row) => [row.id.toLowerCase(), row]));
    return postings.map(({ entry }) => {
      const row = written.get(entry.id.toLowerCase())!;
      return { ...entry, seq: row.seq, createdAt: row.createdAt };
    });
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
    return paginate(this.#matching(legalEntity, query), {
      limit: query.limit,
      cursor: query.cursor,
      sort: entrySort(query.sort),
    });
  }

  /**
   * Every entry a search matches (its filters and sort; not its `limit` and `cursor`), with its lines, a page of
   * `pageSize` entries at a time. The rule: keyset paging in the list's order, one short query per page and no
   * transaction held between pages, so an export of a large journal holds one page in memory and never blocks
   * anything (no connection held) while a slow client reads. Entries never
   * change, so the pages fit together; only entries posted while it runs could slip in, so it stops at the
   * highest `seq` posted when it began.
   */
  async *allMatching(
    legalEntity: string,
    query: Omit<EntryListQuery, 'limit' | 'cursor'>,
    pageSize = 250,
  ): AsyncGenerator<PostedEntry[]> {
    const last = await this.db
      .selectFrom('journalEntries')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    if (last?.seq === null || last?.seq === undefined) return;
    const matching = this.#matching(legalEntity, query).where('seq', '<=', last.seq);
    let cursor: string | undefined;
    do {
      const page = await paginate(matching, {
        limit: pageSize,
        ...(cursor === undefined ? {} : { cursor }),
        sort: entrySort(query.sort),
      });
      if (page.items.length > 0) yield await this.withLines(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  #matching(legalEntity: string, query: Omit<EntryListQuery, 'limit' | 'cursor'>) {
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
    return q;
  }
}

/** The list's order: newest posting first unless sorted otherwise. */
function entrySort(sort: string | undefined) {
  return parseSort(sort, ['seq', 'entryDate'], { column: 'seq', direction: 'desc' });
}
