import { Type } from 'typebox';
import { defineEvent } from './define-event.ts';
import { BusinessDate, CurrencyCode, DecimalString } from './money.ts';

// The events of billing: invoices issued from contract schedules, payments received and allocated,
// penalties charged. Each carries the amounts finance posts (in `currency`, as decimal strings), so finance
// needs nothing else to book it; the posting rules name these fields.

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const InvoiceAmounts = Type.Object({
  principal: DecimalString('Repayment of the financed amount.'),
  interest: DecimalString('Finance income of the lessor.'),
  fees: DecimalString('One-off fees, the termination fee, or the advance on an advance invoice.'),
  vat: DecimalString('VAT on the invoice.'),
  total: DecimalString('principal + interest + fees + vat.'),
});

const AllocatedAmounts = Type.Object({
  penalty: DecimalString('To penalties charged on the invoice.'),
  interest: DecimalString('To its interest.'),
  principal: DecimalString('To its principal.'),
  fees: DecimalString('To its fees.'),
  vat: DecimalString('To its VAT.'),
  total: DecimalString('The sum of the above: what left the client’s unallocated money.'),
});

/** Every event billing publishes, by name. */
export const billingEvents = {
  invoiceIssued: defineEvent({
    type: 'lessor.billing.invoice.issued.v1',
    publisher: 'billing',
    subject: 'invoiceId',
    description:
      'Fires when an invoice is issued (by the daily job or a billing run), in the transaction that numbers it. ' +
      'Finance books the receivable, the VAT and moves the billed principal and interest off the lease receivable.',
    data: Type.Object({
      invoiceId: Id('The invoice.'),
      number: Type.String({
        description: 'Gap-free per legal entity and year, e.g. `INV-LESSOR-2026-000017`.',
      }),
      kind: Type.Union([
        Type.Literal('advance'),
        Type.Literal('installment'),
        Type.Literal('termination'),
        Type.Literal('buyout'),
        Type.Literal('fee'),
      ]),
      legalEntity: Type.String(),
      contractId: Id('The contract billed.'),
      partyId: Id('The lessee.'),
      installment: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        description: 'Schedule installment n, if any.',
      }),
      issueDate: BusinessDate('The business date it was issued on.'),
      dueDate: BusinessDate('When it is due.'),
      currency: CurrencyCode,
      amounts: InvoiceAmounts,
    }),
  }),
  paymentReceived: defineEvent({
    type: 'lessor.billing.payment.received.v1',
    publisher: 'billing',
    subject: 'paymentId',
    description:
      'Fires when money arrives (registered by hand or imported from a bank statement), matched to a contract ' +
      'or not. Finance books cash against the client’s unallocated money (or suspense when unmatched).',
    data: Type.Object({
      paymentId: Id('The payment.'),
      legalEntity: Type.String(),
      contractId: Nullable(Id('The contract it was matched to; null while unmatched.')),
      partyId: Nullable(Id('The lessee, when matched.')),
      valueDate: BusinessDate('The bank’s value date.'),
      reference: Type.String({ description: 'The payment reference as the bank gave it.' }),
      currency: CurrencyCode,
      amount: DecimalString('The amount received.'),
      source: Type.Union([Type.Literal('manual'), Type.Literal('import')]),
    }),
  }),
  paymentMatched: defineEvent({
    type: 'lessor.billing.payment.matched.v1',
    publisher: 'billing',
    subject: 'paymentId',
    description:
      'Fires when a payment that arrived unmatched is matched to a contract by hand. Finance moves it from ' +
      'suspense to the client’s unallocated money.',
    data: Type.Object({
      paymentId: Id('The payment.'),
      legalEntity: Type.String(),
      contractId: Id('The contract it now belongs to.'),
      partyId: Id('The lessee.'),
      matchDate: BusinessDate('The business date of the match.'),
      currency: CurrencyCode,
      amount: DecimalString('The amount of the payment.'),
    }),
  }),
  paymentAllocated: defineEvent({
    type: 'lessor.billing.payment.allocated.v1',
    publisher: 'billing',
    subject: 'allocationId',
    description:
      'Fires for each allocation of a payment (or of the client’s credit) to an invoice, by the allocation rules. ' +
      'Finance moves the amount from the client’s unallocated money to settle the receivable.',
    data: Type.Object({
      allocationId: Id('The allocation.'),
      paymentId: Id('The payment the money came from.'),
      invoiceId: Id('The invoice it settles (part of).'),
      legalEntity: Type.String(),
      contractId: Id('The contract.'),
      partyId: Id('The lessee.'),
      valueDate: BusinessDate('The business date of the allocation.'),
      currency: CurrencyCode,
      amounts: AllocatedAmounts,
    }),
  }),
  penaltyCharged: defineEvent({
    type: 'lessor.billing.penalty.charged.v1',
    publisher: 'billing',
    subject: 'penaltyId',
    description:
      'Fires when the daily penalty on an overdue invoice’s principal is charged, at the contract’s penalty ' +
      'rate. Finance books it as receivable and penalty income.',
    data: Type.Object({
      penaltyId: Id('The penalty charge.'),
      invoiceId: Id('The overdue invoice.'),
      legalEntity: Type.String(),
      contractId: Id('The contract.'),
      partyId: Id('The lessee.'),
      chargeDate: BusinessDate('The business date it was charged for.'),
      daysOverdue: Type.Integer({ minimum: 1 }),
      currency: CurrencyCode,
      amount: DecimalString('The penalty.'),
    }),
  }),
};
