// The peers' deterministic seed: the same index gives the same record in every run, so tests can say what they
// expect to read (`seededAccount(7).name`) without asking the peer.
import { austria, checkVAT, france, germany, netherlands, switzerland } from 'jsvat';

const legalForms = ['GmbH', 'AG', 'KG', 'SE', 'UG'] as const;
const sapLegalForms = ['01', '02', '03', '04', '05'] as const;
const countries = ['DE', 'AT', 'CH', 'FR', 'NL'] as const;
const cities = ['Berlin', 'Wien', 'Zürich', 'Paris', 'Amsterdam'] as const;
const firstNames = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hugo'] as const;
const lastNames = ['Schmidt', 'Weber', 'Fischer', 'Wagner', 'Becker', 'Hoffmann', 'Koch'] as const;

/** Seeded records' modified times: one minute apart from this instant, in index order. */
export const seedEpoch = Date.UTC(2026, 0, 1, 0, 0, 0);

function uuid(kind: number, index: number): string {
  return `00000000-0000-4000-800${kind}-${index.toString(16).padStart(12, '0')}`;
}

function pad(index: number, width: number): string {
  return String(index).padStart(width, '0');
}

/** Every how many records the seed's tax id is wrong (its check digit off), as CRM users sometimes type them. */
export const SEEDED_BAD_TAX_ID_EVERY = 20;

const vatRules = { DE: germany, AT: austria, CH: switzerland, FR: france, NL: netherlands } as const;
type SeedCountry = keyof typeof vatRules;

/** The numbers a country's VAT id may be made of from `body`, the check part varied (FR's key leads, others trail). */
function vatCandidates(country: SeedCountry, body: number): string[] {
  const digits = (width: number) => pad(body % 10 ** width, width);
  const tens = Array.from({ length: 10 }, (_, d) => String(d));
  switch (country) {
    case 'DE':
      return tens.map((d) => `DE${digits(8)}${d}`);
    case 'AT':
      return tens.map((d) => `ATU${digits(7)}${d}`);
    case 'CH':
      return tens.map((d) => `CHE${digits(8)}${d}`);
    case 'NL':
      return tens.map((d) => `NL${digits(8)}${d}B01`);
    case 'FR':
      return Array.from({ length: 100 }, (_, key) => `FR${pad(key, 2)}${digits(9)}`);
  }
}

/**
 * A VAT number of `country` that passes its checksum (jsvat, as parties checks it), made from `body`; with `wrong`,
 * one of the same shape that fails it. Deterministic: the first valid candidate of the first body that has one.
 */
export function seededVatNumber(country: string, body: number, wrong = false): string {
  const rules = vatRules[country as SeedCountry];
  if (!rules) throw new Error(`no VAT rules for ${country} in the seed`);
  for (let next = body; ; next += 1) {
    const candidates = vatCandidates(country as SeedCountry, next);
    const valid = candidates.find((vat) => checkVAT(vat, [rules]).isValid);
    if (!valid) continue;
    return wrong ? candidates.find((vat) => !checkVAT(vat, [rules]).isValid)! : valid;
  }
}

export function seededModifiedAt(index: number): string {
  return new Date(seedEpoch + index * 60_000).toISOString();
}

export interface SeededAccount {
  accountid: string;
  name: string;
  accountnumber: string;
  new_legalform: string;
  new_taxid: string;
  new_registrationnumber: string;
  emailaddress1: string;
  telephone1: string;
  address1_line1: string;
  address1_city: string;
  address1_postalcode: string;
  address1_country: string;
  statecode: number;
  modifiedon: string;
}

/** The Dynamics peer's account number `index` (0-based). */
export function seededAccount(index: number): SeededAccount {
  const n = pad(index + 1, 5);
  const form = legalForms[index % legalForms.length]!;
  return {
    accountid: uuid(1, index + 1),
    name: `Account ${n} ${form}`,
    accountnumber: `ACC-${n}`,
    new_legalform: form,
    new_taxid: seededVatNumber(
      countries[index % countries.length]!,
      10_000_000 + index * 7,
      index % SEEDED_BAD_TAX_ID_EVERY === SEEDED_BAD_TAX_ID_EVERY - 1,
    ),
    new_registrationnumber: `HRB ${pad(index + 1, 6)}`,
    emailaddress1: `info@account-${n}.example`,
    telephone1: `+49 30 ${pad(index + 1, 7)}`,
    address1_line1: `Hauptstraße ${(index % 200) + 1}`,
    address1_city: cities[index % cities.length]!,
    address1_postalcode: pad(10_000 + (index % 89_999), 5),
    address1_country: countries[index % countries.length]!,
    statecode: 0,
    modifiedon: seededModifiedAt(index),
  };
}

