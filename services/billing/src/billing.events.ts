import { billingEvents, type EventDataOf, type EventDefinition } from '@lessor/event-catalog';
import type { ChangeAction, EventTransaction, ServiceEvents } from '@lessor/service-kit';
import { formatAmount, sum } from '@lessor/domain-values';
import type { AllocationRow } from './allocations/allocation.repository.ts';
import type { AllocationRules } from './allocations/allocation.ts';
import type { CreditNoteLineRow, CreditNoteRow } from './credit-notes/credit-note.repository.ts';
import type { ImportRow } from './imports/import.repository.ts';
import type { InvoiceRow } from './invoices/invoice.repository.ts';
import { openAmount } from './invoices/invoice.ts';
import type { DunningNoticeRow, PenaltyRow } from './overdue/overdue.repository.ts';
import type { DunningLevel } from './overdue/overdue.ts';
import type { PaymentRow } from './payments/payment.repository.ts';
import type { Setting } from './settings/settings.repository.ts';

// Snapshots list their fields one by one: a column added later does not leak into events (and audit) unseen.
// Each is typed by its catalogue schema, so a field the catalogue lacks or spells otherwise is a type error.

/** The snapshot a change event carries, as the catalogue types it. */
type SnapshotOf<Definition extends EventDefinition> = NonNullable<EventDataOf<Definition>['after']>;

/** The four amounts of a document and their total, with the currency's decimals. */
function documentAmounts(row: InvoiceRow | CreditNoteRow) {
  const f = (amount: string) => formatAmount(amount, row.currency);
  return {
    principal: f(row.principal),
    interest: f(row.interest),
    fees: f(row.fees),
    vat: f(row.vat),
    total: f(row.total),
  };
}

/** The invoice as its change events carry it: amounts, what settled it, what it still asks for. */
function invoiceSnapshot(invoice: InvoiceRow): SnapshotOf<typeof billingEvents.invoiceUpdated> {
  const f = (amount: string) => formatAmount(amount, invoice.currency);
  const asks = invoice.status !== 'planned' && invoice.status !== 'cancelled';
  const paid = [
    invoice.paidPenalty,
    invoice.paidInterest,
    invoice.paidPrincipal,
    invoice.paidFees,
    invoice.paidVat,
  ];
  return {
    id: invoice.id,
    number: invoice.number,
    legalEntity: invoice.legalEntity,
    contractId: invoice.contractId,
    partyId: invoice.partyId,
    kind: invoice.kind,
    installment: invoice.installment,
    scheduleVersion: invoice.scheduleVersion,
    status: invoice.status,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    amounts: documentAmounts(invoice),
    penalties: f(invoice.penalties),
    settled: {
      penalty: f(invoice.paidPenalty),
      interest: f(invoice.paidInterest),
      principal: f(invoice.paidPrincipal),
      fees: f(invoice.paidFees),
      vat: f(invoice.paidVat),
      total: f(sum(paid).toString()),
    },
    credited: f(invoice.credited),
    openAmount: asks ? formatAmount(openAmount(invoice), invoice.currency) : f('0'),
    cancelReason: invoice.cancelReason,
  };
}

/** The payer's name and account are personal data: they stay in billing, out of events kept for years. */
function paymentSnapshot(payment: PaymentRow): SnapshotOf<typeof billingEvents.paymentUpdated> {
  const f = (amount: string) => formatAmount(amount, payment.currency);
  return {
    id: payment.id,
    legalEntity: payment.legalEntity,
    contractId: payment.contractId,
    partyId: payment.partyId,
    status: payment.status,
    source: payment.source,
    valueDate: payment.valueDate,
    reference: payment.reference,
    currency: payment.currency,
    amount: f(payment.amount),
    unallocated: f(payment.unallocated),
    bankReference: payment.bankReference,
    importId: payment.importId,
    importLine: payment.importLine,
    creditNoteId: payment.creditNoteId,
    matchDate: payment.matchDate,
    matchNote: payment.matchNote,
  };
}

/** What an allocation took for each part of the invoice, penalty first, as allocation rules order them. */
function allocatedAmounts(allocation: AllocationRow) {
  const f = (amount: string) => formatAmount(amount, allocation.currency);
  return {
    penalty: f(allocation.penalty),
    interest: f(allocation.interest),
    principal: f(allocation.principal),
    fees: f(allocation.fees),
    vat: f(allocation.vat),
    total: f(allocation.total),
  };
}

function allocationSnapshot(allocation: AllocationRow): SnapshotOf<typeof billingEvents.allocationCreated> {
  return {
    id: allocation.id,
    paymentId: allocation.paymentId,
    invoiceId: allocation.invoiceId,
    legalEntity: allocation.legalEntity,
    contractId: allocation.contractId,
    valueDate: allocation.valueDate,
    currency: allocation.currency,
    amounts: allocatedAmounts(allocation),
  };
}

