import type { Generated } from 'kysely';
import type { AccountSnapshot, financeEvents, EventDataOf } from '@lessor/event-catalog';
import type { BusinessColumns, Static } from '@lessor/service-kit';

/** A company that keeps books: its chart, periods and business date are its own. */
export interface LegalEntitiesTable {
  code: string;
  name: string;
  functionalCurrency: string;
  /** The date the books stand at; null: it follows the system date (UTC). */
  businessDate: string | null;
  createdAt: Generated<Date>;
  createdBy: string;
  updatedAt: Generated<Date>;
  updatedBy: string;
  version: Generated<number>;
}

/** One account of a legal entity's chart, in one currency (the same code may exist in several). */
export interface AccountsTable extends BusinessColumns {
  legalEntity: string;
  code: string;
  currency: string;
  name: string;
  /** asset, liability, equity, income or expense (the catalogue's account types). */
  type: Static<typeof AccountSnapshot>['type'];
  disabled: Generated<boolean>;
}

/** A journal entry: immutable once committed (the database refuses UPDATE, DELETE and TRUNCATE). */
export interface JournalEntriesTable {
  id: string;
  /** Posting order within the whole ledger; breaks ties between entries of one date. */
  seq: Generated<string>;
  legalEntity: string;
  entryDate: string;
  /** What made it: a posting rule (`event`), a person (`manual`), a reversal, or income recognition. */
  kind: EventDataOf<typeof financeEvents.entryPosted>['kind'];
  description: string;
  sourceEventId: string | null;
  sourceEventType: string | null;
  /** Idempotency of postings that come from no event (income recognition: `income:<contract>:<n>`). */
  sourceKey: string | null;
  postingRuleId: string | null;
  reversesEntryId: string | null;
  createdAt: Generated<Date>;
  createdBy: string;
}

/** A line of an entry; `currency` and `entry_date` repeat the account's and the entry's for the reports. */
export interface JournalLinesTable {
  entryId: string;
  lineNo: number;
  accountId: string;
  currency: string;
  entryDate: string;
  side: 'debit' | 'credit';
  amount: string;
  counterpartyId: string | null;
  contractId: string | null;
}

/** A month of a legal entity's books that was closed (and maybe reopened); a month without a row is open. */
export interface AccountingPeriodsTable {
  legalEntity: string;
  period: string;
  status: 'open' | 'closed';
  changedAt: Generated<Date>;
  changedBy: string;
  version: Generated<number>;
}

export interface PeriodChangesTable {
  id: string;
  legalEntity: string;
  period: string;
  action: 'closed' | 'reopened';
  reason: string | null;
  actor: string;
  at: Generated<Date>;
}

export interface FxRatesTable {
  rateDate: string;
  fromCurrency: string;
  toCurrency: string;
  /** Units of `to_currency` for one unit of `from_currency`. */
  rate: string;
  updatedAt: Generated<Date>;
  updatedBy: string;
}

export interface PostingRulesTable extends BusinessColumns {
  name: string;
  eventType: string;
  legalEntity: string | null;
  description: Generated<string>;
  /** `[{ path, op, value? }]`, all must hold. */
  conditions: unknown;
  datePath: string;
  entryDescription: string;
  /** `[{ accountCode, side, amount }]`. */
  lines: unknown;
}

/** An event finance could not post, with the reason; kept until someone retries or discards it. */
export interface ReviewItemsTable {
  id: string;
  eventId: string;
  eventType: string;
  legalEntity: string | null;
  envelope: unknown;
  /** Values finance derived from its own state when the event arrived (kept: the state moves on). */
  derived: unknown;
  reasonCode: string;
  reason: string;
  status: 'open' | 'resolved' | 'discarded';
  attempts: Generated<number>;
  entryId: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  note: string | null;
}

/** Finance's copy of an activated lease: what income recognition and termination need. */
export interface LeaseContractsTable {
  contractId: string;
  legalEntity: string;
  partyId: string;
  currency: string;
  scheduleVersion: number;
  terminatedOn: string | null;
  updatedAt: Generated<Date>;
}

export interface LeaseInstallmentsTable {
  contractId: string;
  n: number;
  dueDate: string;
  principal: string;
  interest: string;
  /** True when a restructuring dropped it (a shorter new schedule). */
  voided: Generated<boolean>;
  /** The entry that recognised its interest as income, once done. */
  recognisedEntryId: string | null;
}

/** The tables of finance's own schema. */
export interface FinanceDatabase {
  legalEntities: LegalEntitiesTable;
  accounts: AccountsTable;
  journalEntries: JournalEntriesTable;
  journalLines: JournalLinesTable;
  accountingPeriods: AccountingPeriodsTable;
  periodChanges: PeriodChangesTable;
  fxRates: FxRatesTable;
  postingRules: PostingRulesTable;
  reviewItems: ReviewItemsTable;
  leaseContracts: LeaseContractsTable;
  leaseInstallments: LeaseInstallmentsTable;
}
