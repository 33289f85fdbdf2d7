import {
  AuditFields,
  BusinessListQuery,
  PageOf,
  Type,
  Uuid,
  type Static,
  type TSchema,
} from '@lessor/service-kit';
import { ConnectorMapping, ExportMapping, InboundMapping, OutboundMapping } from './mapping.ts';

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Kind = Type.Union([Type.Literal('crm'), Type.Literal('accounting')], {
  description: '`crm`: parties come in, contract news go out; `accounting`: journal entries go out.',
});
const Protocol = Type.Union([Type.Literal('odata-v4'), Type.Literal('odata-v2')]);
const BaseUrl = Type.String({
  minLength: 10,
  maxLength: 2000,
  format: 'uri',
  pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$',
  description: 'The OData service root (http or https, no query).',
});
const Schedule = Type.String({
  minLength: 9,
  maxLength: 100,
  description:
    'A cron expression (5 fields, or 6 with seconds first), in UTC: `*/15 * * * *` runs every quarter hour.',
});
const Secret = Type.String({ minLength: 1, maxLength: 4096, description: 'Write-only: never returned.' });
const TokenUrl = Type.String({ minLength: 10, maxLength: 2000, format: 'uri', pattern: '^https?://' });
const Username = Type.String({ minLength: 1, maxLength: 200 });
const ClientId = Type.String({ minLength: 1, maxLength: 200 });
const Scope = Type.String({ minLength: 1, maxLength: 500 });

/** How a connector signs in, as it is written (secrets included; write-only). */
export const AuthInput = Type.Union(
  [
    Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
    Type.Object(
      { kind: Type.Literal('basic'), username: Username, password: Type.Optional(Secret) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        kind: Type.Literal('oauth2'),
        tokenUrl: TokenUrl,
        clientId: ClientId,
        scope: Type.Optional(Scope),
        clientSecret: Type.Optional(Secret),
      },
      { additionalProperties: false },
    ),
  ],
  {
    description:
      '`password` (basic) and `clientSecret` (oauth2) are needed when the kind is new, kept when left out.',
  },
);
export type AuthInput = Static<typeof AuthInput>;

/** How a connector signs in, as it is read: never the secret. */
export const AuthView = Type.Union([
  Type.Object({ kind: Type.Literal('none') }),
  Type.Object({ kind: Type.Literal('basic'), username: Type.String() }),
  Type.Object({
    kind: Type.Literal('oauth2'),
    tokenUrl: Type.String(),
    clientId: Type.String(),
    scope: Type.Optional(Type.String()),
  }),
]);

const RunStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Connector = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Kind,
  protocol: Protocol,
  baseUrl: Type.String(),
  auth: AuthView,
  credentialsSet: Type.Boolean({
    description: 'Whether a password or client secret is stored (never shown).',
  }),
  mapping: ConnectorMapping,
  schedule: Nullable(Type.String()),
  enabled: Type.Boolean(),
  watermark: Nullable(Type.String({ description: 'Where the next incremental run starts (outside time).' })),
  nextRunAt: Nullable(Type.String({ format: 'date-time' })),
  lastRun: Nullable(
    Type.Object({
      id: Uuid,
      status: RunStatus,
      finishedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
  ...AuditFields,
});
export type Connector = Static<typeof Connector>;
export const ConnectorList = PageOf(Connector);

/** A mapping as written: a preset's name, with any part given replacing the preset's (whole). */
export const MappingInput = Type.Object(
  {
    preset: ConnectorMapping.properties.preset,
    inbound: Type.Optional(InboundMapping),
    outbound: Type.Optional(OutboundMapping),
    export: Type.Optional(ExportMapping),
  },
  { additionalProperties: false },
);
export type MappingInput = Static<typeof MappingInput>;

export const CreateConnector = Type.Object(
  {
    name: Name,
    kind: Kind,
    protocol: Protocol,
    baseUrl: BaseUrl,
    auth: AuthInput,
    mapping: MappingInput,
    schedule: Type.Optional(Type.Union([Type.Null(), Schedule])),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type CreateConnector = Static<typeof CreateConnector>;

export const UpdateConnector = Type.Object(
  {
    name: Type.Optional(Name),
    protocol: Type.Optional(Protocol),
    baseUrl: Type.Optional(BaseUrl),
    auth: Type.Optional(AuthInput),
    mapping: Type.Optional(MappingInput),
    schedule: Type.Optional(Type.Union([Type.Null(), Schedule])),
    enabled: Type.Optional(Type.Boolean()),
    watermark: Type.Optional(
      Type.Union([Type.Null(), Type.String({ format: 'date-time' })], {
        description: 'Set back (or null) to have the next incremental run read from there.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateConnector = Static<typeof UpdateConnector>;

export const ConnectorListQuery = BusinessListQuery(['name', 'createdAt'], {
  kind: Type.Optional(Kind),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name.' })),
});
export type ConnectorListQuery = Static<typeof ConnectorListQuery>;

export const ConnectionTest = Type.Object({
  ok: Type.Boolean(),
  status: Nullable(Type.Integer({ description: 'The HTTP status the outside system answered, if any.' })),
  message: Type.String(),
  durationMs: Type.Integer({ minimum: 0 }),
});
export type ConnectionTest = Static<typeof ConnectionTest>;
