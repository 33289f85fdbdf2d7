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
      'receivable and in the unearned income (a negative difference books the other way).',
    datePath: 'businessDate',
    entryDescription: 'Contract {contract.number} restructured from {schedule.effectiveFrom}',
    lines: [debit('1200', '$interestChange'), credit('2300', '$interestChange')],
  }),
];
