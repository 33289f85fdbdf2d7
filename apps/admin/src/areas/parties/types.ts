import type { paths } from '../../api/schema/parties.ts';

/** A party as the API answers it (generated from services/parties/openapi.json). */
export type Party = paths['/v1/parties/{id}']['get']['responses'][200]['content']['application/json'];
export type PartyKind = Party['kind'];
export type KycStatus = Party['kycStatus'];
export type PartyAddress = Party['addresses'][number];
export type PartyContact = Party['contacts'][number];
export type CreatePartyBody = paths['/v1/parties']['post']['requestBody']['content']['application/json'];
export type UpdatePartyBody =
  paths['/v1/parties/{id}']['patch']['requestBody']['content']['application/json'];
export type PartyListQuery = NonNullable<paths['/v1/parties']['get']['parameters']['query']>;
export type PartySort = NonNullable<PartyListQuery['sort']>;
export type DeletedFilter = PartyListQuery['deleted'];
export type KycHistoryEntry =
  paths['/v1/parties/{id}/kyc-history']['get']['responses'][200]['content']['application/json']['items'][number];

export const PARTY_KINDS: readonly PartyKind[] = ['company', 'person'];
export const KYC_STATUSES: readonly KycStatus[] = ['pending', 'verified', 'rejected', 'expired'];
export const ADDRESS_TYPES: readonly PartyAddress['type'][] = ['registered', 'billing', 'delivery'];

/**
 * The KYC decisions the service allows from each status (services/parties/src/parties/party.ts,
 * KYC_TRANSITIONS): the dialog offers only these; the API stays the judge and refuses any other with 409.
 */
export const KYC_NEXT: Readonly<Record<KycStatus, readonly KycStatus[]>> = {
  pending: ['verified', 'rejected'],
  verified: ['expired', 'rejected', 'pending'],
  expired: ['pending', 'verified', 'rejected'],
  rejected: ['pending'],
};

/** The entity type the audit service records a party's changes under (`publishChange({ entity: 'party' })`). */
export const PARTY_AUDIT_ENTITY = 'party';

/** A party's version as the If-Match header names it: the strong ETag the API sends, `"3"`. */
export function ifMatch(party: { version: number }): string {
  return `"${party.version}"`;
}
