import { BusinessListQuery, AuditFields, type Static, Type, Uuid, PageOf } from '@lessor/service-kit';
import { PermissionGrant } from '../roles/role.schemas.ts';

const ClientId = Type.String({ minLength: 3, maxLength: 64, pattern: '^[a-z][a-z0-9-]*$' });

export const ServiceClient = Type.Object({
  id: Uuid,
  clientId: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  active: Type.Boolean(),
  ...AuditFields,
});
export type ServiceClient = Static<typeof ServiceClient>;
export const ServiceClientList = PageOf(ServiceClient);
/** The answer that carries a client secret: given once, at creation or rotation, never again. */
export const ServiceClientWithSecret = Type.Object({
  ...ServiceClient.properties,
  clientSecret: Type.String(),
});

export const CreateServiceClient = Type.Object(
  {
    clientId: ClientId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scopes: Type.Array(PermissionGrant, { maxItems: 200, uniqueItems: true }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateServiceClient = Static<typeof CreateServiceClient>;

export const UpdateServiceClient = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    scopes: Type.Optional(Type.Array(PermissionGrant, { maxItems: 200, uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateServiceClient = Static<typeof UpdateServiceClient>;

export const ServiceClientListQuery = BusinessListQuery(['clientId', 'createdAt'], {});
export type ServiceClientListQuery = Static<typeof ServiceClientListQuery>;

/** RFC 6749 §4.4.2 token request, form-encoded; client credentials may come in the body or as Basic auth. */
export const TokenRequest = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 100 })),
    scope: Type.Optional(Type.String({ maxLength: 4000 })),
    client_id: Type.Optional(Type.String({ maxLength: 200 })),
    client_secret: Type.Optional(Type.String({ maxLength: 500 })),
  },
  // RFC 6749 §3.2: the authorization server MUST ignore unrecognized request parameters.
  { additionalProperties: true },
);
export type TokenRequest = Static<typeof TokenRequest>;

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
});
