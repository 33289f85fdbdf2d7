import type { Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';
import type { AssetStatus, AssetType } from './assets/asset.ts';

export interface SuppliersTable extends BusinessColumns {
  name: string;
  country: string;
  taxId: string | null;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

export interface AssetsTable extends BusinessColumns {
  type: AssetType;
  make: string;
  model: string;
  vin: string | null;
  serialNumber: string | null;
  year: number;
  /** numeric: comes back as a decimal string, never a JavaScript number. */
  priceAmount: string;
  priceCurrency: string;
  supplierId: string | null;
  locationText: string | null;
  status: AssetStatus;
  statusChangedAt: Generated<Date>;
  /** The contract holding the asset: set by contract events, kept while returned or sold, cleared on release. */
  contractId: string | null;
}

export interface AssetStatusHistoryTable {
  id: string;
  assetId: string;
  /** Null on the first row: the asset's registration. */
  fromStatus: AssetStatus | null;
  toStatus: AssetStatus;
  reason: string;
  contractId: string | null;
  /** The contract event that caused the change; null for a change made by hand. */
  eventId: string | null;
  actor: string;
  at: Generated<Date>;
}

export interface InsurancePoliciesTable extends BusinessColumns {
  assetId: string;
  insurer: string;
  policyNumber: string;
  coverage: string;
  insuredAmount: string;
  insuredCurrency: string;
  premiumAmount: string;
  premiumCurrency: string;
  /** Business dates, `YYYY-MM-DD` both ways. */
  validFrom: string;
  validTo: string;
}

/** The tables of the assets schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface AssetsDatabase {
  suppliers: SuppliersTable;
  assets: AssetsTable;
  assetStatusHistory: AssetStatusHistoryTable;
  insurancePolicies: InsurancePoliciesTable;
}
