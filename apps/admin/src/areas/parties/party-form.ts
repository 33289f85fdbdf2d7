import type {
  CreatePartyBody,
  Party,
  PartyAddress,
  PartyContact,
  PartyKind,
  UpdatePartyBody,
} from './types.ts';

/** What the party form edits: every field a string (an empty one is "not given"). */
export interface PartyFormValues {
  kind: PartyKind;
  name: string;
  firstName: string;
  lastName: string;
  legalForm: string;
  registrationNumber: string;
  country: string;
  taxId: string;
  email: string;
  phone: string;
  addresses: AddressValues[];
  contacts: ContactValues[];
}
export interface AddressValues {
  type: PartyAddress['type'];
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}
export interface ContactValues {
  name: string;
  role: string;
  email: string;
  phone: string;
}

export function emptyPartyValues(kind: PartyKind = 'company'): PartyFormValues {
  return {
    kind,
    name: '',
    firstName: '',
    lastName: '',
    legalForm: '',
    registrationNumber: '',
    country: '',
    taxId: '',
    email: '',
    phone: '',
    addresses: [],
    contacts: [],
  };
}

export function emptyAddress(country = ''): AddressValues {
  return { type: 'registered', line1: '', line2: '', city: '', postalCode: '', country };
}

export function emptyContact(): ContactValues {
  return { name: '', role: '', email: '', phone: '' };
}

/** The form's values for a stored party (edit). */
export function partyValues(party: Party): PartyFormValues {
  return {
    kind: party.kind,
    name: party.name,
    firstName: party.firstName ?? '',
    lastName: party.lastName ?? '',
    legalForm: party.legalForm ?? '',
    registrationNumber: party.registrationNumber ?? '',
    country: party.country,
    taxId: party.taxId ?? '',
    email: party.email ?? '',
    phone: party.phone ?? '',
    addresses: party.addresses.map((address) => ({ ...address, line2: address.line2 ?? '' })),
    contacts: party.contacts.map((contact) => ({
      name: contact.name,
      role: contact.role ?? '',
      email: contact.email ?? '',
      phone: contact.phone ?? '',
    })),
  };
}

/** A person's full name as the form proposes it from the first and last name. */
export function composedName(firstName: string, lastName: string): string {
  return [firstName.trim(), lastName.trim()].filter((part) => part !== '').join(' ');
}

// The same rules the API's schema states (services/parties/src/parties/party.schemas.ts); checked here only so
// the user sees an obvious slip at once. Tax ids and country rules are left to the API.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** E.164 as the API's pattern `^\+[1-9](?:[ -]?[0-9]){6,14}$` says: 7-15 digits, single spaces or dashes between. */
function isPhone(value: string): boolean {
  const digits = value.replace(/[^0-9]/g, '').length;
  return /^\+[1-9][0-9 -]*$/.test(value) && !/[ -]{2}|[ -]$/.test(value) && digits >= 7 && digits <= 15;
}

/** The message keys of the client-side checks (texts `validation.*`). */
export type ValidationKey = 'required' | 'email' | 'phone';

/** The obvious slips in the form: required fields and the format of e-mail and phone. Keys are form paths. */
export function validateParty(values: PartyFormValues): Record<string, ValidationKey> {
  const errors: Record<string, ValidationKey> = {};
  const required = (path: string, value: string) => {
    if (value.trim() === '') errors[path] = 'required';
  };
  const format = (path: string, value: string, valid: (value: string) => boolean, key: ValidationKey) => {
    if (value.trim() !== '' && !valid(value.trim())) errors[path] = key;
  };
  const isEmail = (value: string) => EMAIL.test(value);
  required('name', values.name);
  required('country', values.country);
  format('email', values.email, isEmail, 'email');
  format('phone', values.phone, isPhone, 'phone');
  values.addresses.forEach((address, index) => {
    required(`addresses.${index}.line1`, address.line1);
    required(`addresses.${index}.city`, address.city);
    required(`addresses.${index}.postalCode`, address.postalCode);
    required(`addresses.${index}.country`, address.country);
  });
  values.contacts.forEach((contact, index) => {
    required(`contacts.${index}.name`, contact.name);
    format(`contacts.${index}.email`, contact.email, isEmail, 'email');
    format(`contacts.${index}.phone`, contact.phone, isPhone, 'phone');
  });
  return errors;
}

const text = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/**
 * Every editable field as the API takes it: a cleared optional field is `null`. Never the external references:
 * the systems that set them own them (a PATCH replaces the list whole, so sending one would drop a CRM's link).
 */
function fullBody(values: PartyFormValues): Required<Omit<UpdatePartyBody, 'externalRefs'>> {
  const company = values.kind === 'company';
  return {
    name: values.name.trim(),
    // A field that does not apply to the kind is never sent with a value (the API refuses it).
    firstName: company ? null : text(values.firstName),
    lastName: company ? null : text(values.lastName),
    legalForm: company ? text(values.legalForm) : null,
    registrationNumber: company ? text(values.registrationNumber) : null,
    country: values.country,
    taxId: text(values.taxId),
    email: text(values.email),
    phone: text(values.phone),
    addresses: values.addresses.map((address) => ({
      type: address.type,
      line1: address.line1.trim(),
      ...(text(address.line2) ? { line2: address.line2.trim() } : {}),
      city: address.city.trim(),
      postalCode: address.postalCode.trim(),
      country: address.country,
    })),
    contacts: values.contacts.map((contact) => {
      const result: PartyContact = { name: contact.name.trim() };
      if (text(contact.role)) result.role = contact.role.trim();
      if (text(contact.email)) result.email = contact.email.trim();
      if (text(contact.phone)) result.phone = contact.phone.trim();
      return result;
    }),
  };
}

/** The body of POST /v1/parties: the given fields only. */
export function createPartyBody(values: PartyFormValues): CreatePartyBody {
  const body: Record<string, unknown> = { kind: values.kind };
  for (const [key, value] of Object.entries(fullBody(values))) {
    if (value === null || (Array.isArray(value) && value.length === 0)) continue;
    body[key] = value;
  }
  return body as CreatePartyBody;
}

/**
 * The body of PATCH /v1/parties/{id}: only the fields that changed, so an unrelated edit (an e-mail address)
 * does not send the stored tax id to be checked again. Empty when nothing changed.
 */
export function updatePartyBody(values: PartyFormValues, party: Party): UpdatePartyBody {
  const before = fullBody(partyValues(party));
  const after = fullBody(values);
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof typeof after)[]) {
    if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) body[key] = after[key];
  }
  return body as UpdatePartyBody;
}
