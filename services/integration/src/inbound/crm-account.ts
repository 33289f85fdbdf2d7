import { parseODataDate } from '../odata/index.ts';
import type { ConnectorMapping } from '../connectors/mapping.ts';

type InboundMapping = NonNullable<ConnectorMapping['inbound']>;

/** A postal address as parties keeps it. */
export interface CrmAddress {
  type: 'registered';
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A contact person as parties keeps it. */
export interface CrmContact {
  name: string;
  email?: string;
  phone?: string;
}

/**
 * What a CRM record says about a party, in parties' terms. The KYC fields (`name`, `legalForm`, `taxId`,
 * `country`, `registrationNumber`) are Lessor's once a party exists; the contact fields are the CRM's.
 */
export interface CrmSnapshot {
  kind: 'company' | 'person';
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  legalForm: string | null;
  taxId: string | null;
  country: string | null;
  registrationNumber: string | null;
  email: string | null;
  phone: string | null;
  addresses: CrmAddress[];
  contacts: CrmContact[];
}

export interface CrmAccount {
  remoteId: string;
  modifiedAt: Date;
  snapshot: CrmSnapshot;
}

/** The fields Lessor keeps (KYC, and what a contract depends on): a CRM change there is a conflict. */
export const LESSOR_FIELDS = ['name', 'legalForm', 'taxId', 'country', 'registrationNumber'] as const;
export type LessorField = (typeof LESSOR_FIELDS)[number];

/** A value at a path through navigations (`to_Address/City`); an array (a to-many navigation) gives its first row. */
export function valueAt(record: Record<string, unknown>, path: string | undefined): unknown {
  if (path === undefined) return undefined;
  let value: unknown = record;
  for (const step of path.split('/')) {
    if (Array.isArray(value)) value = value[0];
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A text value, trimmed; null for a missing, empty or non-text one (numbers are written as text). */
function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function rowsAt(record: Record<string, unknown>, navigation: string): Record<string, unknown>[] {
  const value = valueAt(record, navigation);
  if (Array.isArray(value)) return value.filter((row): row is Record<string, unknown> => isRecord(row));
  return isRecord(value) ? [value] : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads one CRM record through the connector's mapping: its key, its modified time and what it says about a
 * party. `contacts` are the record's contact people when they come from another entity set (read per page).
 * Throws a `CrmRecordError` naming what is missing when the record cannot be read (no key, no modified time).
 */
export function readCrmAccount(
  record: Record<string, unknown>,
  mapping: InboundMapping,
  contacts: Record<string, unknown>[] = [],
): CrmAccount {
  const remoteId = text(valueAt(record, mapping.key));
  if (remoteId === null) throw new CrmRecordError(`the record has no ${mapping.key}`);
  const modified = valueAt(record, mapping.modifiedField);
  let modifiedAt: Date;
  try {
    modifiedAt = parseODataDate(modified);
  } catch {
    throw new CrmRecordError(`${mapping.modifiedField} is not a date`, remoteId);
  }

  const fields = mapping.fields;
  const kindValue = text(valueAt(record, fields.kind));
  const kind = kindValue !== null && (mapping.personValues ?? []).includes(kindValue) ? 'person' : 'company';
  const addresses = readAddresses(record, mapping);
  const addressRows = mapping.addresses?.navigation ? rowsAt(record, mapping.addresses.navigation) : [record];
  const firstAddressRow = addressRows[0] ?? {};
  const firstName = kind === 'person' ? text(valueAt(record, fields.firstName)) : null;
  const lastName = kind === 'person' ? text(valueAt(record, fields.lastName)) : null;
  const personName = [firstName, lastName].filter((part) => part !== null).join(' ');

  return {
    remoteId,
    modifiedAt,
    snapshot: {
      kind,
      name: text(valueAt(record, fields.name)) ?? (personName === '' ? null : personName),
      firstName,
      lastName,
      legalForm: kind === 'company' ? text(valueAt(record, fields.legalForm)) : null,
      taxId: readTaxId(record, mapping),
      country:
        upper(text(valueAt(record, fields.country))) ??
        addresses[0]?.country ??
        upper(text(valueAt(firstAddressRow, mapping.addresses?.country))),
      registrationNumber: text(valueAt(record, fields.registrationNumber)),
      email: text(valueAt(record, fields.email)) ?? text(valueAt(firstAddressRow, mapping.addresses?.email)),
      phone: text(valueAt(record, fields.phone)) ?? text(valueAt(firstAddressRow, mapping.addresses?.phone)),
      addresses,
      contacts: readContacts(contacts, mapping),
    },
  };
}

function upper(value: string | null): string | null {
  return value === null ? null : value.toUpperCase();
}

function readTaxId(record: Record<string, unknown>, mapping: InboundMapping): string | null {
  const own = text(valueAt(record, mapping.fields.taxId));
  if (own !== null || !mapping.taxNumbers) return own;
  const { navigation, numberField } = mapping.taxNumbers;
  for (const row of rowsAt(record, navigation)) {
    const number = text(valueAt(row, numberField));
    if (number !== null) return number;
  }
  return null;
}

/** The record's addresses: the rows of a navigation (SAP), or the record's own address fields (Dynamics). */
function readAddresses(record: Record<string, unknown>, mapping: InboundMapping): CrmAddress[] {
  const shape = mapping.addresses;
  if (!shape) return [];
  const rows = shape.navigation ? rowsAt(record, shape.navigation) : [record];
  const addresses: CrmAddress[] = [];
  for (const row of rows) {
    const street = text(valueAt(row, shape.street));
    const house = text(valueAt(row, shape.houseNumber));
    const city = text(valueAt(row, shape.city));
    const postalCode = text(valueAt(row, shape.postalCode));
    const country = upper(text(valueAt(row, shape.country)));
    // parties needs all four; an incomplete address is left out rather than refusing the whole record.
    if (street === null || city === null || postalCode === null || country === null) continue;
    const line1 = house === null ? street : `${street} ${house}`;
    addresses.push({ type: 'registered', line1, city, postalCode, country });
  }
  // parties keeps at most 20; the CRM's first ones are its main ones.
  return addresses.slice(0, 20);
}

function readContacts(rows: Record<string, unknown>[], mapping: InboundMapping): CrmContact[] {
  const shape = mapping.contacts;
  if (!shape) return [];
  const contacts: CrmContact[] = [];
  for (const row of rows) {
    const name = [text(valueAt(row, shape.firstName)), text(valueAt(row, shape.lastName))]
      .filter((part) => part !== null)
      .join(' ');
    if (name === '') continue;
    const email = text(valueAt(row, shape.email));
    const phone = text(valueAt(row, shape.phone));
    contacts.push({ name, ...(email ? { email } : {}), ...(phone ? { phone } : {}) });
  }
  return contacts.slice(0, 50);
}

/** A CRM record that cannot be read through the mapping: its run records an `error` and goes on. */
export class CrmRecordError extends Error {
  constructor(
    message: string,
    readonly remoteId: string | null = null,
  ) {
    super(message);
    this.name = 'CrmRecordError';
  }
}
