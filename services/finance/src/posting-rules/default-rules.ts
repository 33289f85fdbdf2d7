import { EventTypes } from '@lessor/event-catalog';
import type { PostingRuleDefinition, RuleLine } from './posting-rule.ts';

const debit = (accountCode: string, amount: string): RuleLine => ({ accountCode, side: 'debit', amount });
const credit = (accountCode: string, amount: string): RuleLine => ({ accountCode, side: 'credit', amount });
const rule = (
  definition: Omit<PostingRuleDefinition, 'legalEntity' | 'conditions'> &
    Partial<Pick<PostingRuleDefinition, 'conditions'>>,
): PostingRuleDefinition => ({ legalEntity: null, conditions: [], ...definition });

/**
 * The posting rules finance installs at first start (docs: notes/money-design.md, "Default posting rules").
 * They are data from then on: an admin changes them through the API.
 */
export const DEFAULT_POSTING_RULES: readonly PostingRuleDefinition[] = [
  rule({
    name: 'Lease activated: net investment',
    eventType: EventTypes.leasing.contractActivated,
    description:
      'IFRS 16, lessor, finance lease: the gross investment (principal + residual + interest) as lease receivable, ' +
      'the interest as unearned finance income, the financed amount owed to the supplier. Principal = financed − ' +
      'residual, so the entry balances.',
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} activated',
    lines: [
      debit('1200', 'schedule.totals.principal + contract.residualValue + schedule.totals.interest'),
      credit('2300', 'schedule.totals.interest'),
      credit('2000', 'contract.financedAmount'),
    ],
  }),
  rule({
    name: 'Advance invoice issued',
    eventType: EventTypes.billing.invoiceIssued,
    description:
      'The lessee’s advance pays part of the supplier’s price: with the financed amount booked on activation, the ' +
      'supplier is owed the whole asset price.',
    conditions: [{ path: 'kind', op: 'equals', value: 'advance' }],
    datePath: 'issueDate',
    entryDescription: 'Invoice {number} (advance)',
    lines: [debit('1100', 'amounts.total'), credit('2000', 'amounts.fees'), credit('2100', 'amounts.vat')],
  }),
  rule({
    name: 'Installment, termination or buyout invoice issued',
    eventType: EventTypes.billing.invoiceIssued,
    description:
      'The billed principal and interest move from the lease receivable to trade receivables; VAT is owed; fees ' +
      '(a termination fee) are income. A buyout invoice bills the residual value as principal.',
    conditions: [{ path: 'kind', op: 'in', value: ['installment', 'termination', 'buyout'] }],
    datePath: 'issueDate',
    entryDescription: 'Invoice {number} ({kind})',
    lines: [
      debit('1100', 'amounts.total'),
      credit('1200', 'amounts.principal + amounts.interest'),
      credit('2100', 'amounts.vat'),
      credit('4100', 'amounts.fees'),
    ],
  }),
  rule({
    name: 'Fee invoice issued',
    eventType: EventTypes.billing.invoiceIssued,
    description: 'A fee billed on its own: fee income and its VAT.',
    conditions: [{ path: 'kind', op: 'equals', value: 'fee' }],
    datePath: 'issueDate',
    entryDescription: 'Invoice {number} (fee)',
    lines: [debit('1100', 'amounts.total'), credit('4100', 'amounts.fees'), credit('2100', 'amounts.vat')],
  }),
  rule({
    name: 'Payment received for a contract',
    eventType: EventTypes.billing.paymentReceived,
    description: 'Cash in; the client’s money waits as credit until billing allocates it to invoices.',
    conditions: [{ path: 'contractId', op: 'isNotNull' }],
    datePath: 'valueDate',
    entryDescription: 'Payment {reference}',
    lines: [debit('1000', 'amount'), credit('2200', 'amount')],
  }),
  rule({
    name: 'Payment received unmatched',
    eventType: EventTypes.billing.paymentReceived,
    description: 'Cash in that no contract claims yet: suspense until someone matches it.',
    conditions: [{ path: 'contractId', op: 'isNull' }],
    datePath: 'valueDate',
    entryDescription: 'Unmatched payment {reference}',
    lines: [debit('1000', 'amount'), credit('2900', 'amount')],
  }),
  rule({
    name: 'Payment matched by hand',
    eventType: EventTypes.billing.paymentMatched,
    description: 'An unmatched payment now belongs to a contract: from suspense to the client’s credit.',
    datePath: 'matchDate',
    entryDescription: 'Payment {paymentId} matched',
    lines: [debit('2900', 'amount'), credit('2200', 'amount')],
  }),
  rule({
    name: 'Payment allocated to an invoice',
    eventType: EventTypes.billing.paymentAllocated,
    description: 'The client’s credit settles (part of) an invoice.',
    datePath: 'valueDate',
    entryDescription: 'Allocation to invoice {invoiceId}',
    lines: [debit('2200', 'amounts.total'), credit('1100', 'amounts.total')],
  }),
  rule({
    name: 'Penalty charged',
    eventType: EventTypes.billing.penaltyCharged,
    description: 'A late-payment penalty: receivable and penalty income.',
    datePath: 'chargeDate',
    entryDescription: 'Penalty on invoice {invoiceId} ({daysOverdue} days)',
    lines: [debit('1100', 'amount'), credit('4200', 'amount')],
  }),
  // Credit notes (billing): each reverses what its invoice kind's rule above booked for the amounts credited,
  // against the client's credit (2200); the part that settles the invoice follows as `payment.allocated`.
  rule({
    name: 'Credit note on an installment, termination or buyout invoice',
    eventType: EventTypes.billing.creditNoteIssued,
    description:
      'The credited principal and interest go back to the lease receivable (the schedule still holds them), the ' +
      'VAT is no longer owed, credited fees are no longer income; the client is owed the total as credit.',
    conditions: [{ path: 'invoiceKind', op: 'in', value: ['installment', 'termination', 'buyout'] }],
    datePath: 'issueDate',
    entryDescription: 'Credit note {number} on invoice {invoiceNumber}',
    lines: [
      debit('1200', 'amounts.principal + amounts.interest'),
      debit('2100', 'amounts.vat'),
      debit('4100', 'amounts.fees'),
      credit('2200', 'amounts.total'),
    ],
  }),
  rule({
    name: 'Credit note on an advance invoice',
    eventType: EventTypes.billing.creditNoteIssued,
    description:
      'Less advance paid for the supplier: the supplier is owed that much less, the client is credited.',
    conditions: [{ path: 'invoiceKind', op: 'equals', value: 'advance' }],
    datePath: 'issueDate',
    entryDescription: 'Credit note {number} on invoice {invoiceNumber} (advance)',
    lines: [debit('2000', 'amounts.fees'), debit('2100', 'amounts.vat'), credit('2200', 'amounts.total')],
  }),
  rule({
    name: 'Credit note on a fee invoice',
    eventType: EventTypes.billing.creditNoteIssued,
    description: 'A fee taken back: fee income and its VAT reversed, the client credited.',
    conditions: [{ path: 'invoiceKind', op: 'equals', value: 'fee' }],
    datePath: 'issueDate',
    entryDescription: 'Credit note {number} on invoice {invoiceNumber} (fee)',
    lines: [debit('4100', 'amounts.fees'), debit('2100', 'amounts.vat'), credit('2200', 'amounts.total')],
  }),
  rule({
    name: 'Lease terminated early',
    eventType: EventTypes.leasing.contractTerminated,
    description:
      'The interest of installments due after the termination date will never be billed: it leaves the unearned ' +
      'income and the lease receivable. The interest accrued since the last due date is billed on the termination ' +
      'invoice and earned now.',
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} terminated on {settlement.terminationDate}',
    lines: [
      debit('2300', '$unbilledInterest'),
      credit('1200', '$unbilledInterest'),
      debit('2300', 'settlement.accruedInterest.amount'),
      credit('4000', 'settlement.accruedInterest.amount'),
    ],
  }),
  rule({
    name: 'Lease restructured',
    eventType: EventTypes.leasing.contractRestructured,
    description:
      'A new schedule from a date: the interest still to be billed changes by the difference, in the lease ' +
      'receivable and in the unearned income (a negative difference books the other way). When the date is in ' +
      'the past, the difference on installments whose income was recognised already is earned (or given back) ' +
      'at once, so the unearned income holds exactly the new schedule’s interest not yet earned.',
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} restructured from {schedule.effectiveFrom}',
    lines: [
      debit('1200', '$interestChange'),
      credit('2300', '$interestChange'),
      debit('2300', '$earnedInterestChange'),
      credit('4000', '$earnedInterestChange'),
    ],
  }),
  rule({
    name: 'Lease closed, asset returned',
    eventType: EventTypes.leasing.contractClosed,
    description:
      'The term has run and the lessee gives the asset back: what is left of the gross investment once every ' +
      'installment is billed, the residual value booked on activation, leaves the lease receivable and becomes ' +
      'the returned asset, held for sale. Its interest is the installments’ (recognised as they fall due), so ' +
      'no unearned income is left to move.',
    conditions: [{ path: 'buyout', op: 'equals', value: false }],
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} closed, asset returned',
    lines: [debit('1300', 'contract.residualValue'), credit('1200', 'contract.residualValue')],
  }),
  rule({
    name: 'Lease closed with buyout',
    eventType: EventTypes.leasing.contractClosed,
    description:
      'The lessee buys the asset: billing’s buyout invoice bills the residual value (its rule takes it off the ' +
      'lease receivable), so the close itself posts nothing. A rule without lines says so: the event is ' +
      'acknowledged, not put on review.',
    conditions: [{ path: 'buyout', op: 'equals', value: true }],
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} closed, asset bought out',
    lines: [],
  }),
];
