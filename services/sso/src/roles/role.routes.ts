import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  type ServiceApp,
  Type,
  withEtag,
} from '@lessor/service-kit';
import { PERMISSION_CATALOG } from './permission-catalog.ts';
import type { RoleRow } from './role.repository.ts';
import { CreateRole, PermissionInfo, Role, RoleList, RoleListQuery, UpdateRole } from './role.schemas.ts';
import type { RoleService } from './role.service.ts';

const tags = ['roles'];
const view = (role: RoleRow): Role => auditView(role);

/** The admin API of roles and the permission catalogue. */
export function registerRoleRoutes(app: ServiceApp, roles: RoleService): void {
  app.get(
    '/v1/permissions',
    {
      config: { permission: 'sso:roles:read' },
      schema: {
        tags,
        summary: 'The permissions services check',
        response: { 200: Type.Object({ items: Type.Array(PermissionInfo) }) },
      },
    },
    async () => ({ items: [...PERMISSION_CATALOG] }),
  );

  app.get(
    '/v1/roles',
    {
      config: { permission: 'sso:roles:read' },
      schema: { tags, summary: 'List roles', querystring: RoleListQuery, response: { 200: RoleList } },
    },
    async (request) => {
      const page = await roles.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/roles',
    {
      config: { permission: 'sso:roles:write', idempotent: true },
      schema: { tags, summary: 'Create a role', body: CreateRole, response: { 201: Role } },
    },
    async (request, reply) => {
      const role = await roles.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/roles/${role.id}`)
        .send(withEtag(reply, view(role)));
    },
  );

  app.get(
    '/v1/roles/:id',
    {
      config: { permission: 'sso:roles:read' },
      schema: {
        tags,
        summary: 'Read a role',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: Role },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await roles.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/roles/:id',
    {
      config: { permission: 'sso:roles:write' },
      schema: {
        tags,
        summary: 'Change a role',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateRole,
        response: { 200: Role },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await roles.update(request.params.id, requiredVersion(request), request.body, actorOf(request))),
      ),
  );

  app.delete(
    '/v1/roles/:id',
    {
      config: { permission: 'sso:roles:write' },
      schema: {
        tags,
        summary: 'Delete a role (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Role },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await roles.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/roles/:id/restore',
    {
      config: { permission: 'sso:roles:write' },
      schema: { tags, summary: 'Restore a deleted role', params: IdParams, response: { 200: Role } },
    },
    async (request, reply) => withEtag(reply, view(await roles.restore(request.params.id, actorOf(request)))),
  );
}
