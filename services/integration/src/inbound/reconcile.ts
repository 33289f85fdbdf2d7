import { LESSOR_FIELDS, type CrmSnapshot, type LessorField } from './crm-account.ts';

/** A party's external reference (parties' `externalRefs`). */
export interface ExternalRef {
  system: string;
  id: string;
}

/** A party as parties answers it: what the sync compares and changes. */
export interface PartyView {
  id: string;
  version: number;
  kind: 'company' | 'person';
  name: string;
  firstName: string | null;
  lastName: string | null;
  legalForm: string | null;
  country: string;
  taxId: string | null;
  registrationNumber: string | null;
  email: string | null;
  phone: string | null;
  addresses: {
    type: string;
    line1: string;
    line2?: string;
    city: string;
    postalCode: string;
    country: string;
  }[];
  contacts: { name: string; role?: string; email?: string; phone?: string }[];
  externalRefs: ExternalRef[];
}

/** The body of parties' `POST /v1/parties` for a CRM record never seen in Lessor. */
export function newParty(snapshot: CrmSnapshot, ref: ExternalRef): Record<string, unknown> {
  const body: Record<string, unknown> = {
    kind: snapshot.kind,
    name: snapshot.name,
    country: snapshot.country,
    externalRefs: [ref],
  };
  const optional = {
    firstName: snapshot.firstName,
    lastName: snapshot.lastName,
    legalForm: snapshot.legalForm,
    taxId: snapshot.taxId,
    registrationNumber: snapshot.registrationNumber,
    email: snapshot.email,
    phone: snapshot.phone,
  };
  for (const [field, value] of Object.entries(optional)) if (value !== null) body[field] = value;
  if (snapshot.addresses.length > 0) body.addresses = snapshot.addresses;
  if (snapshot.contacts.length > 0) body.contacts = snapshot.contacts;
  return body;
}

/** A field Lessor keeps whose CRM value changed to one Lessor does not hold. */
export interface FieldConflict {
  field: LessorField;
  lessorValue: string | null;
  crmValue: string | null;
}

/** What the sync does to a party it found: the PATCH body (empty: nothing) and the conflicts raised. */
export interface PartyPlan {
  changes: Record<string, unknown>;
  conflicts: FieldConflict[];
}

/**
 * The rule between Lessor and the CRM for a party both know. Only what changed in the CRM since the last sync
 * (`last`; null when the record was never linked: all of it) is considered, and only a value the CRM gives:
 * - contact data (e-mail, phone, addresses, contact people) — the CRM wins: the party takes the CRM's value;
 * - KYC and what a contract depends on (name, legal form, tax id, country, registration number) — Lessor
 *   wins: a different value is a conflict, recorded and shown, the party unchanged.
 * The party also gets the CRM's reference when it lacks it (a duplicate matched by tax id).
 */
export function planPartyUpdate(
  party: PartyView,
  crm: CrmSnapshot,
  last: CrmSnapshot | null,
  ref: ExternalRef,
): PartyPlan {
  const changedInCrm = <K extends keyof CrmSnapshot>(field: K) =>
    last === null || !sameValue(field, last[field], crm[field]);

  const conflicts: FieldConflict[] = [];
  for (const field of LESSOR_FIELDS) {
    const crmValue = crm[field];
    if (crmValue === null || !changedInCrm(field)) continue;
    if (!sameValue(field, party[field], crmValue, party.country)) {
      conflicts.push({ field, lessorValue: party[field], crmValue });
    }
  }

  const changes: Record<string, unknown> = {};
  if (crm.email !== null && changedInCrm('email') && crm.email !== party.email) changes.email = crm.email;
  if (crm.phone !== null && changedInCrm('phone') && compactPhone(crm.phone) !== party.phone) {
    changes.phone = crm.phone;
  }
  if (crm.addresses.length > 0 && changedInCrm('addresses')) {
    // The CRM's addresses are the registered ones; a billing or delivery address set in Lessor stays.
    const kept = party.addresses.filter((address) => address.type !== 'registered');
    const addresses = [...crm.addresses, ...kept].slice(0, 20);
    if (!sameJson(addresses, party.addresses)) changes.addresses = addresses;
  }
  if (crm.contacts.length > 0 && changedInCrm('contacts')) {
    const contacts = crm.contacts.map((contact) =>
      contact.phone ? { ...contact, phone: compactPhone(contact.phone) } : contact,
    );
    if (!sameJson(contacts, party.contacts)) changes.contacts = crm.contacts;
  }
  if (!party.externalRefs.some((held) => held.system === ref.system && held.id === ref.id)) {
    changes.externalRefs = [...party.externalRefs, ref];
  }
  return { changes, conflicts };
}

/** Two values of a field as the same business value: tax ids compacted (and without the VAT prefix), phones compacted. */
export function sameValue(field: string, a: unknown, b: unknown, country?: string): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a == b;
  if (field === 'taxId') return sameTaxId(String(a), String(b), country);
  if (field === 'country') return String(a).toUpperCase() === String(b).toUpperCase();
  if (field === 'phone') return compactPhone(String(a)) === compactPhone(String(b));
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return sameJson(a, b);
}

function sameTaxId(a: string, b: string, country?: string): boolean {
  const compact = (value: string) => value.toUpperCase().replace(/[\s.\-/]/g, '');
  const [x, y] = [compact(a), compact(b)];
  if (x === y) return true;
  // parties adds the VAT prefix a CRM often leaves out (DE, EL for Greece, CHE for Switzerland).
  const prefixes = [country, 'EL', 'CHE'].filter((prefix): prefix is string => Boolean(prefix));
  return prefixes.some((prefix) => `${prefix}${x}` === y || `${prefix}${y}` === x);
}

function compactPhone(phone: string): string {
  return phone.replace(/[\s-]+/g, '');
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
