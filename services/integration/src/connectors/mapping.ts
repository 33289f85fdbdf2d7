import { Type, type Static } from '@lessor/service-kit';
import { Value } from 'typebox/value';

/**
 * How a connector's outside records map to Lessor: which entity set is read, which fields hold a party's
 * details, which fields the outbound updates write, where journal entries go. Stored per connector (JSON,
 * validated by this schema); the presets fit the two peer shapes (Dynamics 365 accounts, SAP business partners).
 */

const Field = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$',
  description: 'A property of the outside entity (a path through navigations with `/`).',
});
const EntitySet = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  description: 'An entity set of the service root.',
});
const OptionalField = Type.Optional(Field);

/** The fields of an outside address (a navigation of the account, or the account's own address fields). */
export const AddressMapping = Type.Object(
  {
    navigation: Type.Optional(Field),
    street: OptionalField,
    houseNumber: OptionalField,
    postalCode: OptionalField,
    city: OptionalField,
    country: OptionalField,
    email: OptionalField,
    phone: OptionalField,
  },
  { additionalProperties: false },
);

/** Contact people: an entity set of their own, linked to the account by a field, or a navigation. */
export const ContactsMapping = Type.Object(
  {
    entitySet: Type.Optional(EntitySet),
    navigation: Type.Optional(Field),
    parentField: OptionalField,
    key: OptionalField,
    firstName: OptionalField,
    lastName: OptionalField,
    email: OptionalField,
    phone: OptionalField,
  },
  { additionalProperties: false },
);

export const InboundMapping = Type.Object(
  {
    entitySet: EntitySet,
    key: Field,
    modifiedField: Field,
    /** `DateTimeOffset` (v4) or `DateTime` (v2 `Edm.DateTime`, UTC): how the watermark is written in `$filter`. */
    modifiedType: Type.Optional(Type.Union([Type.Literal('DateTimeOffset'), Type.Literal('DateTime')])),
    expand: Type.Optional(Type.Array(Field, { maxItems: 10 })),
    fields: Type.Object(
      {
        name: OptionalField,
        legalForm: OptionalField,
        taxId: OptionalField,
        country: OptionalField,
        registrationNumber: OptionalField,
        email: OptionalField,
        phone: OptionalField,
        firstName: OptionalField,
        lastName: OptionalField,
        /** The field telling a company from a person (SAP `BusinessPartnerCategory`: '1' person, '2' organisation). */
        kind: OptionalField,
      },
      { additionalProperties: false },
    ),
    /** Values of `fields.kind` meaning a person; any other value is a company. */
    personValues: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
    /** A tax id held in a navigation's rows (SAP `to_BusinessPartnerTax`): the first row's `numberField`. */
    taxNumbers: Type.Optional(
      Type.Object(
        { navigation: Field, numberField: Field, typeField: OptionalField },
        { additionalProperties: false },
      ),
    ),
    addresses: Type.Optional(AddressMapping),
    contacts: Type.Optional(ContactsMapping),
  },
  { additionalProperties: false },
);

