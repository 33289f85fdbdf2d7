import {
  AuditFields,
  BusinessListQuery,
  IncludeDeletedQuery,
  ListQuery,
  PageOf,
  Type,
  Uuid,
  type Static,
} from '@lessor/service-kit';

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });
const Nullable = <T extends ReturnType<typeof Text>>(schema: T) => Type.Union([schema, Type.Null()]);

export const PartyKind = Type.Union([Type.Literal('company'), Type.Literal('person')], {
  description: 'Fixed at creation: a company does not become a person.',
});
export const KycStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('verified'), Type.Literal('rejected'), Type.Literal('expired')],
  { description: 'Changed only through POST /v1/parties/{id}/kyc.' },
);
export const CountryCode = Type.String({
  pattern: '^[A-Z]{2}$',
  description: 'ISO 3166-1 alpha-2, upper case (`DE`); an unassigned code is refused (422).',
});
const Email = Type.String({ format: 'email', maxLength: 254 });
const Phone = Type.String({
  pattern: '^\\+[1-9](?:[ -]?[0-9]){6,14}$',
  description:
    'E.164: `+`, country code and number, 7-15 digits; spaces or dashes between digits are dropped.',
});
const TaxId = Type.String({
  minLength: 1,
  maxLength: 40,
  description:
    'Checked by the party’s country: EU member states, GB, CH and NO as VAT numbers (format and check ' +
    'digits), others 4-20 letters and digits. Stored upper case without spaces, dots or dashes, with the ' +
    'VAT prefix added when missing (EL for Greece, CHE for Switzerland).',
});

export const Address = Type.Object(
  {
    type: Type.Union([Type.Literal('registered'), Type.Literal('billing'), Type.Literal('delivery')]),
    line1: Text(200),
    line2: Type.Optional(Text(200)),
    city: Text(100),
    postalCode: Text(20),
    country: CountryCode,
  },
  { additionalProperties: false },
);

export const Contact = Type.Object(
  {
    name: Text(200),
    role: Type.Optional(Text(100, 'Their role at the party: CFO, fleet manager…')),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
  },
  { additionalProperties: false },
);

export const ExternalRef = Type.Object(
  {
    system: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[a-z][a-z0-9-]*(?::[A-Za-z0-9._-]+)*$',
      description: 'The system outside Lessor, e.g. `crm:<connectorId>` (no `/`).',
    }),
    id: Text(200, 'The party’s id in that system, as it gives it.'),
  },
  { additionalProperties: false },
);

const Addresses = Type.Array(Address, { maxItems: 20 });
const Contacts = Type.Array(Contact, { maxItems: 50 });
const ExternalRefs = Type.Array(ExternalRef, {
  maxItems: 20,
  description:
    'The party’s ids in systems outside Lessor (a CRM’s account id). A system and id belong to one live ' +
    'party at most (409 otherwise); replaced as a whole on update.',
});

export const Party = Type.Object({
  id: Uuid,
  kind: PartyKind,
  name: Type.String(),
  firstName: Type.Union([Type.String(), Type.Null()]),
  lastName: Type.Union([Type.String(), Type.Null()]),
  legalForm: Type.Union([Type.String(), Type.Null()]),
  country: Type.String(),
  taxId: Type.Union([Type.String(), Type.Null()]),
  registrationNumber: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  addresses: Type.Array(Address),
  contacts: Type.Array(Contact),
  externalRefs: Type.Array(ExternalRef),
  kycStatus: KycStatus,
  ...AuditFields,
});
export type Party = Static<typeof Party>;
export const PartyList = PageOf(Party);

/** The fields a client may set, on create and (all optional) on update. */
const editable = {
  name: Text(200, 'Legal name of a company; full name of a person.'),
  firstName: Type.Optional(Nullable(Text(100, 'People only.'))),
  lastName: Type.Optional(Nullable(Text(100, 'People only.'))),
  legalForm: Type.Optional(Nullable(Text(60, 'Companies only: GmbH, SA, Ltd…'))),
  country: CountryCode,
  taxId: Type.Optional(Type.Union([TaxId, Type.Null()])),
  registrationNumber: Type.Optional(Nullable(Text(50, 'Company register number, as given.'))),
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  phone: Type.Optional(Type.Union([Phone, Type.Null()])),
  addresses: Type.Optional(Addresses),
  contacts: Type.Optional(Contacts),
  externalRefs: Type.Optional(ExternalRefs),
};

export const CreateParty = Type.Object({ kind: PartyKind, ...editable }, { additionalProperties: false });
export type CreateParty = Static<typeof CreateParty>;

export const UpdateParty = Type.Object(
  {
    ...editable,
    name: Type.Optional(editable.name),
    country: Type.Optional(editable.country),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Only the fields sent change; `addresses`, `contacts` and `externalRefs` are replaced as a whole.',
  },
);
export type UpdateParty = Static<typeof UpdateParty>;

export const PARTY_SORT_FIELDS = ['name', 'createdAt', 'updatedAt', 'country'] as const;

export const PartyListQuery = BusinessListQuery(PARTY_SORT_FIELDS, {
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Part of the name (any case), or a whole tax id (normalised).',
    }),
  ),
  taxId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 40,
      description: 'A whole tax id, normalised (with `country`, its VAT prefix may be left out).',
    }),
  ),
  externalRef: Type.Optional(
    Type.String({
      minLength: 3,
      maxLength: 301,
      pattern: '^[^/]+/.+$',
      description: 'An external reference, `<system>/<id>` (e.g. `crm:0190…/4711`): the party holding it.',
    }),
  ),
  kind: Type.Optional(PartyKind),
  country: Type.Optional(CountryCode),
  kycStatus: Type.Optional(KycStatus),
});
export type PartyListQuery = Static<typeof PartyListQuery>;

export const PartySummary = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: PartyKind,
    country: Type.String(),
    taxId: Type.Union([Type.String(), Type.Null()]),
    kycStatus: KycStatus,
  },
  { description: 'What another service needs to refer to a party and decide on it.' },
);
export type PartySummary = Static<typeof PartySummary>;

export const ChangeKyc = Type.Object(
  {
    status: KycStatus,
    reason: Text(1000, 'Why: the documents checked, what was missing, what expired.'),
  },
  { additionalProperties: false },
);
export type ChangeKyc = Static<typeof ChangeKyc>;

export const KycHistoryEntry = Type.Object({
  id: Uuid,
  partyId: Uuid,
  from: Type.Union([KycStatus, Type.Null()], { description: 'Null for the entry made at creation.' }),
  status: KycStatus,
  reason: Type.String(),
  actor: Type.String({ description: 'A user id, or client:<id>.' }),
  at: Type.String({ format: 'date-time' }),
});
export type KycHistoryEntry = Static<typeof KycHistoryEntry>;
export const KycHistoryPage = PageOf(KycHistoryEntry);

export const KycHistoryQuery = Type.Object(
  { ...ListQuery.properties, ...IncludeDeletedQuery.properties },
  { additionalProperties: false },
);
export type KycHistoryQuery = Static<typeof KycHistoryQuery>;

export const IfNoneMatchHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({ description: 'The ETag of the copy the caller holds: 304 when it is still current.' }),
  ),
});
