import type { ColumnType, Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';

export type PartyKind = 'company' | 'person';
export type KycStatus = 'pending' | 'verified' | 'rejected' | 'expired';
export type AddressType = 'registered' | 'billing' | 'delivery';

/** One postal address of a party; kept in the party row (jsonb), edited with it. */
export interface PartyAddress {
  type: AddressType;
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A person to talk to at a party; kept in the party row (jsonb), edited with it. */
export interface PartyContact {
  name: string;
  role?: string;
  email?: string;
  phone?: string;
}

export interface PartiesTable extends BusinessColumns {
  kind: PartyKind;
  name: string;
  firstName: string | null;
  lastName: string | null;
  legalForm: string | null;
  country: string;
  taxId: string | null;
  registrationNumber: string | null;
  email: string | null;
  phone: string | null;
  // jsonb goes in as JSON text (both drivers then store the value as it is) and comes back parsed.
  addresses: ColumnType<PartyAddress[], string | undefined, string>;
  contacts: ColumnType<PartyContact[], string | undefined, string>;
  kycStatus: Generated<KycStatus>;
}

/** Append-only: one row per KYC decision (and one when the party is created). */
export interface KycHistoryTable {
  id: string;
  partyId: string;
  fromStatus: KycStatus | null;
  status: KycStatus;
  reason: string;
  actor: string;
  at: Generated<Date>;
}

/** The tables of parties' own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface PartiesDatabase {
  parties: PartiesTable;
  kycHistory: KycHistoryTable;
}
