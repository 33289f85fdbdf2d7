import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, parseSort, type Page } from '@lessor/service-kit';
import type { BillingDatabase, InvoiceLinesTable, InvoicesTable } from '../database.ts';
import type { ComponentAmounts } from '../allocations/allocation.ts';
import type { ContractRow } from '../contracts/contract.repository.ts';
import type { InvoiceKind, InvoiceStatus, PlannedInvoice } from './invoice.ts';

export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceLineRow = Selectable<InvoiceLinesTable>;

export interface InvoiceSearch {
  contractId?: string;
  partyId?: string;
  status?: InvoiceStatus;
  kind?: InvoiceKind;
  dueFrom?: string;
  dueTo?: string;
  sort?: string;
  cursor?: string;
  limit: number;
}

export const INVOICE_SORTS = ['dueDate', 'issueDate', 'createdAt'] as const;

/**
 * The predicate of the unique index `invoices_live_key` (migration 0003), word for word: PostgreSQL takes that
 * index as the `on conflict` arbiter only when this clause implies its predicate. An installment credited in full
 * no longer holds its installment (a restructuring invoices it again).
 */
const LIVE_INVOICE = sql<boolean>`status <> 'cancelled' and not (kind = 'installment' and total > 0 and credited = total)`;

/** A planned invoice a run found due: what its answer names when it leaves one out. */
export interface DueInvoice {
  id: string;
  contractId: string;
  contractNumber: string;
  kind: string;
  installment: number | null;
  issueDate: string;
}

/** The SQL of invoices, their lines and the gap-free number counters. */
export class InvoiceRepository {
  constructor(private readonly db: Kysely<BillingDatabase>) {}