export const OutboundMapping = Type.Object(
  {
    entitySet: EntitySet,
    /** Which outside record a contract's status is written to: the lessee's account. */
    key: Type.Literal('account'),
    fields: Type.Object(
      { contractNumber: Field, status: Field, statusDate: OptionalField },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ExportMapping = Type.Object(
  { entitySet: EntitySet, linesProperty: Field },
  { additionalProperties: false },
);

export const ConnectorMapping = Type.Object(
  {
    preset: Type.Union([
      Type.Literal('dynamics'),
      Type.Literal('sap-business-partner'),
      Type.Literal('accounting'),
      Type.Literal('custom'),
    ]),
    inbound: Type.Optional(InboundMapping),
    outbound: Type.Optional(OutboundMapping),
    export: Type.Optional(ExportMapping),
  },
  { additionalProperties: false },
);
export type ConnectorMapping = Static<typeof ConnectorMapping>;
export type MappingPreset = ConnectorMapping['preset'];

/** A Dynamics 365 (Dataverse) CRM over OData v4: accounts, their contacts, the lessee's account updated. */
const dynamics: ConnectorMapping = {
  preset: 'dynamics',
  inbound: {
    entitySet: 'accounts',
    key: 'accountid',
    modifiedField: 'modifiedon',
    modifiedType: 'DateTimeOffset',
    fields: {
      name: 'name',
      legalForm: 'new_legalform',
      taxId: 'new_taxid',
      country: 'address1_country',
      registrationNumber: 'new_registrationnumber',
      email: 'emailaddress1',
      phone: 'telephone1',
    },
    addresses: {
      street: 'address1_line1',
      postalCode: 'address1_postalcode',
      city: 'address1_city',
      country: 'address1_country',
    },
    contacts: {
      entitySet: 'contacts',
      parentField: 'parentcustomerid',
      key: 'contactid',
      firstName: 'firstname',
      lastName: 'lastname',
      email: 'emailaddress1',
      phone: 'telephone1',
    },
  },
  outbound: {
    entitySet: 'accounts',
    key: 'account',
    fields: {
      contractNumber: 'new_lessorcontract',
      status: 'new_lessorstatus',
      statusDate: 'new_lessorstatusdate',
    },
  },
};

/** SAP S/4HANA's business partner API over OData v2: partners with addresses and tax numbers. */
const sapBusinessPartner: ConnectorMapping = {
  preset: 'sap-business-partner',
  inbound: {
    entitySet: 'A_BusinessPartner',
    key: 'BusinessPartner',
    modifiedField: 'LastChangeDate',
    modifiedType: 'DateTime',
    expand: ['to_BusinessPartnerAddress', 'to_BusinessPartnerTax'],
    fields: {
      name: 'BusinessPartnerFullName',
      legalForm: 'LegalForm',
      firstName: 'FirstName',
      lastName: 'LastName',
      kind: 'BusinessPartnerCategory',
    },
    personValues: ['1'],
    taxNumbers: {
      navigation: 'to_BusinessPartnerTax',
      numberField: 'BPTaxNumber',
      typeField: 'BPTaxType',
    },
    addresses: {
      navigation: 'to_BusinessPartnerAddress',
      street: 'StreetName',
      houseNumber: 'HouseNumber',
      postalCode: 'PostalCode',
      city: 'CityName',
      country: 'Country',
      email: 'EmailAddress',
      phone: 'PhoneNumber',
    },
  },
  outbound: {
    entitySet: 'A_BusinessPartner',
    key: 'account',
    fields: { contractNumber: 'YY1_LessorContract_bus', status: 'YY1_LessorStatus_bus' },
  },
};

/** An accounting system taking journal entries with their lines (deep insert). */
const accounting: ConnectorMapping = {
  preset: 'accounting',
  export: { entitySet: 'JournalEntries', linesProperty: 'Lines' },
};

/** The presets by name: a connector created with `{ preset }` and no more gets the whole mapping. */
export const MAPPING_PRESETS: Readonly<Record<Exclude<MappingPreset, 'custom'>, ConnectorMapping>> = {
  dynamics,
  'sap-business-partner': sapBusinessPartner,
  accounting,
};

/**
 * The mapping a connector keeps: a preset's, with the parts given replacing the preset's own (a part is
 * replaced whole, never merged field by field, so what is stored is what was meant).
 */
export function resolveMapping(
  input: Partial<ConnectorMapping> & { preset: MappingPreset },
): ConnectorMapping {
  const base = input.preset === 'custom' ? { preset: 'custom' as const } : MAPPING_PRESETS[input.preset];
  const merged: ConnectorMapping = { ...structuredClone(base) };
  if (input.inbound) merged.inbound = input.inbound;
  if (input.outbound) merged.outbound = input.outbound;
  if (input.export) merged.export = input.export;
  return merged;
}

/** A stored mapping, checked again when read (a row written by an older release must still fit). */
export function readMapping(stored: unknown): ConnectorMapping {
  if (Value.Check(ConnectorMapping, stored)) return stored;
  const [first] = Value.Errors(ConnectorMapping, stored);
  throw new Error(
    `a stored connector mapping does not fit: ${first?.instancePath || '/'} ${first?.message ?? ''}`,
  );
}
