import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { ssoErrors } from '../sso.errors.ts';
import { RoleRepository, type RoleRow } from './role.repository.ts';
import type { CreateRole, RoleListQuery, UpdateRole } from './role.schemas.ts';

/** Roles: named sets of permissions. The built-in admin role keeps `*:*:*` and cannot be removed. */
export class RoleService {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly events: SsoEvents,
  ) {}

  list(query: RoleListQuery) {
    return new RoleRepository(this.db).list(query);
  }

  async get(id: string, includeDeleted = false): Promise<RoleRow> {
    return this.#find(new RoleRepository(this.db), id, includeDeleted);
  }

  async create(input: CreateRole, actor: string): Promise<RoleRow> {
    return this.db.transaction().execute(async (trx) => {
      const roles = new RoleRepository(trx);
      if (await roles.findByName(input.name))
        throw ssoErrors.create.ROLE_NAME_TAKEN(`Role ${input.name} exists`);
      const role = await roles.insert(
        {
          name: input.name,
          description: input.description ?? '',
          permissions: [...input.permissions].sort(),
        },
        actor,
      );
      await this.events.roleChanged(trx, 'created', null, role, actor);
      return role;
    });
  }

  async update(id: string, version: number, changes: UpdateRole, actor: string): Promise<RoleRow> {
    return this.db.transaction().execute(async (trx) => {
      const roles = new RoleRepository(trx);
      const before = await this.#find(roles, id);
      if (before.builtIn && (changes.name !== undefined || changes.permissions !== undefined)) {
        throw ssoErrors.create.BUILT_IN_ROLE(`The ${before.name} role keeps its name and permissions`);
      }
      if (changes.name !== undefined && changes.name.toLowerCase() !== before.name.toLowerCase()) {
        if (await roles.findByName(changes.name))
          throw ssoErrors.create.ROLE_NAME_TAKEN(`Role ${changes.name} exists`);
      }
      const permissions = changes.permissions === undefined ? undefined : [...changes.permissions].sort();
      const after = await roles.update(
        id,
        version,
        { ...changes, ...(permissions ? { permissions } : {}) },
        actor,
      );
      await this.events.roleChanged(trx, 'updated', before, after, actor);
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<RoleRow> {
    return this.db.transaction().execute(async (trx) => {
      const roles = new RoleRepository(trx);
      const before = await this.#find(roles, id);
      if (before.builtIn) throw ssoErrors.create.BUILT_IN_ROLE(`The ${before.name} role cannot be deleted`);
      const after = await roles.softDelete(id, version, actor);
      await this.events.roleChanged(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<RoleRow> {
    return this.db.transaction().execute(async (trx) => {
      const roles = new RoleRepository(trx);
      const before = await this.#find(roles, id, true);
      const after = await roles.restore(id, actor);
      await this.events.roleChanged(trx, 'restored', before, after, actor);
      return after;
    });
  }

  async #find(roles: RoleRepository, id: string, includeDeleted = false): Promise<RoleRow> {
    const role = await roles.find(id, { includeDeleted });
    if (!role) throw kitErrors.create.NOT_FOUND(`No role ${id}`);
    return role;
  }
}
