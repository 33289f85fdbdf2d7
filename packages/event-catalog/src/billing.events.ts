import { oneOfLiterals } from './literals.ts';
import { Type, type TSchema } from 'typebox';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import { BusinessDate, CurrencyCode, DecimalString } from './money.ts';

// The events of billing: invoices issued from contract schedules, payments received and allocated,
// penalties charged, credit notes issued. Each carries the amounts finance posts (in `currency`, as decimal
// strings), so finance needs nothing else to book it; the posting rules name these fields. Besides these
// business facts, every object billing creates or changes publishes its change event (for audit).

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const INVOICE_KINDS = ['advance', 'installment', 'termination', 'buyout', 'fee'] as const;
const InvoiceKind = oneOfLiterals(INVOICE_KINDS, {
  description: 'What the invoice bills: the advance, a schedule installment, a settlement, a buyout, a fee.',
});

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

const InvoiceStatus = oneOfLiterals(['planned', 'issued', 'partially-paid', 'paid', 'cancelled'], {
  description: 'planned → issued → partially-paid → paid (a penalty may reopen it); planned → cancelled.',
});

const SettledAmounts = Type.Object({
  penalty: DecimalString('Of its penalties.'),
  interest: DecimalString('Of its interest.'),
  principal: DecimalString('Of its principal.'),
  fees: DecimalString('Of its fees.'),
  vat: DecimalString('Of its VAT.'),
  total: DecimalString('The sum of the above.'),
});

/** What another service may know of an invoice: its amounts, what settled it, what it still asks for. */
export const InvoiceSnapshot = Type.Object({
  id: Id('The invoice.'),
  number: Nullable(
    Type.String({ description: 'Gap-free per legal entity and year; null while planned or cancelled.' }),
  ),
  legalEntity: Type.String(),
  contractId: Id('The contract billed.'),
  partyId: Id('The lessee.'),
  kind: InvoiceKind,
  installment: Nullable(Type.Integer({ minimum: 1, description: 'Schedule installment n, if any.' })),
  scheduleVersion: Type.Integer({ minimum: 1 }),
  status: InvoiceStatus,
  currency: CurrencyCode,
  issueDate: BusinessDate('The planned issue date; once issued, the day it was issued on.'),
  dueDate: BusinessDate('When it is due.'),
  amounts: InvoiceAmounts,
  penalties: DecimalString('Late-payment penalties charged on it so far.'),
  settled: SettledAmounts,
  credited: DecimalString('The totals of the credit notes that corrected it.'),
  openAmount: DecimalString('total + penalties − settled; 0 while planned or cancelled.'),
  cancelReason: Nullable(Type.String({ description: 'Why a planned invoice was cancelled.' })),
});

/** What another service may know of a payment. The payer's name and account stay in billing (personal data). */
export const PaymentSnapshot = Type.Object({
  id: Id('The payment.'),
  legalEntity: Type.String(),
  contractId: Nullable(Id('The contract it was matched to; null while unmatched.')),
  partyId: Nullable(Id('The lessee, when matched.')),
  status: Type.Union([Type.Literal('unmatched'), Type.Literal('matched')]),
  source: Type.Union([Type.Literal('manual'), Type.Literal('import'), Type.Literal('credit-note')], {
    description: '`credit-note`: not money received but the credit a credit note gave the client.',
  }),
  valueDate: BusinessDate('The bank’s value date (a credit note’s: its issue date).'),
  reference: Type.String({
    description: 'The payment reference as the bank gave it (or the credit note number).',
  }),
  currency: CurrencyCode,
  amount: DecimalString('The amount.'),
  unallocated: DecimalString('What no invoice has taken yet: the client’s credit once matched.'),
  bankReference: Nullable(Type.String({ description: 'The bank’s unique transaction reference.' })),
  importId: Nullable(Id('The bank statement import it came from.')),
  importLine: Nullable(Type.Integer({ description: 'Its line in the imported file.' })),
  creditNoteId: Nullable(Id('The credit note whose credit it is.')),
  matchDate: Nullable(BusinessDate('When it was matched by hand.')),
  matchNote: Nullable(Type.String({ description: 'Why it stayed unmatched.' })),
});

