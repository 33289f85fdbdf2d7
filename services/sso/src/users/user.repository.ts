import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, newId, softDelete, type ListFilter } from '@lessor/service-kit';
import type { SsoDatabase, UsersTable } from '../database.ts';

export type UserRow = Selectable<UsersTable>;
export interface RoleRefRow {
  id: string;
  name: string;
}

export const ADMIN_ROLE = 'admin';

/** The SQL of users and their role grants. */
export class UserRepository extends BusinessRepository<SsoDatabase, 'users'> {
  constructor(db: Kysely<SsoDatabase>) {
    super(db, 'users', {
      sortable: ['username', 'createdAt', 'fullName'],
      fallback: { column: 'username', direction: 'asc' },
    });
  }

  /** Users matching a search in username, name or email, and an active flag. */
  async search(filter: ListFilter & { q?: string; active?: boolean }) {
    return this.list(filter, (query) => {
      let narrowed = query;
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        narrowed = narrowed.where((eb) =>
          eb.or([
            eb('username', 'ilike', pattern),
            eb('fullName', 'ilike', pattern),
            eb('email', 'ilike', pattern),
          ]),
        );
      }
      if (filter.active !== undefined) narrowed = narrowed.where('active', '=', filter.active);
      return narrowed;
    });
  }

  /** A user by login name, case-insensitively; deleted users cannot log in. */
  async findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
  }

  async usernameTaken(username: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Live roles granted to each user (live grants of live roles). */
  async rolesOf(userIds: readonly string[]): Promise<Map<string, RoleRefRow[]>> {
    const result = new Map<string, RoleRefRow[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('roleGrants')
      .innerJoin('roles', 'roles.id', 'roleGrants.roleId')
      .select(['roleGrants.userId', 'roles.id', 'roles.name'])
      .where('roleGrants.userId', 'in', userIds)
      .where('roleGrants.deletedAt', 'is', null)
      .where('roles.deletedAt', 'is', null)
      .orderBy('roles.name')
      .execute();
    for (const row of rows) result.get(row.userId)?.push({ id: row.id, name: row.name });
    return result;
  }

  /** Role names and the union of their permissions: what goes into the user's access token. */
  async grantsOf(userId: string): Promise<{ roles: string[]; permissions: string[] }> {
    const rows = await this.db
      .selectFrom('roleGrants')
      .innerJoin('roles', 'roles.id', 'roleGrants.roleId')
      .select(['roles.name', 'roles.permissions'])
      .where('roleGrants.userId', '=', userId)
      .where('roleGrants.deletedAt', 'is', null)
      .where('roles.deletedAt', 'is', null)
      .orderBy('roles.name')
      .execute();
    return {
      roles: rows.map((row) => row.name),
      permissions: [...new Set(rows.flatMap((row) => row.permissions))].sort(),
    };
  }

  async findGrant(userId: string, roleId: string) {
    return this.db
      .selectFrom('roleGrants')
      .selectAll()
      .where('userId', '=', userId)
      .where('roleId', '=', roleId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
  }

  async insertGrant(userId: string, roleId: string, actor: string): Promise<void> {
    await this.db
      .insertInto('roleGrants')
      .values({
        id: newId(),
        userId,
        roleId,
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .execute();
  }

  /** Revoking a grant is a soft delete: the grant stays as history of who had which role when. */
  async revokeGrant(grantId: string, version: number, actor: string): Promise<void> {
    await softDelete(this.db, 'roleGrants', grantId, { actor, expectedVersion: version });
  }

  /** Active, live users holding the admin role, other than `exceptUserId`. */
  async countOtherActiveAdmins(exceptUserId: string): Promise<number> {
    const row = await this.db
      .selectFrom('roleGrants')
      .innerJoin('roles', 'roles.id', 'roleGrants.roleId')
      .innerJoin('users', 'users.id', 'roleGrants.userId')
      .select((eb) => eb.fn.count<string>('users.id').distinct().as('count'))
      .where('roles.name', '=', ADMIN_ROLE)
      .where('roles.builtIn', '=', true)
      .where('roleGrants.deletedAt', 'is', null)
      .where('users.deletedAt', 'is', null)
      .where('users.active', '=', true)
      .where('users.id', '!=', exceptUserId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async isAdmin(userId: string): Promise<boolean> {
    const { roles } = await this.grantsOf(userId);
    return roles.includes(ADMIN_ROLE);
  }
}
