import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { kitErrors } from '@lessor/service-kit';
import { AllocationRepository } from '../allocations/allocation.repository.ts';
import type { AllocationService } from '../allocations/allocation.service.ts';
import type { BillingEvents } from '../billing.events.ts';
import { ContractRepository } from '../contracts/contract.repository.ts';
import { CreditNoteRepository } from '../credit-notes/credit-note.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { OverdueRepository } from '../overdue/overdue.repository.ts';
import { PaymentRepository } from '../payments/payment.repository.ts';
import { D, sum } from '@lessor/domain-values';
import { InvoiceRepository, type InvoiceRow, type InvoiceSearch } from './invoice.repository.ts';
import { invoiceNumber, OPEN_STATUSES, openAmount, type InvoiceStatus, type SkipReason } from './invoice.ts';

export interface SkippedInvoice {
  invoiceId: string;
  contractId: string;
  contractNumber: string;
  kind: string;
  installment: number | null;
  issueDate: string;
  reason: SkipReason;
  detail: string;
}

export interface BillingRunResult {
  upTo: string;
  issued: InvoiceRow[];
  skipped: SkippedInvoice[];
}

type IssueOutcome = { issued: InvoiceRow } | { reason: SkipReason; detail: string };

/**
 * Invoices: read, and issued when their planned issue date has come — by the daily job and by an admin's
 * billing run, both idempotent.
 * Each invoice is issued in a transaction of its own: the contract's lock, the invoice's, the number from the
 * counter row, the event, and the client's credit put on it.
 */
