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

/** The party's id in a system outside Lessor (a CRM: `crm:<connectorId>`); kept in the party row (jsonb). */
export interface PartyExternalRef {
  system: string;
  id: string;
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
  externalRefs: ColumnType<PartyExternalRef[], string | undefined, string>;
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

/**
 * The external references of live parties, one row each: what keeps a system's id on one live party only
 * (its primary key), written with the party in the same transaction; a deleted party's rows go, a restore
 * brings them back. The party row's `externalRefs` is what the API shows.
 */
export interface PartyExternalRefsTable {
  system: string;
  externalId: string;
  partyId: string;
}

/** The tables of parties' own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface PartiesDatabase {
  parties: PartiesTable;
  kycHistory: KycHistoryTable;
  partyExternalRefs: PartyExternalRefsTable;
}
