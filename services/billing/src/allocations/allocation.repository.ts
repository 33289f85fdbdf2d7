import type { Kysely, Selectable } from 'kysely';
import { newId } from '@lessor/service-kit';
import type { AllocationsTable, BillingDatabase } from '../database.ts';

export type AllocationRow = Selectable<AllocationsTable>;

/** The SQL of allocations: which payment's money settled which invoice, part by part. */
export class AllocationRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  insert(allocation: Omit<AllocationRow, 'id' | 'createdAt'>): Promise<AllocationRow> {
    return this.db
      .insertInto('allocations')
      .values({ ...allocation, id: newId() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  ofInvoice(invoiceId: string): Promise<AllocationRow[]> {
    return this.db
      .selectFrom('allocations')
      .selectAll()
      .where('invoiceId', '=', invoiceId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  ofPayment(paymentId: string): Promise<AllocationRow[]> {
    return this.db
      .selectFrom('allocations')
      .selectAll()
      .where('paymentId', '=', paymentId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute();
  }

  /** The principal each allocation paid on an invoice, with its date: what stops the penalty running. */
  principalPaid(invoiceId: string): Promise<{ date: string; amount: string }[]> {
    return this.db
      .selectFrom('allocations')
      .select(['valueDate as date', 'principal as amount'])
      .where('invoiceId', '=', invoiceId)
      .where('principal', '>', '0')
      .execute();
  }
}
