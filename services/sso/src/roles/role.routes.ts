import { auditView, registerBusinessRoutes, type ServiceApp, Type } from '@lessor/service-kit';
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

  registerBusinessRoutes(app, {
    path: '/v1/roles',
    noun: 'role',
    tag: 'roles',
    permissions: { read: 'sso:roles:read', write: 'sso:roles:write' },
    schemas: { item: Role, list: RoleList, listQuery: RoleListQuery, create: CreateRole, update: UpdateRole },
    useCases: roles,
    view,
  });
}
