import type { Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';
import type { ContractStatus } from './contracts/contract.ts';

/** A lease product: the frame a calculation must fit. Amounts and rates are numeric, read as strings. */
export interface ProductsTable extends BusinessColumns {
  code: string;
  name: string;
  description: Generated<string>;
  currencies: string[];
  scheduleTypes: string[];
  minTermMonths: number;
  maxTermMonths: number;
  minRate: string;
  maxRate: string;
  maxAdvancePercent: string;
  maxResidualPercent: string;
  /** One-off fees: `[{ name, percent }]` of the asset price or `[{ name, amount }]` in the calculation's currency. */
  fees: unknown;
  penaltyRate: string;
  active: Generated<boolean>;
}

export interface CalculationsTable extends BusinessColumns {
  productId: string | null;
  currency: string;
  scheduleType: string;
  termMonths: number;
  annualRate: string;
  financedAmount: string;
  effectiveRate: string;
  /** The request as given, so a contract made from it repeats exactly these terms. */
  terms: unknown;
  /** The whole lease-math schedule (installments, totals). */
  schedule: unknown;
}

export interface ContractsTable extends BusinessColumns {
  number: string;
  legalEntity: string;
  status: ContractStatus;
  partyId: string;
  assetId: string;
  productId: string;
  calculationId: string;
  currency: string;
  assetPrice: string;
  advance: string;
  financedAmount: string;
  residualValue: string;
  termMonths: number;
  annualRate: string;
  vatRate: string;
  penaltyRate: string;
  scheduleType: string;
  startDate: string;
  scheduleVersion: number;
  paymentReference: string;
  /** The names at the contract's last write (its events carry them); reads show `party_names`/`asset_names`. */
  partyName: string;
  assetName: string;
  approvedBy: string | null;
  approvedAt: Date | null;
  /**
   * Everyone who changed the contract while it was a draft; none of them may approve it. Kept by the
   * database (trigger `leasing_contract_guard`, migration 0002) from `updatedBy`: what a write sets is ignored.
   */
  editors: Generated<string[]>;
  /** The name in the token of who made / approved the contract, at that time; null before migration 0002. */
  createdByName: string | null;
  approvedByName: string | null;
  statusReason: string | null;
  statusChangedAt: Date | null;
}

/** Each version of a contract's schedule; a restructuring adds one, nothing is changed. */
export interface ContractSchedulesTable {
  id: string;
  contractId: string;
  version: number;
  effectiveFrom: string;
  schedule: unknown;
  createdAt: Generated<Date>;
  createdBy: string;
}

/** The status history of contracts. */
export interface ContractTransitionsTable {
  id: string;
  contractId: string;
  fromStatus: ContractStatus;
  toStatus: ContractStatus;
  businessDate: string;
  reason: string | null;
  actor: string;
  at: Generated<Date>;
}

export interface TerminationQuotesTable {
  id: string;
  contractId: string;
  scheduleVersion: number;
  terminationDate: string;
  validUntil: string;
  quote: unknown;
  executedAt: Date | null;
  createdAt: Generated<Date>;
  createdBy: string;
}

/** The last contract number per legal entity and year: numbers without gaps. */
export interface ContractNumbersTable {
  legalEntity: string;
  year: number;
  last: number;
}

/**
 * leasing's copy of a party's or an asset's name (migration 0003): kept by the owner's events, read by every
 * contract read instead of calling the owner. `asOf`: the owner's change it last applied, or leasing's fresh check.
 */
export interface ReferenceNamesTable {
  id: string;
  name: string;
  asOf: Date;
}

/** The tables of leasing's own schema. */
export interface LeasingDatabase {
  products: ProductsTable;
  calculations: CalculationsTable;
  contracts: ContractsTable;
  contractSchedules: ContractSchedulesTable;
  contractTransitions: ContractTransitionsTable;
  terminationQuotes: TerminationQuotesTable;
  contractNumbers: ContractNumbersTable;
  partyNames: ReferenceNamesTable;
  assetNames: ReferenceNamesTable;
}
