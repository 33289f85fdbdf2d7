import { ListQuery, PageOf, Type, Uuid, type Static, type TSchema } from '@lessor/service-kit';

// The API's shapes of the outbound log (`GET /v1/outbound`).

/** Null first: the kit's Ajv coerces types, and a string branch tried first would turn null into "". */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);
const DateTime = Type.String({ format: 'date-time' });

export const OutboundStatus = Type.Union(
  [
    Type.Literal('updated'),
    Type.Literal('unchanged'),
    Type.Literal('skipped'),
    Type.Literal('superseded'),
    Type.Literal('refused'),
    Type.Literal('failed'),
  ],
  {
    description:
      '`updated`: written to the CRM. `unchanged`: the CRM record held these fields already (a retry after the ' +
      'CRM answered, or the CRM had them). `skipped`: no CRM connector enabled, none mapping outbound fields, or ' +
      'the lessee has no record in that CRM. `superseded`: the CRM was given a later status of the contract ' +
      'first. `refused`: the CRM refused the request (4xx); the event is parked after its retries. `failed`: the ' +
      'CRM was down or busy; the event is retried, then parked.',
  },
);

export const OutboundEntry = Type.Object({
  id: Uuid,
  eventId: Type.String({ format: 'uuid', description: 'The leasing event.' }),
  eventType: Type.String(),
  contractId: Uuid,
  contractNumber: Type.String(),
  contractStatus: Type.String({ description: 'The status the CRM is told: signed, active or terminated.' }),
  statusDate: Type.String({ format: 'date', description: 'The business date of the transition.' }),
  partyId: Type.String({ format: 'uuid', description: 'The lessee.' }),
  connectorId: Nullable(Type.String({ format: 'uuid', description: 'Null: no CRM connector was enabled.' })),
  remoteId: Nullable(Type.String({ description: 'The key of the lessee’s record in the CRM.' })),
  status: OutboundStatus,
  fields: Nullable(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'The fields written (or that would have been), by the CRM’s names.',
    }),
  ),
  attempts: Type.Integer({ description: 'Deliveries of the event that reached this CRM.' }),
  httpStatus: Nullable(Type.Integer({ description: 'The CRM’s answer when it refused or failed.' })),
  reason: Nullable(Type.String()),
  etag: Nullable(Type.String({ description: 'The record’s ETag after the write.' })),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type OutboundEntry = Static<typeof OutboundEntry>;

export const OutboundList = PageOf(OutboundEntry);

export const OutboundListQuery = Type.Object(
  {
    ...ListQuery.properties,
    connectorId: Type.Optional(Type.String({ format: 'uuid', description: 'One CRM connector.' })),
    status: Type.Optional(OutboundStatus),
    contractId: Type.Optional(Type.String({ format: 'uuid', description: 'One contract, by id.' })),
    contractNumber: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'One contract, by its number.' }),
    ),
  },
  { additionalProperties: false },
);
export type OutboundListQuery = Static<typeof OutboundListQuery>;
