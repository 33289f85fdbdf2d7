import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, parseSort, type Page } from '@lessor/service-kit';
import type { BillingDatabase, CreditNoteLinesTable, CreditNotesTable } from '../database.ts';
import type { CreditLine } from './credit-note.ts';

export type CreditNoteRow = Selectable<CreditNotesTable>;
export type CreditNoteLineRow = Selectable<CreditNoteLinesTable>;
export type NewCreditNote = Omit<
  CreditNoteRow,
  'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version' | 'deletedAt' | 'deletedBy'
>;

export interface CreditNoteSearch {
  invoiceId?: string;
  contractId?: string;
  cursor?: string;
  limit: number;
}

/** The SQL of credit notes, their lines and their gap-free number counters. */
export class CreditNoteRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  search(query: CreditNoteSearch): Promise<Page<CreditNoteRow>> {
    let q = this.db.selectFrom('creditNotes').selectAll().where('deletedAt', 'is', null);
    if (query.invoiceId) q = q.where('invoiceId', '=', query.invoiceId);
    if (query.contractId) q = q.where('contractId', '=', query.contractId);
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(undefined, ['createdAt'], { column: 'createdAt', direction: 'desc' }),
    });
  }

  find(id: string): Promise<CreditNoteRow | undefined> {
    return this.db.selectFrom('creditNotes').selectAll().where('id', '=', id).executeTakeFirst();
  }

  ofInvoice(invoiceId: string): Promise<CreditNoteRow[]> {
    return this.db
      .selectFrom('creditNotes')
      .selectAll()
      .where('invoiceId', '=', invoiceId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  lines(creditNoteId: string): Promise<CreditNoteLineRow[]> {
    return this.db
      .selectFrom('creditNoteLines')
      .selectAll()
      .where('creditNoteId', '=', creditNoteId)
      .orderBy('position')
      .execute();
  }

  /** What earlier credit notes took off each line of an invoice, by the line's position. */
  async creditedByLine(invoiceId: string): Promise<Map<number, string>> {
    const rows = await this.db
      .selectFrom('creditNoteLines')
      .innerJoin('creditNotes', 'creditNotes.id', 'creditNoteLines.creditNoteId')
      .select([
        'creditNoteLines.invoiceLine',
        sql<string>`sum(credit_note_lines.amount)::text`.as('credited'),
      ])
      .where('creditNotes.invoiceId', '=', invoiceId)
      .groupBy('creditNoteLines.invoiceLine')
      .execute();
    return new Map(rows.map((row) => [row.invoiceLine, row.credited]));
  }

  /** The credit notes' totals on a contract. */
  async creditedOnContract(contractId: string): Promise<string> {
    const row = await this.db
      .selectFrom('creditNotes')
      .select(sql<string>`coalesce(sum(total), 0)::text`.as('credited'))
      .where('contractId', '=', contractId)
      .executeTakeFirstOrThrow();
    return row.credited;
  }

  /**
   * The next credit note number of a legal entity and year: the counter row stays locked until the
   * transaction ends, so concurrent credit notes queue and a rolled-back one gives its number back.
   */
  async nextNumber(legalEntity: string, year: number): Promise<number> {
    const row = await this.db
      .insertInto('creditNoteNumbers')
      .values({ legalEntity, year, last: 1 })
      .onConflict((conflict) =>
        conflict.columns(['legalEntity', 'year']).doUpdateSet({ last: sql`credit_note_numbers.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return row.last;
  }

  async insert(
    note: NewCreditNote,
    lines: readonly CreditLine[],
    actor: string,
  ): Promise<{ note: CreditNoteRow; lines: CreditNoteLineRow[] }> {
    const row = await this.db
      .insertInto('creditNotes')
      .values({ ...note, createdBy: actor, updatedBy: actor, deletedAt: null, deletedBy: null })
      .returningAll()
      .executeTakeFirstOrThrow();
    const lineRows = await this.db
      .insertInto('creditNoteLines')
      .values(
        lines.map((line, index) => ({ id: newId(), creditNoteId: row.id, position: index + 1, ...line })),
      )
      .returningAll()
      .execute();
    return { note: row, lines: lineRows.sort((a, b) => a.position - b.position) };
  }
}
