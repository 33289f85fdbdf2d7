import { billingEvents } from '@lessor/event-catalog';
import type { EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { AllocationRow } from './allocations/allocation.repository.ts';
import type { InvoiceRow } from './invoices/invoice.repository.ts';
import { formatAmount } from './money.ts';
import type { PenaltyRow } from './overdue/overdue.repository.ts';
import type { PaymentRow } from './payments/payment.repository.ts';

/**
 * billing's publishing, one method per fact, always inside the transaction of the change. Each event carries
 * the amounts finance posts, with the currency's decimals.
 */
export class BillingEvents {
  constructor(private readonly events: ServiceEvents) {}

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
}
