import { sql, type Kysely, type Selectable } from 'kysely';
import {
  applyDeletedFilter,
  newId,
  paginate,
  parseSort,
  restore,
  softDelete,
  updateVersioned,
  type DeletedFilter,
} from '@lessor/service-kit';
import type { RolesTable, SsoDatabase } from '../database.ts';

export type RoleRow = Selectable<RolesTable>;

/** The SQL of roles. */
export class RoleRepository {
  constructor(private readonly db: Kysely<SsoDatabase>) {}

  async list(filter: { deleted: DeletedFilter; sort?: string; cursor?: string; limit: number }) {
    return paginate(applyDeletedFilter(this.db.selectFrom('roles').selectAll(), filter.deleted), {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: parseSort(filter.sort, ['name', 'createdAt'], { column: 'name', direction: 'asc' }),
    });
  }

  async find(id: string, options: { includeDeleted?: boolean } = {}): Promise<RoleRow | undefined> {
    let query = this.db.selectFrom('roles').selectAll().where('id', '=', id);
    if (!options.includeDeleted) query = query.where('deletedAt', 'is', null);
    return query.executeTakeFirst();
  }

  async findByName(name: string): Promise<RoleRow | undefined> {
    return this.db
      .selectFrom('roles')
      .selectAll()
      .where(sql`lower(name)`, '=', name.toLowerCase())
      .executeTakeFirst();
  }

  async insert(values: {
    name: string;
    description: string;
    permissions: string[];
    builtIn?: boolean;
    actor: string;
  }): Promise<RoleRow> {
    const { actor, ...role } = values;
    return this.db
      .insertInto('roles')
      .values({ id: newId(), ...role, createdBy: actor, updatedBy: actor, deletedAt: null, deletedBy: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: Partial<Pick<RoleRow, 'name' | 'description' | 'permissions'>>,
    actor: string,
  ): Promise<RoleRow> {
    return updateVersioned(this.db, 'roles', id, expectedVersion, changes, actor) as Promise<RoleRow>;
  }

  async softDelete(id: string, expectedVersion: number, actor: string): Promise<RoleRow> {
    return softDelete(this.db, 'roles', id, { actor, expectedVersion }) as Promise<RoleRow>;
  }

  async restore(id: string, actor: string): Promise<RoleRow> {
    return restore(this.db, 'roles', id, { actor }) as Promise<RoleRow>;
  }
}
