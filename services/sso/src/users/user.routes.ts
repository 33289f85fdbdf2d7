import { auditView, IdParams, Type, Uuid, withEtag } from '@lessor/service-kit';
import {
  actorOf,
  kitErrors,
  principalOf,
  registerBusinessRoutes,
  type ServiceApp,
} from '@lessor/service-kit';
import type { UserService, UserWithRoles } from './user.service.ts';
import {
  ChangeOwnPassword,
  CreateUser,
  GrantRole,
  SetPassword,
  UpdateUser,
  User,
  UserList,
  UserListQuery,
} from './user.schemas.ts';

const tags = ['users'];

function view(user: UserWithRoles): User {
  const { passwordHash: _hash, passwordChangedAt: _changed, ...rest } = user;
  return auditView(rest);
}

/** The admin API of users and their roles, plus changing one's own password. */
export function registerUserRoutes(app: ServiceApp, users: UserService): void {
  registerBusinessRoutes(app, {
    path: '/v1/users',
    noun: 'user',
    tag: 'users',
    permissions: { read: 'sso:users:read', write: 'sso:users:write' },
    schemas: { item: User, list: UserList, listQuery: UserListQuery, create: CreateUser, update: UpdateUser },
    useCases: users,
    view,
    summaries: {
      update: 'Change a user (disabling ends its sessions)',
      delete: 'Delete a user (soft; ends its sessions)',
    },
  });

  app.put(
    '/v1/users/:id/password',
    {
      config: { permission: 'sso:users:write' },
      schema: {
        tags,
        summary: 'Set a user’s password (ends its sessions)',
        params: IdParams,
        body: SetPassword,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await users.setPassword(request.params.id, request.body.password, actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/users/:id/roles',
    {
      config: { permission: 'sso:users:write' },
      schema: { tags, summary: 'Grant a role', params: IdParams, body: GrantRole, response: { 200: User } },
    },
    async (request, reply) =>
      withEtag(reply, view(await users.grantRole(request.params.id, request.body.roleId, actorOf(request)))),
  );

  app.delete(
    '/v1/users/:id/roles/:roleId',
    {
      config: { permission: 'sso:users:write' },
      schema: {
        tags,
        summary: 'Revoke a role',
        params: Type.Object({ id: Uuid, roleId: Uuid }, { additionalProperties: false }),
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await users.revokeRole(request.params.id, request.params.roleId, actorOf(request))),
      ),
  );

  app.post(
    '/v1/me/password',
    {
      config: { permission: 'sso:me:read' },
      schema: {
        tags: ['me'],
        summary: 'Change one’s own password (other sessions end)',
        body: ChangeOwnPassword,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') throw kitErrors.create.FORBIDDEN('A service client has no password');
      await users.changeOwnPassword(principal.id, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send(null);
    },
  );
}
