import type { Kysely } from 'kysely';
import { kitErrors, newId } from '@lessor/service-kit';
import type { AllocationService } from '../allocations/allocation.service.ts';
import { totalOf } from '../allocations/allocation.ts';
import { billingErrors } from '../billing.errors.ts';
import type { BillingEvents } from '../billing.events.ts';
import { ContractRepository, type ContractRow } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { InvoiceRepository } from '../invoices/invoice.repository.ts';
import { openComponents, type LineKind } from '../invoices/invoice.ts';
import { PaymentRepository } from '../payments/payment.repository.ts';
import {
  CreditNoteRepository,
  type CreditNoteLineRow,
  type CreditNoteRow,
  type CreditNoteSearch,
} from './credit-note.repository.ts';
import {
  appliedToInvoice,
  creditedParts,
  creditLines,
  creditNoteNumber,
  type RequestedLine,
} from './credit-note.ts';

export interface IssueCreditNote {
  reason: string;
  /** Omitted: every line, all that is left of it. */
  lines?: RequestedLine[];
}

/**
 * Credit notes: the only way to correct an issued invoice, which is never edited. In one transaction on the
 * contract's lock: the number from its own counter, the credit note and its lines, the invoice's `credited`,
 * the client's credit as a payment of source `credit-note`, its events, then that credit allocated — first to
 * the corrected invoice, each credited part as far as it is still open, then (what the client had paid already)
 * to the contract's other open invoices by the allocation rules, or kept as the client's credit.
 */
export class CreditNoteService {
  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly events: BillingEvents,
    private readonly allocations: AllocationService,
    private readonly today: () => string,
  ) {}

  list(query: CreditNoteSearch) {
    return new CreditNoteRepository(this.db).search(query);
  }

  async get(id: string): Promise<{ note: CreditNoteRow; lines: CreditNoteLineRow[] }> {
    const repository = new CreditNoteRepository(this.db);
    const note = await repository.find(id);
    if (!note || note.deletedAt) throw kitErrors.create.NOT_FOUND(`No credit note ${id}`);
    return { note, lines: await repository.lines(id) };
  }

  async issue(invoiceId: string, request: IssueCreditNote, actor: string) {
    const found = await new InvoiceRepository(this.db).find(invoiceId);
    if (!found || found.deletedAt) throw kitErrors.create.NOT_FOUND(`No invoice ${invoiceId}`);
    const id = await this.db.transaction().execute(async (trx) => {
      // The contract first, as every write about its money: they queue per contract and never deadlock.
      const contract = (await new ContractRepository(trx).lock(found.contractId))!;
      const note = await this.issueLocked(trx, contract, invoiceId, request, actor);
      await this.allocations.settle(trx, contract, actor);
      return note.id;
    });
    return this.get(id);
  }

  /**
   * Issues a credit note in the caller's transaction, which holds the contract's lock: the API's, or a
   * restructuring's correcting the installments billed at old amounts. The credit settles the corrected invoice;
   * the caller then lets the allocation rules put what is left on the contract's open invoices
   * (`AllocationService.settle`), once its credit notes are all issued.
   */
  async issueLocked(
    trx: Kysely<BillingDatabase>,
    contract: ContractRow,
    invoiceId: string,
    request: IssueCreditNote,
    actor: string,
  ): Promise<CreditNoteRow> {
    const invoices = new InvoiceRepository(trx);
    const invoice = (await invoices.lock(invoiceId))!;
    if (invoice.status === 'planned' || invoice.status === 'cancelled')
      throw billingErrors.create.INVOICE_NOT_CREDITABLE(
        `Invoice ${invoiceId} is ${invoice.status}: only an issued invoice is corrected by a credit note`,
      );
    const notes = new CreditNoteRepository(trx);
    const credited = await notes.creditedByLine(invoiceId);
    const { lines, problems } = creditLines(
      (await invoices.lines(invoiceId)).map((line) => ({
        position: line.position,
        kind: line.kind as LineKind,
        description: line.description,
        amount: line.amount,
        credited: credited.get(line.position) ?? '0',
      })),
      request.lines,
      invoice.currency,
    );
    if (problems.length > 0) {
      const errors = problems.map(({ field, message }) => ({ field, message }));
      const detail = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
      throw problems.some((problem) => problem.kind === 'input')
        ? kitErrors.create.VALIDATION_FAILED(detail, { errors })
        : billingErrors.create.CREDIT_NOTE_INVALID(detail, { errors });
    }
    if (lines.length === 0)
      throw billingErrors.create.INVOICE_NOT_CREDITABLE(
        `Invoice ${invoice.number} is credited in full already`,
      );

    const parts = creditedParts(lines);
    const total = totalOf(parts);
    const applied = appliedToInvoice(parts, openComponents(invoice));
    const issueDate = this.today();
    const year = Number(issueDate.slice(0, 4));
    const number = creditNoteNumber(
      invoice.legalEntity,
      year,
      await notes.nextNumber(invoice.legalEntity, year),
    );
    const paymentId = newId();
    const written = await notes.insert(
      {
        id: newId(),
        number,
        legalEntity: invoice.legalEntity,
        invoiceId,
        contractId: invoice.contractId,
        partyId: invoice.partyId,
        currency: invoice.currency,
        issueDate,
        reason: request.reason,
        principal: parts.principal.toString(),
        interest: parts.interest.toString(),
        fees: parts.fees.toString(),
        vat: parts.vat.toString(),
        total: total.toString(),
        appliedToInvoice: totalOf(applied).toString(),
        toCredit: total.minus(totalOf(applied)).toString(),
        paymentId,
      },
      lines,
      actor,
    );
    const corrected = await invoices.addCredited(invoiceId, total.toString(), actor);
    const credit = await new PaymentRepository(trx).insertCredit(
      {
        id: paymentId,
        legalEntity: invoice.legalEntity,
        contractId: contract.id,
        partyId: invoice.partyId,
        status: 'matched',
        valueDate: issueDate,
        reference: number,
        currency: invoice.currency,
        amount: total.toString(),
        unallocated: total.toString(),
        source: 'credit-note',
        bankReference: null,
        payerName: null,
        payerAccount: null,
        importId: null,
        importLine: null,
        matchDate: null,
        matchNote: null,
        creditNoteId: written.note.id,
      },
      actor,
    );
    await this.events.creditNoteCreated(trx, written.note, written.lines, invoice, actor);
    await this.events.creditNoteIssued(trx, written.note, invoice, actor);
    await this.events.invoiceChanged(trx, 'updated', invoice, corrected, actor);
    // Not money received: no `payment.received`, finance books the credit from `credit-note.issued`.
    await this.events.paymentChanged(trx, 'created', null, credit, actor);
    await this.allocations.allocateExactly(trx, contract, credit, corrected, applied, actor);
    return written.note;
  }
}
