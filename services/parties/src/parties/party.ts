import type { FieldError } from '@lessor/service-kit';
import type { KycStatus, PartyAddress, PartyContact, PartyExternalRef, PartyKind } from '../database.ts';
import { isCountryCode } from '@lessor/reference-data';
import { checkTaxId, compactTaxId, normaliseTaxId } from './tax-id.ts';

/**
 * The KYC decisions a reviewer may make from each status. A rejected party must be reviewed again
 * (pending) before it can be verified; an expired verification can be renewed directly.
 */
export const KYC_TRANSITIONS: Readonly<Record<KycStatus, readonly KycStatus[]>> = {
  pending: ['verified', 'rejected'],
  verified: ['expired', 'rejected', 'pending'],
  expired: ['pending', 'verified', 'rejected'],
  rejected: ['pending'],
};

/** True when a party whose KYC status is `from` may be given `to` (never the same status again). */
export function canChangeKyc(from: KycStatus, to: KycStatus): boolean {
  return KYC_TRANSITIONS[from].includes(to);
}

/** The fields a client sets on a party (all on create, some on update); `null` clears an optional one. */
export interface PartyFields {
  name?: string;
  firstName?: string | null;
  lastName?: string | null;
  legalForm?: string | null;
  country?: string;
  taxId?: string | null;
  registrationNumber?: string | null;
  email?: string | null;
  phone?: string | null;
  addresses?: PartyAddress[];
  contacts?: PartyContact[];
  externalRefs?: PartyExternalRef[];
}

export type PreparedParty = { ok: true; fields: PartyFields } | { ok: false; errors: FieldError[] };

/** What the party holds already, for an update: its rules are checked against the result. */
export interface StoredParty {
  country: string;
  taxId: string | null;
}

/**
 * Normalises and checks the fields a client sent for a party of `kind`: the country is ISO 3166-1, the tax
 * id fits the country (format and checksum of EU, GB, CH and NO VAT numbers), legal form only for companies,
 * first and last name only for people, an external reference once. On an update (`stored` given) only the sent fields are checked, and
 * the stored tax id again when the country changes. Returns the fields as stored, or every field's error.
 */
export function prepareParty(kind: PartyKind, sent: PartyFields, stored?: StoredParty): PreparedParty {
  const errors: FieldError[] = [];
  const fields: PartyFields = { ...sent };
  const refuse = (field: string, message: string) => errors.push({ field: `/body/${field}`, message });

  for (const key of ['name', 'firstName', 'lastName', 'legalForm', 'registrationNumber', 'email'] as const) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = value.trim();
  }
  if (fields.phone) fields.phone = compactPhone(fields.phone);

  const country = fields.country ?? stored?.country;
  const countryKnown = country !== undefined && isCountryCode(country);
  if (fields.country !== undefined && !countryKnown) {
    refuse('country', 'is not an ISO 3166-1 alpha-2 country code');
  }

  if (countryKnown && fields.taxId) {
    const checked = checkTaxId(country, fields.taxId);
    if (checked.ok) fields.taxId = checked.taxId;
    else refuse('taxId', checked.message);
  } else if (countryKnown && fields.taxId === undefined && fields.country !== undefined && stored?.taxId) {
    // A new country makes the stored tax id a claim about that country: it must hold there too.
    const checked = checkTaxId(country, stored.taxId);
    if (!checked.ok) {
      refuse('taxId', `${checked.message}; send a tax id of ${country} (or null) with the new country`);
    } else if (checked.taxId !== stored.taxId) {
      fields.taxId = checked.taxId;
    }
  }

  if (kind === 'person' && fields.legalForm) refuse('legalForm', 'applies to companies only');
  if (kind === 'company') {
    if (fields.firstName) refuse('firstName', 'applies to people only');
    if (fields.lastName) refuse('lastName', 'applies to people only');
  }

  fields.addresses?.forEach((address, index) => {
    if (!isCountryCode(address.country)) {
      refuse(`addresses/${index}/country`, 'is not an ISO 3166-1 alpha-2 country code');
    }
  });
  if (fields.contacts) {
    fields.contacts = fields.contacts.map((contact) =>
      contact.phone ? { ...contact, phone: compactPhone(contact.phone) } : contact,
    );
  }

  if (fields.externalRefs) {
    fields.externalRefs = fields.externalRefs.map((ref) => ({ system: ref.system, id: ref.id.trim() }));
    const seen = new Set<string>();
    fields.externalRefs.forEach((ref, index) => {
      const key = externalRefKey(ref);
      if (seen.has(key)) refuse(`externalRefs/${index}`, 'is given twice');
      seen.add(key);
    });
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, fields };
}

/** An external reference as the list filter writes it: `<system>/<id>` (a system has no `/`). */
export function externalRefKey(ref: PartyExternalRef): string {
  return `${ref.system}/${ref.id}`;
}

/** The reference of a `<system>/<id>` filter (split at the first `/`). */
export function parseExternalRef(key: string): PartyExternalRef {
  const slash = key.indexOf('/');
  return { system: key.slice(0, slash), id: key.slice(slash + 1).trim() };
}

/** A tax id as a search compares it: normalised for the country when one is given, else only compacted. */
export function searchableTaxId(raw: string, country?: string): string {
  return country && isCountryCode(country) ? normaliseTaxId(country, raw) : compactTaxId(raw);
}

/** E.164 as stored: `+` and digits only (the schema lets people type spaces and dashes between them). */
function compactPhone(phone: string): string {
  return phone.replace(/[\s-]+/g, '');
}
