import { ListQuery, PageOf, Type, Uuid, type Static } from '@lessor/service-kit';

const ConflictStatus = Type.Union(
  [Type.Literal('open'), Type.Literal('take-crm'), Type.Literal('keep-lessor')],
  {
    description:
      '`open` until someone decides: `take-crm` (the party took the CRM’s value) or `keep-lessor`.',
  },
);
const ConflictField = Type.Union(
  [
    Type.Literal('name'),
    Type.Literal('legalForm'),
    Type.Literal('taxId'),
    Type.Literal('country'),
    Type.Literal('registrationNumber'),
  ],
  { description: 'A field Lessor keeps: KYC, and what a contract depends on.' },
);
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

export const Conflict = Type.Object({
  id: Uuid,
  connectorId: Uuid,
  remoteId: Type.String({ description: 'The CRM record’s key.' }),
  partyId: Uuid,
  field: ConflictField,
  lessorValue: Nullable(Type.String({ description: 'The party’s value when the conflict was raised.' })),
  crmValue: Nullable(Type.String({ description: 'The CRM’s value (its newest, while open).' })),
  status: ConflictStatus,
  runId: Type.Union([Uuid, Type.Null()]),
  raisedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  resolvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  resolvedBy: Nullable(Type.String({ description: 'A user id, or client:<id>.' })),
});
export type Conflict = Static<typeof Conflict>;
export const ConflictList = PageOf(Conflict);

export const ConflictListQuery = Type.Object(
  {
    ...ListQuery.properties,
    connectorId: Type.Optional(Uuid),
    partyId: Type.Optional(Uuid),
    status: Type.Optional(ConflictStatus),
  },
  { additionalProperties: false },
);
export type ConflictListQuery = Static<typeof ConflictListQuery>;

export const ResolveConflict = Type.Object(
  {
    resolution: Type.Union([Type.Literal('take-crm'), Type.Literal('keep-lessor')], {
      description:
        '`take-crm`: the party takes the CRM’s value (through parties, checked as any change); `keep-lessor`: ' +
        'the party stays as it is.',
    }),
  },
  { additionalProperties: false },
);
export type ResolveConflict = Static<typeof ResolveConflict>;