export class InvoiceService {
  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly events: BillingEvents,
    private readonly allocations: AllocationService,
    private readonly today: () => string,
    private readonly observe: {
      log?: Logger;
      /** Called once per invoice a run left out (the service's counter). */
      skipped?: (reason: SkipReason) => void;
    } = {},
  ) {}

  list(query: InvoiceSearch) {
    return new InvoiceRepository(this.db).search(query);
  }

  async get(id: string): Promise<InvoiceRow> {
    const invoice = await new InvoiceRepository(this.db).find(id);
    if (!invoice || invoice.deletedAt) throw kitErrors.create.NOT_FOUND(`No invoice ${id}`);
    return invoice;
  }

  /** The invoice with its lines, the allocations that settled it, penalties, dunning levels, credit notes. */
  async detail(id: string) {
    const invoice = await this.get(id);
    const overdue = new OverdueRepository(this.db);
    const [lines, allocations, penalties, dunning, creditNotes] = await Promise.all([
      new InvoiceRepository(this.db).lines(id),
      new AllocationRepository(this.db).ofInvoice(id),
      overdue.penaltiesOf(id),
      overdue.dunningOf(id),
      new CreditNoteRepository(this.db).ofInvoice(id),
    ]);
    return { invoice, lines, allocations, penalties, dunning, creditNotes };
  }

  /**
   * Issues every planned invoice whose issue date is on or before `upTo`. Each one found due is either issued
   * or listed in `skipped` with its reason (`SKIP_REASONS` in invoice.ts); none is left out silently.
   */
  async run(upTo: string, actor?: string): Promise<BillingRunResult> {
    const due = await new InvoiceRepository(this.db).dueForIssue(upTo);
    const issued: InvoiceRow[] = [];
    const skipped: SkippedInvoice[] = [];
    for (const found of due) {
      let outcome: IssueOutcome;
      try {
        outcome = await this.#issue(found.id, found.contractId, actor);
      } catch (error) {
        this.observe.log?.error(
          { err: error, invoiceId: found.id, contractId: found.contractId },
          'could not issue an invoice; the run goes on, the next one tries it again',
        );
        outcome = { reason: 'failed', detail: 'issuing it failed; the next run tries it again' };
      }
      if ('issued' in outcome) {
        issued.push(outcome.issued);
        continue;
      }
      skipped.push({
        invoiceId: found.id,
        contractId: found.contractId,
        contractNumber: found.contractNumber,
        kind: found.kind,
        installment: found.installment,
        issueDate: found.issueDate,
        reason: outcome.reason,
        detail: outcome.detail,
      });
      this.observe.skipped?.(outcome.reason);
    }
    if (skipped.length > 0)
      this.observe.log?.warn(
        {
          upTo,
          issued: issued.length,
          skipped: skipped.map(({ invoiceId, reason }) => ({ invoiceId, reason })),
        },
        'the billing run left out invoices it found due; each with its reason',
      );
    return { upTo, issued, skipped };
  }

  /** Issues one planned invoice, or says why not (someone else issued or cancelled it first, …). */
  async #issue(id: string, contractId: string, actor?: string): Promise<IssueOutcome> {
    return this.db.transaction().execute(async (trx): Promise<IssueOutcome> => {
      const contract = await new ContractRepository(trx).lock(contractId);
      const invoices = new InvoiceRepository(trx);
      const invoice = await invoices.lock(id);
      // Both exist: the run listed the invoice by a join with its contract, and neither is ever deleted.
      if (!contract || !invoice) throw new Error(`invoice ${id} or its contract ${contractId} vanished`);
      if (invoice.status === 'cancelled')
        return { reason: 'cancelled-meanwhile', detail: invoice.cancelReason ?? 'cancelled' };
      if (invoice.status !== 'planned')
        return { reason: 'issued-meanwhile', detail: `issued as ${invoice.number ?? '?'} by another run` };
      if (invoice.currency !== contract.currency)
        return {
          reason: 'currency-mismatch',
          detail: `the invoice is in ${invoice.currency}, its contract ${contract.number} in ${contract.currency}`,
        };
      // Dated and numbered on the business day it is issued: a run catching up after an outage, or issuing
      // early, dates the invoice that day, never in a period already closed or still to come.
      const issueDate = this.today();
      const year = Number(issueDate.slice(0, 4));
      const number = invoiceNumber(
        invoice.legalEntity,
        year,
        await invoices.nextNumber(invoice.legalEntity, year),
      );
      // An invoice of nothing (a zero installment) is paid the moment it is issued.
      const status: InvoiceStatus = openAmount(invoice).lte(0) ? 'paid' : 'issued';
      const issued = await invoices.markIssued(id, { number, status, issueDate }, actor ?? 'system');
      await this.events.invoiceChanged(trx, 'updated', invoice, issued, actor);
      await this.events.invoiceIssued(trx, issued, actor);
      const allocated = await this.allocations.settle(trx, contract, actor);
      return { issued: allocated.length > 0 ? (await invoices.find(id))! : issued };
    });
  }

  /** What the client owes on a contract and what it has paid in advance (its credit). */
  async balance(contractId: string, today: string) {
    const contract = await new ContractRepository(this.db).find(contractId);
    if (!contract) throw kitErrors.create.NOT_FOUND(`Billing knows no contract ${contractId}`);
    const invoices = (await new InvoiceRepository(this.db).live(contractId)).filter(
      (invoice) => invoice.status !== 'planned',
    );
    const open = invoices.filter((invoice) => OPEN_STATUSES.includes(invoice.status as InvoiceStatus));
    const paid = (invoice: InvoiceRow) =>
      sum([
        invoice.paidPenalty,
        invoice.paidInterest,
        invoice.paidPrincipal,
        invoice.paidFees,
        invoice.paidVat,
      ]);
    return {
      contract,
      invoiced: sum(invoices.map((invoice) => invoice.total)),
      penalties: sum(invoices.map((invoice) => invoice.penalties)),
      paid: sum(invoices.map(paid)),
      openAmount: sum(open.map(openAmount)),
      overdueAmount: sum(open.filter((invoice) => invoice.dueDate < today).map(openAmount)),
      credited: new D(await new CreditNoteRepository(this.db).creditedOnContract(contractId)),
      credit: new D(await new PaymentRepository(this.db).creditTotal(contractId)),
      openInvoices: open.length,
    };
  }
}
