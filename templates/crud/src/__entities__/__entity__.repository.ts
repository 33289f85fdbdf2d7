import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, type ListFilter, type Page } from '@lessor/service-kit';
import type { __Entities__Table, __Name__Database } from '../database.ts';
import { __ENTITY___SORT_FIELDS } from './__entity__.schemas.ts';

export type __Entity__Row = Selectable<__Entities__Table>;

/** The SQL of __entitiesWords__: the kit's list, find, insert, versioned update, soft delete and restore, and search. */
export class __Entity__Repository extends BusinessRepository<__Name__Database, '__entitiesCamel__'> {
  constructor(db: Kysely<__Name__Database>) {
    super(db, '__entitiesCamel__', {
      sortable: __ENTITY___SORT_FIELDS,
      fallback: { column: 'name', direction: 'asc' },
    });
  }

  /** __Entities__ whose name holds `q` (any case); a LIKE wildcard typed by a person is a literal character. */
  search(filter: ListFilter & { q?: string }): Promise<Page<__Entity__Row>> {
    return this.list(filter, (query) => {
      if (filter.q === undefined) return query;
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return query.where(sql<boolean>`lower(name) like lower(${pattern})`);
    });
  }
}