function creditNoteSnapshot(
  note: CreditNoteRow,
  lines: readonly CreditNoteLineRow[],
  invoiceNumber: string,
): SnapshotOf<typeof billingEvents.creditNoteCreated> {
  const f = (amount: string) => formatAmount(amount, note.currency);
  return {
    id: note.id,
    number: note.number,
    legalEntity: note.legalEntity,
    invoiceId: note.invoiceId,
    invoiceNumber,
    contractId: note.contractId,
    partyId: note.partyId,
    currency: note.currency,
    issueDate: note.issueDate,
    reason: note.reason,
    amounts: documentAmounts(note),
    appliedToInvoice: f(note.appliedToInvoice),
    toCredit: f(note.toCredit),
    paymentId: note.paymentId,
    lines: lines.map((line) => ({
      position: line.position,
      invoiceLine: line.invoiceLine,
      kind: line.kind,
      description: line.description,
      amount: f(line.amount),
    })),
  };
}

function importSnapshot(imported: ImportRow): SnapshotOf<typeof billingEvents.bankStatementImportUpdated> {
  return {
    id: imported.id,
    format: imported.format,
    fileName: imported.fileName,
    fileSha256: imported.fileHash,
    legalEntity: imported.legalEntity,
    status: imported.status,
    linesTotal: imported.linesTotal,
    linesDone: imported.linesDone,
    matched: imported.matched,
    unmatched: imported.unmatched,
    refused: imported.refused,
    skipped: imported.skipped,
  };
}

/**
 * The ids of the two settings documents in events: billing keeps one set of allocation rules and one of
 * dunning levels, and audit files changes by entity id.
 */
const SETTINGS_IDS = {
  allocationRules: '0195f3c0-0000-7000-8000-00000000a101',
  dunningLevels: '0195f3c0-0000-7000-8000-00000000a102',
} as const;

/**
 * billing's publishing, one method per fact, always inside the transaction of the change: what is particular
 * to billing is how a row becomes an event. Business facts carry the amounts finance posts, with the
 * currency's decimals; change events carry before and after for audit. An actor left out is the request's (a
 * job's or a consumer's changes are `system`'s unless they pass one).
 */
export class BillingEvents {
  constructor(private readonly events: ServiceEvents) {}