  search(query: InvoiceSearch): Promise<Page<InvoiceRow>> {
    let q = this.db.selectFrom('invoices').selectAll().where('deletedAt', 'is', null);
    if (query.contractId) q = q.where('contractId', '=', query.contractId);
    if (query.partyId) q = q.where('partyId', '=', query.partyId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.dueFrom) q = q.where('dueDate', '>=', query.dueFrom);
    if (query.dueTo) q = q.where('dueDate', '<=', query.dueTo);
    return paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(query.sort, INVOICE_SORTS, { column: 'dueDate', direction: 'asc' }),
    });
  }

  find(id: string): Promise<InvoiceRow | undefined> {
    return this.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lock(id: string): Promise<InvoiceRow | undefined> {
    return this.db.selectFrom('invoices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  lines(invoiceId: string): Promise<InvoiceLineRow[]> {
    return this.db
      .selectFrom('invoiceLines')
      .selectAll()
      .where('invoiceId', '=', invoiceId)
      .orderBy('position')
      .execute();
  }

  /** Plans an invoice with its lines; an invoice the contract has already (live) is left alone. */
  async plan(contract: ContractRow, planned: PlannedInvoice, actor: string): Promise<InvoiceRow | undefined> {
    const { lines, ...amounts } = planned;
    const id = newId();
    const invoice = await this.db
      .insertInto('invoices')
      .values({
        id,
        ...amounts,
        number: null,
        legalEntity: contract.legalEntity,
        contractId: contract.id,
        partyId: contract.partyId,
        status: 'planned',
        currency: contract.currency,
        issuedAt: null,
        cancelReason: null,
        overdueThrough: null,
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .onConflict((conflict) =>
        conflict
          .expression(sql`contract_id, kind, coalesce(installment, 0)`)
          .where(LIVE_INVOICE)
          .doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (!invoice) return undefined;
    if (lines.length > 0)
      await this.db
        .insertInto('invoiceLines')
        .values(lines.map((line, index) => ({ id: newId(), invoiceId: id, position: index + 1, ...line })))
        .execute();
    return invoice;
  }

  /** The contract's invoices that are not cancelled, oldest due first. */
  live(contractId: string): Promise<InvoiceRow[]> {
    return this.db
      .selectFrom('invoices')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('status', '<>', 'cancelled')
      .orderBy('dueDate')
      .orderBy('id')
      .execute();
  }

  /**
   * The contract's installment invoices issued (paid ones included) that fall due on or after `dueFrom`, locked:
   * what a restructuring from that date finds billed already.
   */
  issuedInstallments(contractId: string, dueFrom: string): Promise<InvoiceRow[]> {
    return this.db
      .selectFrom('invoices')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('kind', '=', 'installment')
      .where('status', 'in', ['issued', 'partially-paid', 'paid'])
      .where('dueDate', '>=', dueFrom)
      .orderBy('installment')
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /**
   * Cancels the contract's planned invoices a later fact voids (they were never issued, nothing is posted);
   * each with the row before and after. The caller holds the contract's lock, so nobody issues them meanwhile.
   */
  async cancelPlanned(
    contractId: string,
    which: { kind: InvoiceKind; dueFrom?: string; dueAfter?: string },
    reason: string,
    actor: string,
  ): Promise<{ before: InvoiceRow; after: InvoiceRow }[]> {
    let query = this.db
      .selectFrom('invoices')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('status', '=', 'planned')
      .where('kind', '=', which.kind);
    if (which.dueFrom) query = query.where('dueDate', '>=', which.dueFrom);
    if (which.dueAfter) query = query.where('dueDate', '>', which.dueAfter);
    const voided = await query.orderBy('dueDate').orderBy('id').forUpdate().execute();
    if (voided.length === 0) return [];
    const cancelled = await this.db
      .updateTable('invoices')
      .set({
        status: 'cancelled',
        cancelReason: reason,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where(
        'id',
        'in',
        voided.map((invoice) => invoice.id),
      )
      .returningAll()
      .execute();
    const after = new Map(cancelled.map((invoice) => [invoice.id, invoice]));
    return voided.map((before) => ({ before, after: after.get(before.id)! }));
  }

  /** Planned invoices whose issue date has come by `upTo`, in the order they are numbered. */
  dueForIssue(upTo: string): Promise<DueInvoice[]> {
    return this.db
      .selectFrom('invoices')
      .innerJoin('contracts', 'contracts.id', 'invoices.contractId')
      .select([
        'invoices.id',
        'invoices.contractId',
        'contracts.number as contractNumber',
        'invoices.kind',
        'invoices.installment',
        'invoices.issueDate',
      ])
      .where('invoices.status', '=', 'planned')
      .where('invoices.issueDate', '<=', upTo)
      .orderBy('invoices.issueDate')
      .orderBy('invoices.dueDate')
      .orderBy('contracts.number')
      .orderBy(sql`coalesce(invoices.installment, 0)`)
      .orderBy('invoices.id')
      .execute();
  }

  /**
   * The next invoice number of a legal entity and year. The counter row is locked by the upsert until the
   * transaction ends, so concurrent issues queue and a rolled-back one gives its number back: no gaps.
   */
  async nextNumber(legalEntity: string, year: number): Promise<number> {
    const row = await this.db
      .insertInto('invoiceNumbers')
      .values({ legalEntity, year, last: 1 })
      .onConflict((conflict) =>
        conflict.columns(['legalEntity', 'year']).doUpdateSet({ last: sql`invoice_numbers.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return row.last;
  }

  /** Numbers the invoice and dates it the business day it is issued on (the planned date was a plan). */
  markIssued(
    id: string,
    values: { number: string; status: InvoiceStatus; issueDate: string },
    actor: string,
  ): Promise<InvoiceRow> {
    return this.db
      .updateTable('invoices')
      .set({
        ...values,
        issuedAt: new Date(),
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The contract's issued invoices that still ask for money, locked for allocation. */
  openOf(contractId: string): Promise<InvoiceRow[]> {
    return this.db
      .selectFrom('invoices')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('status', 'in', ['issued', 'partially-paid'])
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /** Adds what an allocation settled to the invoice and sets its status from the result. */
  async settle(id: string, amounts: ComponentAmounts, actor: string): Promise<InvoiceRow> {
    const row = await this.db
      .updateTable('invoices')
      .set({
        paidPenalty: sql`paid_penalty + ${amounts.penalty.toString()}::numeric`,
        paidInterest: sql`paid_interest + ${amounts.interest.toString()}::numeric`,
        paidPrincipal: sql`paid_principal + ${amounts.principal.toString()}::numeric`,
        paidFees: sql`paid_fees + ${amounts.fees.toString()}::numeric`,
        paidVat: sql`paid_vat + ${amounts.vat.toString()}::numeric`,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  }

  async setStatus(id: string, status: InvoiceStatus): Promise<InvoiceRow> {
    return this.db
      .updateTable('invoices')
      .set({ status })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Records a credit note's total on the invoice it corrects (what it settles comes as an allocation). */
  addCredited(id: string, amount: string, actor: string): Promise<InvoiceRow> {
    return this.db
      .updateTable('invoices')
      .set({
        credited: sql`credited + ${amount}::numeric`,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Adds a charged penalty to what the invoice asks for; a paid invoice with a new penalty is open again. */
  addPenalty(id: string, amount: string, actor: string): Promise<InvoiceRow> {
    return this.db
      .updateTable('invoices')
      .set({
        penalties: sql`penalties + ${amount}::numeric`,
        updatedAt: new Date(),
        updatedBy: actor,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
