import { billingEvents } from '@lessor/event-catalog';
import type { ChangeAction, EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { AllocationRow } from './allocations/allocation.repository.ts';
import type { AllocationRules } from './allocations/allocation.ts';
import type { CreditNoteLineRow, CreditNoteRow } from './credit-notes/credit-note.repository.ts';
import type { ImportRow } from './imports/import.repository.ts';
import type { InvoiceRow } from './invoices/invoice.repository.ts';
import { openAmount } from './invoices/invoice.ts';
import { formatAmount, sum } from '@lessor/domain-values';
import type { DunningNoticeRow, PenaltyRow } from './overdue/overdue.repository.ts';
import type { DunningLevel } from './overdue/overdue.ts';
import type { PaymentRow } from './payments/payment.repository.ts';
import type { Setting } from './settings/settings.repository.ts';

// Snapshots list their fields one by one: a column added later does not leak into events (and audit) unseen.

/** The invoice as its change events carry it: amounts, what settled it, what it still asks for. */
export function invoiceSnapshot(invoice: InvoiceRow) {
  const f = (amount: string) => formatAmount(amount, invoice.currency);
  const asks = invoice.status !== 'planned' && invoice.status !== 'cancelled';
  return {
    id: invoice.id,
    number: invoice.number,
    legalEntity: invoice.legalEntity,
    contractId: invoice.contractId,
    partyId: invoice.partyId,
    kind: invoice.kind as 'installment',
    installment: invoice.installment,
    scheduleVersion: invoice.scheduleVersion,
    status: invoice.status,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    amounts: {
      principal: f(invoice.principal),
      interest: f(invoice.interest),
      fees: f(invoice.fees),
      vat: f(invoice.vat),
      total: f(invoice.total),
    },
    penalties: f(invoice.penalties),
    settled: {
      penalty: f(invoice.paidPenalty),
      interest: f(invoice.paidInterest),
      principal: f(invoice.paidPrincipal),
      fees: f(invoice.paidFees),
      vat: f(invoice.paidVat),
      total: f(
        sum([
          invoice.paidPenalty,
          invoice.paidInterest,
          invoice.paidPrincipal,
          invoice.paidFees,
          invoice.paidVat,
        ]).toString(),
      ),
    },
    credited: f(invoice.credited),
    openAmount: asks ? formatAmount(openAmount(invoice), invoice.currency) : f('0'),
    cancelReason: invoice.cancelReason,
  };
}

/** The payer's name and account are personal data: they stay in billing, out of events kept for years. */
export function paymentSnapshot(payment: PaymentRow) {
  const f = (amount: string) => formatAmount(amount, payment.currency);
  return {
    id: payment.id,
    legalEntity: payment.legalEntity,
    contractId: payment.contractId,
    partyId: payment.partyId,
    status: payment.status as 'matched',
    source: payment.source as 'manual',
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

function allocationSnapshot(allocation: AllocationRow) {
  const f = (amount: string) => formatAmount(amount, allocation.currency);
  return {
    id: allocation.id,
    paymentId: allocation.paymentId,
    invoiceId: allocation.invoiceId,
    legalEntity: allocation.legalEntity,
    contractId: allocation.contractId,
    valueDate: allocation.valueDate,
    currency: allocation.currency,
    amounts: {
      penalty: f(allocation.penalty),
      interest: f(allocation.interest),
      principal: f(allocation.principal),
      fees: f(allocation.fees),
      vat: f(allocation.vat),
      total: f(allocation.total),
    },
  };
}

function creditNoteSnapshot(note: CreditNoteRow, lines: readonly CreditNoteLineRow[], invoiceNumber: string) {
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
    amounts: {
      principal: f(note.principal),
      interest: f(note.interest),
      fees: f(note.fees),
      vat: f(note.vat),
      total: f(note.total),
    },
    appliedToInvoice: f(note.appliedToInvoice),
    toCredit: f(note.toCredit),
    paymentId: note.paymentId,
    lines: lines.map((line) => ({
      position: line.position,
      invoiceLine: line.invoiceLine,
      kind: line.kind as 'principal',
      description: line.description,
      amount: f(line.amount),
    })),
  };
}

function importSnapshot(imported: ImportRow) {
  return {
    id: imported.id,
    format: imported.format as 'csv',
    fileName: imported.fileName,
    fileSha256: imported.fileHash,
    legalEntity: imported.legalEntity,
    status: imported.status as 'running',
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
export const SETTINGS_IDS = {
  allocationRules: '0195f3c0-0000-7000-8000-00000000a101',
  dunningLevels: '0195f3c0-0000-7000-8000-00000000a102',
} as const;

/**
 * billing's publishing, one method per fact, always inside the transaction of the change. Business facts carry
 * the amounts finance posts, with the currency's decimals; change events carry before and after for audit. An
 * actor left out is the request's (a job's or a consumer's changes are `system`'s unless they pass one).
 */
export class BillingEvents {
  constructor(private readonly events: ServiceEvents) {}

  invoiceChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: InvoiceRow | null,
    after: InvoiceRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'invoice',
      action,
      entityId: after.id,
      before: before && invoiceSnapshot(before),
      after: invoiceSnapshot(after),
      ...(actor ? { actor } : {}),
    });
  }

  paymentChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: PaymentRow | null,
    after: PaymentRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'payment',
      action,
      entityId: after.id,
      before: before && paymentSnapshot(before),
      after: paymentSnapshot(after),
      ...(actor ? { actor } : {}),
    });
  }

  allocationCreated(trx: EventTransaction, allocation: AllocationRow, actor?: string) {
    return this.events.publishChange(trx, {
      entity: 'allocation',
      action: 'created',
      entityId: allocation.id,
      before: null,
      after: allocationSnapshot(allocation),
      ...(actor ? { actor } : {}),
    });
  }

  penaltyCreated(trx: EventTransaction, penalty: PenaltyRow, invoice: InvoiceRow, actor?: string) {
    const f = (amount: string) => formatAmount(amount, invoice.currency);
    return this.events.publishChange(trx, {
      entity: 'penalty',
      action: 'created',
      entityId: penalty.id,
      before: null,
      after: {
        id: penalty.id,
        invoiceId: penalty.invoiceId,
        contractId: penalty.contractId,
        chargeDate: penalty.chargeDate,
        daysOverdue: penalty.daysOverdue,
        base: f(penalty.base),
        rate: penalty.rate,
        currency: invoice.currency,
        amount: f(penalty.amount),
      },
      ...(actor ? { actor } : {}),
    });
  }

  dunningNoticeCreated(trx: EventTransaction, notice: DunningNoticeRow, invoice: InvoiceRow, actor?: string) {
    return this.events.publishChange(trx, {
      entity: 'dunning-notice',
      action: 'created',
      entityId: notice.id,
      before: null,
      after: {
        id: notice.id,
        invoiceId: notice.invoiceId,
        contractId: invoice.contractId,
        level: notice.level,
        reachedOn: notice.reachedOn,
      },
      ...(actor ? { actor } : {}),
    });
  }

  creditNoteCreated(
    trx: EventTransaction,
    note: CreditNoteRow,
    lines: readonly CreditNoteLineRow[],
    invoice: InvoiceRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'credit-note',
      action: 'created',
      entityId: note.id,
      before: null,
      after: creditNoteSnapshot(note, lines, invoice.number!),
      ...(actor ? { actor } : {}),
    });
  }

  importChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: ImportRow | null,
    after: ImportRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'bank-statement-import',
      action,
      entityId: after.id,
      before: before && importSnapshot(before),
      after: importSnapshot(after),
      ...(actor ? { actor } : {}),
    });
  }

  allocationRulesChanged(
    trx: EventTransaction,
    before: Setting<AllocationRules>,
    after: Setting<AllocationRules>,
    actor: string,
  ) {
    const snapshot = (setting: Setting<AllocationRules>) => ({
      id: SETTINGS_IDS.allocationRules,
      invoiceOrder: setting.value.invoiceOrder,
      componentOrder: [...setting.value.componentOrder],
      version: setting.version,
    });
    return this.events.publishChange(trx, {
      entity: 'allocation-rule-set',
      action: 'updated',
      entityId: SETTINGS_IDS.allocationRules,
      before: snapshot(before),
      after: snapshot(after),
      actor,
    });
  }

  dunningLevelsChanged(
    trx: EventTransaction,
    before: Setting<{ levels: DunningLevel[] }>,
    after: Setting<{ levels: DunningLevel[] }>,
    actor: string,
  ) {
    const snapshot = (setting: Setting<{ levels: DunningLevel[] }>) => ({
      id: SETTINGS_IDS.dunningLevels,
      levels: setting.value.levels.map((level) => ({ level: level.level, daysOverdue: level.daysOverdue })),
      version: setting.version,
    });
    return this.events.publishChange(trx, {
      entity: 'dunning-level-set',
      action: 'updated',
      entityId: SETTINGS_IDS.dunningLevels,
      before: snapshot(before),
      after: snapshot(after),
      actor,
    });
  }

  invoiceIssued(trx: EventTransaction, invoice: InvoiceRow, actor?: string) {
    const f = (amount: string) => formatAmount(amount, invoice.currency);
    return this.events.publish(trx, {
      type: billingEvents.invoiceIssued.type,
      subject: invoice.id,
      ...(actor ? { actor } : {}),
      data: {
        invoiceId: invoice.id,
        number: invoice.number!,
        kind: invoice.kind as 'installment',
        legalEntity: invoice.legalEntity,
        contractId: invoice.contractId,
        partyId: invoice.partyId,
        installment: invoice.installment,
        issueDate: invoice.issueDate,
        dueDate: invoice.dueDate,
        currency: invoice.currency,
        amounts: {
          principal: f(invoice.principal),
          interest: f(invoice.interest),
          fees: f(invoice.fees),
          vat: f(invoice.vat),
          total: f(invoice.total),
        },
      },
    });
  }

  paymentReceived(trx: EventTransaction, payment: PaymentRow, actor?: string) {
    return this.events.publish(trx, {
      type: billingEvents.paymentReceived.type,
      subject: payment.id,
      ...(actor ? { actor } : {}),
      data: {
        paymentId: payment.id,
        legalEntity: payment.legalEntity,
        contractId: payment.contractId,
        partyId: payment.partyId,
        valueDate: payment.valueDate,
        reference: payment.reference,
        currency: payment.currency,
        amount: formatAmount(payment.amount, payment.currency),
        source: payment.source as 'manual',
      },
    });
  }

  paymentMatched(trx: EventTransaction, payment: PaymentRow, actor?: string) {
    return this.events.publish(trx, {
      type: billingEvents.paymentMatched.type,
      subject: payment.id,
      ...(actor ? { actor } : {}),
      data: {
        paymentId: payment.id,
        legalEntity: payment.legalEntity,
        contractId: payment.contractId!,
        partyId: payment.partyId!,
        matchDate: payment.matchDate!,
        currency: payment.currency,
        amount: formatAmount(payment.amount, payment.currency),
      },
    });
  }

  paymentAllocated(trx: EventTransaction, allocation: AllocationRow, partyId: string, actor?: string) {
    const f = (amount: string) => formatAmount(amount, allocation.currency);
    return this.events.publish(trx, {
      type: billingEvents.paymentAllocated.type,
      subject: allocation.id,
      ...(actor ? { actor } : {}),
      data: {
        allocationId: allocation.id,
        paymentId: allocation.paymentId,
        invoiceId: allocation.invoiceId,
        legalEntity: allocation.legalEntity,
        contractId: allocation.contractId,
        partyId,
        valueDate: allocation.valueDate,
        currency: allocation.currency,
        amounts: {
          penalty: f(allocation.penalty),
          interest: f(allocation.interest),
          principal: f(allocation.principal),
          fees: f(allocation.fees),
          vat: f(allocation.vat),
          total: f(allocation.total),
        },
      },
    });
  }

  penaltyCharged(trx: EventTransaction, penalty: PenaltyRow, invoice: InvoiceRow, actor?: string) {
    return this.events.publish(trx, {
      type: billingEvents.penaltyCharged.type,
      subject: penalty.id,
      ...(actor ? { actor } : {}),
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
    });
  }

  creditNoteIssued(trx: EventTransaction, note: CreditNoteRow, invoice: InvoiceRow, actor?: string) {
    const f = (amount: string) => formatAmount(amount, note.currency);
    return this.events.publish(trx, {
      type: billingEvents.creditNoteIssued.type,
      subject: note.id,
      ...(actor ? { actor } : {}),
      data: {
        creditNoteId: note.id,
        number: note.number,
        invoiceId: invoice.id,
        invoiceNumber: invoice.number!,
        invoiceKind: invoice.kind as 'installment',
        legalEntity: note.legalEntity,
        contractId: note.contractId,
        partyId: note.partyId,
        issueDate: note.issueDate,
        currency: note.currency,
        amounts: {
          principal: f(note.principal),
          interest: f(note.interest),
          fees: f(note.fees),
          vat: f(note.vat),
          total: f(note.total),
        },
        appliedToInvoice: f(note.appliedToInvoice),
        toCredit: f(note.toCredit),
        paymentId: note.paymentId,
        reason: note.reason,
      },
    });
  }
}
