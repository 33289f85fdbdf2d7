import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, parseSort, type Page } from '@lessor/service-kit';
import type { BillingDatabase, PaymentsTable } from '../database.ts';

export type PaymentRow = Selectable<PaymentsTable>;

export interface PaymentSearch {
  contractId?: string;
  status?: 'unmatched' | 'matched';
  importId?: string;
  bankReference?: string;
  source?: 'manual' | 'import' | 'credit-note';
  valueFrom?: string;
  valueTo?: string;
  sort?: string;
  cursor?: string;
  limit: number;
}

export const PAYMENT_SORTS = ['valueDate', 'createdAt'] as const;

export type NewPayment = Omit<
  PaymentRow,
  'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version' | 'deletedAt' | 'deletedBy'
>;

/** The SQL of payments received. */
export class PaymentRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  search(query: PaymentSearch): Promise<Page<PaymentRow>> {
    let q = this.db.selectFrom('payments').selectAll().where('deletedAt', 'is', null);
    if (query.contractId) q = q.where('contractId', '=', query.contractId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.importId) q = q.where('importId', '=', query.importId);
    // The column is unique, so its index answers this at once.
    if (query.bankReference) q = q.where('bankReference', '=', query.bankReference);
    if (query.source) q = q.where('source', '=', query.source);
    if (query.valueFrom) q = q.where('valueDate', '>=', query.valueFrom);
    if (query.valueTo) q = q.where('valueDate', '<=', query.valueTo);
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(query.sort, PAYMENT_SORTS, { column: 'createdAt', direction: 'desc' }),
    });
  }

  find(id: string): Promise<PaymentRow | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<PaymentRow | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  findByBankReference(bankReference: string): Promise<PaymentRow | undefined> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('bankReference', '=', bankReference)
      .executeTakeFirst();
  }

  /** Records a payment; undefined when its bank reference was recorded before (nothing is added). */
  insert(payment: NewPayment, actor: string): Promise<PaymentRow | undefined> {
    return this.db
      .insertInto('payments')
      .values({
        ...payment,
        id: newId(),
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .onConflict((conflict) => conflict.column('bankReference').doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Records the credit a credit note gives the client, under the id the credit note names. */
  insertCredit(payment: NewPayment & { id: string }, actor: string): Promise<PaymentRow> {
    return this.db
      .insertInto('payments')
      .values({ ...payment, createdBy: actor, updatedBy: actor, deletedAt: null, deletedBy: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The contract's money not yet allocated (its credit), oldest first, locked for allocation. */
  creditOf(contractId: string): Promise<PaymentRow[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('unallocated', '>', '0')
      .orderBy('valueDate')
      .orderBy('createdAt')
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  spend(id: string, amount: string, actor: string): Promise<PaymentRow> {
    return this.db
      .updateTable('payments')
      .set({
        unallocated: sql`unallocated - ${amount}::numeric`,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  match(
    id: string,
    contract: { contractId: string; partyId: string; legalEntity: string },
    matchDate: string,
    actor: string,
  ): Promise<PaymentRow> {
    return this.db
      .updateTable('payments')
      .set({
        ...contract,
        status: 'matched',
        matchDate,
        matchNote: null,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The contract's credit: matched money not allocated yet. */
  async creditTotal(contractId: string): Promise<string> {
    const row = await this.db
      .selectFrom('payments')
      .select(sql<string>`coalesce(sum(unallocated), 0)::text`.as('credit'))
      .where('contractId', '=', contractId)
      .executeTakeFirstOrThrow();
    return row.credit;
  }
}
