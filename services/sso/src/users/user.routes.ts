import {
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  Type,
  Uuid,
  withEtag,
} from '@lessor/service-kit';
import { actorOf, kitErrors, principalOf, type ServiceApp } from '@lessor/service-kit';
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
  app.get(
    '/v1/users',
    {
      config: { permission: 'sso:users:read' },
      schema: { tags, summary: 'List users', querystring: UserListQuery, response: { 200: UserList } },
    },
    async (request) => {
      const page = await users.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/users',
    {
      config: { permission: 'sso:users:write', idempotent: true },
      schema: { tags, summary: 'Create a user', body: CreateUser, response: { 201: User } },
    },
    async (request, reply) => {
      const user = await users.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/users/${user.id}`)
        .send(withEtag(reply, view(user)));
    },
  );

  app.get(
    '/v1/users/:id',
    {
      config: { permission: 'sso:users:read' },
      schema: {
        tags,
        summary: 'Read a user',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await users.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/users/:id',
    {
      config: { permission: 'sso:users:write' },
      schema: {
        tags,
        summary: 'Change a user (disabling ends its sessions)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateUser,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await users.update(request.params.id, requiredVersion(request), request.body, actorOf(request))),
      ),
  );

  app.delete(
    '/v1/users/:id',
    {
      config: { permission: 'sso:users:write' },
      schema: {
        tags,
        summary: 'Delete a user (soft; ends its sessions)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: User },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await users.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/users/:id/restore',
    {
      config: { permission: 'sso:users:write' },
      schema: { tags, summary: 'Restore a deleted user', params: IdParams, response: { 200: User } },
    },
    async (request, reply) => withEtag(reply, view(await users.restore(request.params.id, actorOf(request)))),
  );

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
