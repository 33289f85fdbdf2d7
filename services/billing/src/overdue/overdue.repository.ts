import { sql, type Kysely, type Selectable } from 'kysely';
import { newId } from '@lessor/service-kit';
import type { BillingDatabase, DunningNoticesTable, PenaltiesTable } from '../database.ts';

export type PenaltyRow = Selectable<PenaltiesTable>;
export type DunningNoticeRow = Selectable<DunningNoticesTable>;

export interface AgingFilter {
  at: string;
  legalEntity?: string;
  contractId?: string;
}

/** The SQL of overdue invoices: penalties, dunning notices, what was open at a date. */
export class OverdueRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  penaltiesOf(invoiceId: string): Promise<PenaltyRow[]> {
    return this.db
      .selectFrom('penalties')
      .selectAll()
      .where('invoiceId', '=', invoiceId)
      .orderBy('chargeDate')
      .execute();
  }

  dunningOf(invoiceId: string): Promise<DunningNoticeRow[]> {
    return this.db
      .selectFrom('dunningNotices')
      .selectAll()
      .where('invoiceId', '=', invoiceId)
      .orderBy('level')
      .execute();
  }

  async lastChargeDate(invoiceId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('penalties')
      .select(sql<string | null>`max(charge_date)::text`.as('last'))
      .where('invoiceId', '=', invoiceId)
      .executeTakeFirstOrThrow();
    return row.last;
  }

  /** Records a day's penalty; undefined when that day was charged already (nothing is added). */
  addPenalty(penalty: Omit<PenaltyRow, 'id' | 'createdAt'>): Promise<PenaltyRow | undefined> {
    return this.db
      .insertInto('penalties')
      .values({ ...penalty, id: newId() })
      .onConflict((conflict) => conflict.columns(['invoiceId', 'chargeDate']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /** Records a dunning level reached; undefined when the invoice reached it before (nothing is added). */
  addDunning(invoiceId: string, level: number, reachedOn: string): Promise<DunningNoticeRow | undefined> {
    return this.db
      .insertInto('dunningNotices')
      .values({ id: newId(), invoiceId, level, reachedOn })
      .onConflict((conflict) => conflict.columns(['invoiceId', 'level']).doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Issued invoices due before `upTo` that the penalty run has not brought up to it: open ones, and paid ones
   * whose last payment came after the day the run last saw them (a late payment's days are caught up).
   */
  candidates(upTo: string): Promise<{ id: string; contractId: string }[]> {
    return this.db
      .selectFrom('invoices')
      .select(['id', 'contractId'])
      .where('status', 'in', ['issued', 'partially-paid', 'paid'])
      .where('dueDate', '<', upTo)
      .where((eb) => eb.or([eb('overdueThrough', 'is', null), eb('overdueThrough', '<', upTo)]))
      .where(
        sql<boolean>`status <> 'paid' or (select max(a.value_date) from allocations a where a.invoice_id = invoices.id)
          > coalesce(overdue_through, due_date)`,
      )
      .orderBy('dueDate')
      .orderBy('id')
      .execute();
  }

  async markSeen(invoiceId: string, upTo: string): Promise<void> {
    await this.db
      .updateTable('invoices')
      .set({ overdueThrough: upTo })
      .where('id', '=', invoiceId)
      .where((eb) => eb.or([eb('overdueThrough', 'is', null), eb('overdueThrough', '<', upTo)]))
      .execute();
  }

  /** What the invoice asked for at the end of `date`: total + penalties charged by then − allocated by then. */
  async openOn(invoiceId: string, date: string): Promise<string> {
    const row = await this.db
      .selectFrom('invoices')
      .select(
        sql<string>`(total
          + coalesce((select sum(p.amount) from penalties p where p.invoice_id = invoices.id and p.charge_date <= ${date}), 0)
          - coalesce((select sum(a.total) from allocations a where a.invoice_id = invoices.id and a.value_date <= ${date}), 0))::text`.as(
          'open',
        ),
      )
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    return row.open;
  }

  /** Every invoice issued by `at` with what it asked for at the end of that day. */
  openAt(filter: AgingFilter): Promise<{ id: string; currency: string; dueDate: string; open: string }[]> {
    let query = this.db
      .selectFrom('invoices')
      .select([
        'id',
        'currency',
        'dueDate',
        sql<string>`(total
          + coalesce((select sum(p.amount) from penalties p where p.invoice_id = invoices.id and p.charge_date <= ${filter.at}), 0)
          - coalesce((select sum(a.total) from allocations a where a.invoice_id = invoices.id and a.value_date <= ${filter.at}), 0))::text`.as(
          'open',
        ),
      ])
      .where('status', 'in', ['issued', 'partially-paid', 'paid'])
      .where('issueDate', '<=', filter.at);
    if (filter.legalEntity) query = query.where('legalEntity', '=', filter.legalEntity);
    if (filter.contractId) query = query.where('contractId', '=', filter.contractId);
    return query.execute();
  }
}
