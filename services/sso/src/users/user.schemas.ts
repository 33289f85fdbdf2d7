import { BusinessListQuery, AuditFields, type Static, Type, Uuid, PageOf } from '@lessor/service-kit';

export const Username = Type.String({
  minLength: 3,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*$',
  description: 'Letters, digits and . _ @ -; unique regardless of case.',
});
/** At least 12 characters (NIST SP 800-63B asks for 8; an ERP that moves money asks for more). */
export const Password = Type.String({ minLength: 12, maxLength: 256 });
const Email = Type.String({ format: 'email', maxLength: 254 });

export const RoleRef = Type.Object({ id: Uuid, name: Type.String() });

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  fullName: Type.String(),
  email: Type.Union([Email, Type.Null()]),
  active: Type.Boolean(),
  roles: Type.Array(RoleRef),
  ...AuditFields,
});
export type User = Static<typeof User>;

export const UserList = PageOf(User);

export const CreateUser = Type.Object(
  {
    username: Username,
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    password: Password,
    active: Type.Optional(Type.Boolean()),
    roleIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type CreateUser = Static<typeof CreateUser>;

export const UpdateUser = Type.Object(
  {
    fullName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUser = Static<typeof UpdateUser>;

export const SetPassword = Type.Object({ password: Password }, { additionalProperties: false });
export const ChangeOwnPassword = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password },
  { additionalProperties: false },
);
export const GrantRole = Type.Object({ roleId: Uuid }, { additionalProperties: false });

export const UserListQuery = BusinessListQuery(['username', 'createdAt', 'fullName'], {
  q: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Part of username, name or email.' }),
  ),
  active: Type.Optional(Type.Boolean()),
});
export type UserListQuery = Static<typeof UserListQuery>;