  #changed<Snapshot extends object>(
    trx: EventTransaction,
    entity: string,
    action: ChangeAction,
    entityId: string,
    before: Snapshot | null,
    after: Snapshot,
    actor: string | undefined,
  ) {
    return this.events.publishChange(trx, {
      entity,
      action,
      entityId,
      before,
      after,
      ...(actor ? { actor } : {}),
    });
  }

  invoiceChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: InvoiceRow | null,
    after: InvoiceRow,
    actor?: string,
  ) {
    const snapshot = before && invoiceSnapshot(before);
    return this.#changed(trx, 'invoice', action, after.id, snapshot, invoiceSnapshot(after), actor);
  }

  paymentChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: PaymentRow | null,
    after: PaymentRow,
    actor?: string,
  ) {
    const snapshot = before && paymentSnapshot(before);
    return this.#changed(trx, 'payment', action, after.id, snapshot, paymentSnapshot(after), actor);
  }

  allocationCreated(trx: EventTransaction, allocation: AllocationRow, actor?: string) {
    const after = allocationSnapshot(allocation);
    return this.#changed(trx, 'allocation', 'created', allocation.id, null, after, actor);
  }

  penaltyCreated(trx: EventTransaction, penalty: PenaltyRow, invoice: InvoiceRow, actor?: string) {
    const f = (amount: string) => formatAmount(amount, invoice.currency);
    const after: SnapshotOf<typeof billingEvents.penaltyCreated> = {
      id: penalty.id,
      invoiceId: penalty.invoiceId,
      contractId: penalty.contractId,
      chargeDate: penalty.chargeDate,
      daysOverdue: penalty.daysOverdue,
      base: f(penalty.base),
      rate: penalty.rate,
      currency: invoice.currency,
      amount: f(penalty.amount),
    };
    return this.#changed(trx, 'penalty', 'created', penalty.id, null, after, actor);
  }

  dunningNoticeCreated(trx: EventTransaction, notice: DunningNoticeRow, invoice: InvoiceRow, actor?: string) {
    const after: SnapshotOf<typeof billingEvents.dunningNoticeCreated> = {
      id: notice.id,
      invoiceId: notice.invoiceId,
      contractId: invoice.contractId,
      level: notice.level,
      reachedOn: notice.reachedOn,
    };
    return this.#changed(trx, 'dunning-notice', 'created', notice.id, null, after, actor);
  }

  creditNoteCreated(
    trx: EventTransaction,
    note: CreditNoteRow,
    lines: readonly CreditNoteLineRow[],
    invoice: InvoiceRow,
    actor?: string,
  ) {
    const after = creditNoteSnapshot(note, lines, invoice.number!);
    return this.#changed(trx, 'credit-note', 'created', note.id, null, after, actor);
  }

  importChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: ImportRow | null,
    after: ImportRow,
    actor?: string,
  ) {
    const snapshot = before && importSnapshot(before);
    const entity = 'bank-statement-import';
    return this.#changed(trx, entity, action, after.id, snapshot, importSnapshot(after), actor);
  }

  allocationRulesChanged(
    trx: EventTransaction,
    before: Setting<AllocationRules>,
    after: Setting<AllocationRules>,
    actor: string,
  ) {
    const id = SETTINGS_IDS.allocationRules;
    const snapshot = ({ value, version }: Setting<AllocationRules>) => ({
      id,
      invoiceOrder: value.invoiceOrder,
      componentOrder: [...value.componentOrder],
      version,
    });
    return this.#changed(trx, 'allocation-rule-set', 'updated', id, snapshot(before), snapshot(after), actor);
  }

  dunningLevelsChanged(
    trx: EventTransaction,
    before: Setting<{ levels: DunningLevel[] }>,
    after: Setting<{ levels: DunningLevel[] }>,
    actor: string,
  ) {
    const id = SETTINGS_IDS.dunningLevels;
    const snapshot = ({ value, version }: Setting<{ levels: DunningLevel[] }>) => ({
      id,
      levels: value.levels.map(({ level, daysOverdue }) => ({ level, daysOverdue })),
      version,
    });
    return this.#changed(trx, 'dunning-level-set', 'updated', id, snapshot(before), snapshot(after), actor);
  }

  invoiceIssued(trx: EventTransaction, invoice: InvoiceRow, actor?: string) {
    const { id, number, kind, legalEntity, contractId, partyId, installment, issueDate, dueDate, currency } =
      invoiceSnapshot(invoice);
    return this.events.publish(trx, billingEvents.invoiceIssued, {
      data: {
        invoiceId: id,
        number: number!,
        kind,
        legalEntity,
        contractId,
        partyId,
        installment,
        issueDate,
        dueDate,
        currency,
        amounts: documentAmounts(invoice),
      },
      actor,
    });
  }

  paymentReceived(trx: EventTransaction, payment: PaymentRow, actor?: string) {
    const { id, legalEntity, contractId, partyId, valueDate, reference, currency, amount, source } =
      paymentSnapshot(payment);
    if (source === 'credit-note') throw new Error('a credit note’s credit is not money received');
    return this.events.publish(trx, billingEvents.paymentReceived, {
      data: {
        paymentId: id,
        legalEntity,
        contractId,
        partyId,
        valueDate,
        reference,
        currency,
        amount,
        source,
      },
      actor,
    });
  }

  paymentMatched(trx: EventTransaction, payment: PaymentRow, actor?: string) {
    return this.events.publish(trx, billingEvents.paymentMatched, {
      data: {
        paymentId: payment.id,
        legalEntity: payment.legalEntity,
        contractId: payment.contractId!,
        partyId: payment.partyId!,
        matchDate: payment.matchDate!,
        currency: payment.currency,
        amount: formatAmount(payment.amount, payment.currency),
      },
      actor,
    });
  }

  paymentAllocated(trx: EventTransaction, allocation: AllocationRow, partyId: string, actor?: string) {
    return this.events.publish(trx, billingEvents.paymentAllocated, {
      data: {
        allocationId: allocation.id,
        paymentId: allocation.paymentId,
        invoiceId: allocation.invoiceId,
        legalEntity: allocation.legalEntity,
        contractId: allocation.contractId,
        partyId,
        valueDate: allocation.valueDate,
        currency: allocation.currency,
        amounts: allocatedAmounts(allocation),
      },
      actor,
    });
  }

  penaltyCharged(trx: EventTransaction, penalty: PenaltyRow, invoice: InvoiceRow, actor?: string) {
    return this.events.publish(trx, billingEvents.penaltyCharged, {
      data: {
        penaltyId: penalty.id,
        invoiceId: invoice.id,
        legalEntity: invoice.legalEntity,
        contractId: invoice.contractId,
        partyId: invoice.partyId,
        chargeDate: penalty.chargeDate,
        daysOverdue: penalty.daysOverdue,
        currency: invoice.currency,
        amount: formatAmount(penalty.amount, invoice.currency),
      },
      actor,
    });
  }

  creditNoteIssued(trx: EventTransaction, note: CreditNoteRow, invoice: InvoiceRow, actor?: string) {
    const f = (amount: string) => formatAmount(amount, note.currency);
    return this.events.publish(trx, billingEvents.creditNoteIssued, {
      data: {
        creditNoteId: note.id,
        number: note.number,
        invoiceId: invoice.id,
        invoiceNumber: invoice.number!,
        invoiceKind: invoice.kind,
        legalEntity: note.legalEntity,
        contractId: note.contractId,
        partyId: note.partyId,
        issueDate: note.issueDate,
        currency: note.currency,
        amounts: documentAmounts(note),
        appliedToInvoice: f(note.appliedToInvoice),
        toCredit: f(note.toCredit),
        paymentId: note.paymentId,
        reason: note.reason,
      },
      actor,
    });
  }
}
