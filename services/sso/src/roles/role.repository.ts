import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository } from '@lessor/service-kit';
import type { RolesTable, SsoDatabase } from '../database.ts';

export type RoleRow = Selectable<RolesTable>;

/** The SQL of roles. */
export class RoleRepository extends BusinessRepository<SsoDatabase, 'roles'> {
  constructor(db: Kysely<SsoDatabase>) {
    super(db, 'roles', { sortable: ['name', 'createdAt'], fallback: { column: 'name', direction: 'asc' } });
  }

  /** A role by name, case-insensitively, deleted ones included (names stay taken). */
  async findByName(name: string): Promise<RoleRow | undefined> {
    return this.db
      .selectFrom('roles')
      .selectAll()
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirst();
  }
}
