import type { Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';
import type { BankFileFormat } from './imports/bank-statement.ts';
import type { InvoiceKind, InvoiceStatus, LineKind } from './invoices/invoice.ts';

/**
 * What billing knows of a contract, learned from leasing's contract events (its own copy: billing never
 * reads leasing's tables). The payment reference is how a bank transfer finds its contract.
 */
export interface ContractsTable {
  id: string;
  number: string;
  legalEntity: string;
  partyId: string;
  currency: string;
  paymentReference: string;
  /** Percent per day on overdue principal. */
  penaltyRate: string;
  vatRate: string;
  status: string;
  scheduleVersion: number;
  startDate: string;
  updatedAt: Generated<Date>;
}

/** An invoice: planned from a schedule, issued (numbered) on its date, settled by allocations. */
export interface InvoicesTable extends BusinessColumns {
  /** Null while planned: the number is given in the transaction that issues it. */
  number: string | null;
  legalEntity: string;
  contractId: string;
  partyId: string;
  kind: InvoiceKind;
  installment: number | null;
  scheduleVersion: number;
  status: InvoiceStatus;
  currency: string;
  issueDate: string;
  dueDate: string;
  principal: string;
  interest: string;
  fees: string;
  vat: string;
  total: string;
  /** Penalties charged on it so far (the receivable grows by them). */
  penalties: Generated<string>;
  /** What allocations settled, per component. */
  paidPenalty: Generated<string>;
  paidInterest: Generated<string>;
  paidPrincipal: Generated<string>;
  paidFees: Generated<string>;
  paidVat: Generated<string>;
  issuedAt: Date | null;
  cancelReason: string | null;
  /** The last day the penalty run brought penalties and dunning levels up to. */
  overdueThrough: string | null;
  /** The totals of the credit notes that corrected it (what they settled is in the paid columns). */
  credited: Generated<string>;
}

export interface InvoiceLinesTable {
  id: string;
  invoiceId: string;
  position: number;
  kind: LineKind;
  description: string;
  amount: string;
}

/** The last invoice number per legal entity and year: numbers without gaps. */
export interface InvoiceNumbersTable {
  legalEntity: string;
  year: number;
  last: number;
}

export interface PaymentsTable extends BusinessColumns {
  legalEntity: string;
  contractId: string | null;
  partyId: string | null;
  status: 'unmatched' | 'matched';
  valueDate: string;
  reference: string;
  currency: string;
  amount: string;
  /** What is not allocated to an invoice yet: the client's credit once matched. */
  unallocated: string;
  /** `credit-note`: not money received but the credit a credit note gave the client. */
  source: 'manual' | 'import' | 'credit-note';
  /** The bank's id of the transaction; a second import of it adds nothing. */
  bankReference: string | null;
  payerName: string | null;
  payerAccount: string | null;
  importId: string | null;
  importLine: number | null;
  matchDate: string | null;
  /** Why a payment stayed unmatched, for the person who matches it by hand. */
  matchNote: string | null;
  /** Source `credit-note`: the credit note whose credit this is (not money received). */
  creditNoteId: string | null;
}

export interface AllocationsTable {
  id: string;
  paymentId: string;
  invoiceId: string;
  contractId: string;
  legalEntity: string;
  valueDate: string;
  currency: string;
  penalty: string;
  interest: string;
  principal: string;
  fees: string;
  vat: string;
  total: string;
  createdAt: Generated<Date>;
  createdBy: string;
}

export interface PenaltiesTable {
  id: string;
  invoiceId: string;
  contractId: string;
  chargeDate: string;
  daysOverdue: number;
  /** The overdue principal the day's penalty was computed on. */
  base: string;
  rate: string;
  amount: string;
  createdAt: Generated<Date>;
}

export interface DunningNoticesTable {
  id: string;
  invoiceId: string;
  level: number;
  reachedOn: string;
  createdAt: Generated<Date>;
}

/** A credit note: corrects an issued invoice in full or by line; its credit is a payment of source credit-note. */
export interface CreditNotesTable extends BusinessColumns {
  number: string;
  legalEntity: string;
  invoiceId: string;
  contractId: string;
  partyId: string;
  currency: string;
  issueDate: string;
  reason: string;
  principal: string;
  interest: string;
  fees: string;
  vat: string;
  total: string;
  /** What settled the corrected invoice. */
  appliedToInvoice: string;
  /** What became the client's credit (the invoice had been paid). */
  toCredit: string;
  paymentId: string;
}

export interface CreditNoteLinesTable {
  id: string;
  creditNoteId: string;
  position: number;
  /** The position of the invoice line it credits. */
  invoiceLine: number;
  kind: LineKind;
  description: string;
  amount: string;
}

/** Settings kept as data, each a JSON document with a version (If-Match). */
export interface SettingsTable {
  key: string;
  value: unknown;
  version: number;
  updatedAt: Generated<Date>;
  updatedBy: string;
}

export interface ImportsTable {
  id: string;
  format: BankFileFormat;
  fileName: string | null;
  fileHash: string;
  legalEntity: string;
  status: 'running' | 'completed';
  linesTotal: number;
  linesDone: number;
  matched: number;
  unmatched: number;
  refused: number;
  skipped: number;
  createdAt: Generated<Date>;
  createdBy: string;
  finishedAt: Date | null;
}

export interface ImportLinesTable {
  importId: string;
  /** Position among the file's payment lines, from 1. */
  entry: number;
  /** The line in the file (CSV: the physical line, header = 1; camt.053: the line of the entry's tag). */
  line: number;
  status: string;
  reason: string | null;
  /** The line as read: value date, amount, currency, reference, bank reference, payer. */
  payment: unknown;
  paymentId: string | null;
}

/** The tables of billing's own schema. */
export interface BillingDatabase {
  contracts: ContractsTable;
  invoices: InvoicesTable;
  invoiceLines: InvoiceLinesTable;
  invoiceNumbers: InvoiceNumbersTable;
  payments: PaymentsTable;
  allocations: AllocationsTable;
  penalties: PenaltiesTable;
  dunningNotices: DunningNoticesTable;
  settings: SettingsTable;
  imports: ImportsTable;
  importLines: ImportLinesTable;
  creditNotes: CreditNotesTable;
  creditNoteLines: CreditNoteLinesTable;
  creditNoteNumbers: InvoiceNumbersTable;
}
