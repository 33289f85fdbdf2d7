import { BusinessListQuery, AuditFields, type Static, Type, Uuid, PageOf } from '@lessor/service-kit';

/** `<service>:<resource>:<action>`, lowercase kebab segments; `*` may stand for a whole segment in a grant. */
export const PermissionGrant = Type.String({
  pattern: '^(\\*|[a-z][a-z0-9-]*):(\\*|[a-z][a-z0-9-]*):(\\*|[a-z][a-z0-9-]*)$',
  maxLength: 120,
});

export const Role = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String()),
  builtIn: Type.Boolean(),
  ...AuditFields,
});
export type Role = Static<typeof Role>;
export const RoleList = PageOf(Role);

const RoleName = Type.String({ minLength: 2, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' });

export const CreateRole = Type.Object(
  {
    name: RoleName,
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Array(PermissionGrant, { maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateRole = Static<typeof CreateRole>;

export const UpdateRole = Type.Object(
  {
    name: Type.Optional(RoleName),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    permissions: Type.Optional(Type.Array(PermissionGrant, { maxItems: 500, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRole = Static<typeof UpdateRole>;

export const RoleListQuery = BusinessListQuery(['name', 'createdAt'], {});
export type RoleListQuery = Static<typeof RoleListQuery>;

export const PermissionInfo = Type.Object({ name: Type.String(), description: Type.String() });