export const AllocationSnapshot = Type.Object({
  id: Id('The allocation.'),
  paymentId: Id('The payment (or credit note credit) the money came from.'),
  invoiceId: Id('The invoice it settles (part of).'),
  legalEntity: Type.String(),
  contractId: Id('The contract.'),
  valueDate: BusinessDate('The business date of the allocation.'),
  currency: CurrencyCode,
  amounts: AllocatedAmounts,
});

export const PenaltySnapshot = Type.Object({
  id: Id('The penalty charge.'),
  invoiceId: Id('The overdue invoice.'),
  contractId: Id('The contract.'),
  chargeDate: BusinessDate('The day it was charged for.'),
  daysOverdue: Type.Integer({ minimum: 1 }),
  base: DecimalString('The overdue principal the rate applied to.'),
  rate: Type.String({ description: 'Percent per day.' }),
  currency: CurrencyCode,
  amount: DecimalString('The penalty.'),
});

export const DunningNoticeSnapshot = Type.Object({
  id: Id('The dunning notice.'),
  invoiceId: Id('The overdue invoice.'),
  contractId: Id('The contract.'),
  level: Type.Integer({ minimum: 1, description: 'The dunning level reached.' }),
  reachedOn: BusinessDate('The day the invoice reached it.'),
});

const CreditNoteLine = Type.Object({
  position: Type.Integer({ minimum: 1, description: 'Its position on the credit note.' }),
  invoiceLine: Type.Integer({ minimum: 1, description: 'The position of the invoice line it credits.' }),
  kind: oneOfLiterals(['principal', 'interest', 'fee', 'vat']),
  description: Type.String(),
  amount: DecimalString('The amount credited.'),
});

export const CreditNoteSnapshot = Type.Object({
  id: Id('The credit note.'),
  number: Type.String({ description: 'Gap-free per legal entity and year, e.g. `CN-LESSOR-2026-000003`.' }),
  legalEntity: Type.String(),
  invoiceId: Id('The invoice it corrects.'),
  invoiceNumber: Type.String(),
  contractId: Id('The contract.'),
  partyId: Id('The lessee.'),
  currency: CurrencyCode,
  issueDate: BusinessDate('The business day it was issued on.'),
  reason: Type.String({ description: 'Why, as the person who issued it wrote it.' }),
  amounts: InvoiceAmounts,
  appliedToInvoice: DecimalString('What of it settled the corrected invoice.'),
  toCredit: DecimalString('What became the client’s credit (the invoice had been paid).'),
  paymentId: Id('The client’s credit it created (a payment of source `credit-note`).'),
  lines: Type.Array(CreditNoteLine),
});

export const BankStatementImportSnapshot = Type.Object({
  id: Id('The import.'),
  format: Type.Union([Type.Literal('csv'), Type.Literal('camt053')]),
  fileName: Nullable(Type.String()),
  fileSha256: Type.String({ description: 'The file’s SHA-256: the same file again adds nothing.' }),
  legalEntity: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed')]),
  linesTotal: Type.Integer({ minimum: 0 }),
  linesDone: Type.Integer({ minimum: 0 }),
  matched: Type.Integer({ minimum: 0 }),
  unmatched: Type.Integer({ minimum: 0 }),
  refused: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
});

const COMPONENTS = ['penalty', 'interest', 'principal', 'fees', 'vat'] as const;

export const AllocationRuleSetSnapshot = Type.Object({
  id: Id('Fixed: billing keeps one set of allocation rules.'),
  invoiceOrder: Type.Union([Type.Literal('oldest-first'), Type.Literal('newest-first')]),
  componentOrder: Type.Array(oneOfLiterals(COMPONENTS)),
  version: Type.Integer({ minimum: 1 }),
});

export const DunningLevelSetSnapshot = Type.Object({
  id: Id('Fixed: billing keeps one set of dunning levels.'),
  levels: Type.Array(
    Type.Object({ level: Type.Integer({ minimum: 1 }), daysOverdue: Type.Integer({ minimum: 1 }) }),
  ),
  version: Type.Integer({ minimum: 1 }),
});

const invoiceChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'invoice',
  snapshot: InvoiceSnapshot,
  description:
    'An invoice is planned from a contract’s schedule (created, by leasing’s contract event, with its actor), ' +
    'issued, settled by allocations, charged penalties, or cancelled while planned (updated). An issued invoice ' +
    'is never edited: a credit note corrects it. Never deleted.',
});
const paymentChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'payment',
  snapshot: PaymentSnapshot,
  description:
    'A payment is money received (registered or imported; `payment.received` besides) or the credit a credit ' +
    'note gave the client; it is updated when matched by hand and as allocations take its money. Never deleted.',
});
const allocationChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'allocation',
  snapshot: AllocationSnapshot,
  description:
    'An allocation puts a payment’s money on an invoice (`payment.allocated` besides). Created only: it is ' +
    'never changed or deleted.',
});
const penaltyChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'penalty',
  snapshot: PenaltySnapshot,
  description:
    'A penalty is one day’s late-payment charge on an invoice (`penalty.charged` besides). Created only.',
});
const dunningNoticeChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'dunning-notice',
  snapshot: DunningNoticeSnapshot,
  description: 'A dunning notice records that an overdue invoice reached a dunning level. Created only.',
});
const creditNoteChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'credit-note',
  snapshot: CreditNoteSnapshot,
  description:
    'A credit note corrects an issued invoice in full or by line (`credit-note.issued` besides). Created only: ' +
    'a wrong credit note is corrected by an invoice, never edited.',
});
const importChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'bank-statement-import',
  snapshot: BankStatementImportSnapshot,
  description:
    'A bank statement import is created when a file is uploaded and updated once, when its last line is done ' +
    '(the progress in between publishes nothing; each line’s payment publishes its own events).',
});
const allocationRuleSetChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'allocation-rule-set',
  snapshot: AllocationRuleSetSnapshot,
  description:
    'The allocation rules: which invoice and which part of it money settles first. One set, updated through ' +
    'the API (its first change starts from the defaults at version 1).',
});
const dunningLevelSetChanges = defineChangeEvents({
  publisher: 'billing',
  entity: 'dunning-level-set',
  snapshot: DunningLevelSetSnapshot,
  description:
    'The dunning levels: how many days after the due date an invoice reaches each level. One set, updated ' +
    'through the API (its first change starts from the defaults at version 1).',
});

/**
 * Every event billing publishes, by name. Of each entity's change events only those that fire are listed:
 * billing deletes nothing, and what is created only (an allocation, a penalty, a credit note) is never updated.
 */
export const billingEvents = {
  invoiceCreated: invoiceChanges.created,
  invoiceUpdated: invoiceChanges.updated,
  paymentCreated: paymentChanges.created,
  paymentUpdated: paymentChanges.updated,
  allocationCreated: allocationChanges.created,
  penaltyCreated: penaltyChanges.created,
  dunningNoticeCreated: dunningNoticeChanges.created,
  creditNoteCreated: creditNoteChanges.created,
  bankStatementImportCreated: importChanges.created,
  bankStatementImportUpdated: importChanges.updated,
  allocationRuleSetUpdated: allocationRuleSetChanges.updated,
  dunningLevelSetUpdated: dunningLevelSetChanges.updated,

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
      kind: InvoiceKind,
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
  creditNoteIssued: defineEvent({
    type: 'lessor.billing.credit-note.issued.v1',
    publisher: 'billing',
    subject: 'creditNoteId',
    description:
      'Fires when a credit note corrects an issued invoice, in full or by line, in the transaction that numbers ' +
      'it. Finance reverses what the invoice booked for the credited amounts against the client’s credit; the part ' +
      'that settles the invoice follows as `payment.allocated` from the credit note’s `paymentId`, the rest stays ' +
      'the client’s credit (the invoice had been paid) for its next invoices.',
    data: Type.Object({
      creditNoteId: Id('The credit note.'),
      number: Type.String({
        description: 'Gap-free per legal entity and year, e.g. `CN-LESSOR-2026-000003`.',
      }),
      invoiceId: Id('The invoice it corrects.'),
      invoiceNumber: Type.String(),
      invoiceKind: InvoiceKind,
      legalEntity: Type.String(),
      contractId: Id('The contract.'),
      partyId: Id('The lessee.'),
      issueDate: BusinessDate('The business date it was issued on.'),
      currency: CurrencyCode,
      amounts: InvoiceAmounts,
      appliedToInvoice: DecimalString('What of `amounts.total` settles the corrected invoice.'),
      toCredit: DecimalString('What becomes the client’s credit: `amounts.total − appliedToInvoice`.'),
      paymentId: Id('The client’s credit it creates, the source of its allocations.'),
      reason: Type.String({ description: 'Why, as the person who issued it wrote it.' }),
    }),
  }),
};
