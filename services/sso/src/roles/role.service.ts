import { kitErrors } from '@lessor/service-kit';
import { ssoErrors } from '../sso.errors.ts';
import type { RoleRepository, RoleRow } from './role.repository.ts';
import type { CreateRole, RoleListQuery, UpdateRole } from './role.schemas.ts';

/** Roles: named sets of permissions. The built-in admin role keeps `*:*:*` and cannot be removed. */
export class RoleService {
  constructor(private readonly roles: RoleRepository) {}

  list(query: RoleListQuery) {
    return this.roles.list(query);
  }

  async get(id: string, includeDeleted = false): Promise<RoleRow> {
    const role = await this.roles.find(id, { includeDeleted });
    if (!role) throw kitErrors.create.NOT_FOUND(`No role ${id}`);
    return role;
  }

  async create(input: CreateRole, actor: string): Promise<RoleRow> {
    if (await this.roles.findByName(input.name))
      throw ssoErrors.create.ROLE_NAME_TAKEN(`Role ${input.name} exists`);
    return this.roles.insert(
      {
        name: input.name,
        description: input.description ?? '',
        permissions: [...input.permissions].sort(),
      },
      actor,
    );
  }

  async update(id: string, version: number, changes: UpdateRole, actor: string): Promise<RoleRow> {
    const role = await this.get(id);
    if (role.builtIn && (changes.name !== undefined || changes.permissions !== undefined)) {
      throw ssoErrors.create.BUILT_IN_ROLE(`The ${role.name} role keeps its name and permissions`);
    }
    if (changes.name !== undefined && changes.name.toLowerCase() !== role.name.toLowerCase()) {
      if (await this.roles.findByName(changes.name))
        throw ssoErrors.create.ROLE_NAME_TAKEN(`Role ${changes.name} exists`);
    }
    const permissions = changes.permissions === undefined ? undefined : [...changes.permissions].sort();
    return this.roles.update(id, version, { ...changes, ...(permissions ? { permissions } : {}) }, actor);
  }

  async delete(id: string, version: number, actor: string): Promise<RoleRow> {
    const role = await this.get(id);
    if (role.builtIn) throw ssoErrors.create.BUILT_IN_ROLE(`The ${role.name} role cannot be deleted`);
    return this.roles.softDelete(id, version, actor);
  }

  restore(id: string, actor: string): Promise<RoleRow> {
    return this.roles.restore(id, actor);
  }
}