export interface SeededContact {
  contactid: string;
  firstname: string;
  lastname: string;
  emailaddress1: string;
  telephone1: string;
  parentcustomerid: string;
  modifiedon: string;
}

/** The contact person of account `index`. */
export function seededContact(index: number): SeededContact {
  const first = firstNames[index % firstNames.length]!;
  const last = lastNames[index % lastNames.length]!;
  return {
    contactid: uuid(2, index + 1),
    firstname: first,
    lastname: last,
    emailaddress1: `${first.toLowerCase()}.${last.toLowerCase()}@account-${pad(index + 1, 5)}.example`,
    telephone1: `+49 170 ${pad(index + 1, 7)}`,
    parentcustomerid: seededAccount(index).accountid,
    modifiedon: seededModifiedAt(index),
  };
}

export interface SeededOpportunity {
  opportunityid: string;
  name: string;
  customerid: string;
  statuscode: number;
  modifiedon: string;
}

/** The open opportunity of account `index`. */
export function seededOpportunity(index: number): SeededOpportunity {
  return {
    opportunityid: uuid(3, index + 1),
    name: `Lease for ${seededAccount(index).name}`,
    customerid: seededAccount(index).accountid,
    statuscode: 1,
    modifiedon: seededModifiedAt(index),
  };
}

export interface SeededBusinessPartner {
  BusinessPartner: string;
  BusinessPartnerCategory: '1' | '2';
  BusinessPartnerFullName: string;
  OrganizationBPName1: string | null;
  FirstName: string | null;
  LastName: string | null;
  LegalForm: string | null;
  /** A date (YYYY-MM-DD): Edm.DateTime on the v2 wire, `/Date(ms)/` at midnight UTC without an offset. */
  CreationDate: string;
  LastChangeDate: string;
  to_BusinessPartnerAddress: {
    BusinessPartner: string;
    AddressID: string;
    StreetName: string;
    HouseNumber: string;
    PostalCode: string;
    CityName: string;
    Country: string;
    EmailAddress: string;
    PhoneNumber: string;
  }[];
  to_BusinessPartnerTax: { BusinessPartner: string; BPTaxType: string; BPTaxNumber: string }[];
}

/** The SAP peer's business partner `index` (0-based): every tenth a person (category '1'), else an organisation. */
export function seededBusinessPartner(index: number): SeededBusinessPartner {
  const id = String(1_000_000 + index + 1);
  const person = index % 10 === 9;
  const first = firstNames[index % firstNames.length]!;
  const last = lastNames[index % lastNames.length]!;
  const orgName = `Partner ${pad(index + 1, 5)} ${legalForms[index % legalForms.length]!}`;
  const country = countries[index % countries.length]!;
  return {
    BusinessPartner: id,
    BusinessPartnerCategory: person ? '1' : '2',
    BusinessPartnerFullName: person ? `${first} ${last}` : orgName,
    OrganizationBPName1: person ? null : orgName,
    FirstName: person ? first : null,
    LastName: person ? last : null,
    LegalForm: person ? null : sapLegalForms[index % sapLegalForms.length]!,
    CreationDate: new Date(Date.UTC(2020, 0, 1) + (index % 1_000) * 86_400_000).toISOString().slice(0, 10),
    LastChangeDate: seededModifiedAt(index),
    to_BusinessPartnerAddress: [
      {
        BusinessPartner: id,
        AddressID: String(index + 1),
        StreetName: 'Hauptstraße',
        HouseNumber: String((index % 200) + 1),
        PostalCode: pad(10_000 + (index % 89_999), 5),
        CityName: cities[index % cities.length]!,
        Country: country,
        EmailAddress: `contact@partner-${pad(index + 1, 5)}.example`,
        PhoneNumber: `+49 40 ${pad(index + 1, 7)}`,
      },
    ],
    to_BusinessPartnerTax: [
      {
        BusinessPartner: id,
        BPTaxType: `${country}0`,
        BPTaxNumber: seededVatNumber(
          country,
          65_000_000 + index * 7,
          index % SEEDED_BAD_TAX_ID_EVERY === SEEDED_BAD_TAX_ID_EVERY - 1,
        ),
      },
    ],
  };
}
