import type { Insertable, Kysely, Selectable, SelectQueryBuilder, Updateable } from 'kysely';
import {
  applyDeletedFilter,
  newId,
  restore,
  softDelete,
  updateVersioned,
  type DeletedFilter,
} from './business-table.ts';
import { paginate, parseSort, type Page, type SortOrder } from './pagination.ts';
import { preparedQuery, type PreparedQuery } from './prepared-query.ts';

/** What a business table's list endpoint takes: paging, sort, and which rows (live, all, deleted). */
export interface ListFilter {
  deleted: DeletedFilter;
  sort?: string;
  cursor?: string;
  limit: number;
}

/** The columns the repository fills itself on insert; callers give the rest. */
type Stamped =
  'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy' | 'version' | 'deletedAt' | 'deletedBy';

/**
 * The SQL every business table needs, once: list with paging and the deleted filter, find, insert with
 * the audit stamps, versioned update, soft delete and restore. A service's repository extends it and adds
 * the queries of its own (`findByTaxId`, …). Works inside a transaction when built on `trx`.
 */
export class BusinessRepository<DB, TB extends keyof DB & string> {
  constructor(
    protected readonly db: Kysely<DB>,
    protected readonly table: TB,
    private readonly sorting: { sortable: readonly string[]; fallback: SortOrder },
  ) {}

  /** A page of rows; `narrow` adds the list's own filters (search, status…). */
  async list(
    filter: ListFilter,
    narrow: (
      query: SelectQueryBuilder<DB, TB, Selectable<DB[TB]>>,
    ) => SelectQueryBuilder<DB, TB, Selectable<DB[TB]>> = (q) => q,
  ): Promise<Page<Selectable<DB[TB]>>> {
    const base = (this.db as unknown as Kysely<Record<string, unknown>>)
      .selectFrom(this.table)
      .selectAll() as unknown as SelectQueryBuilder<DB, TB, Selectable<DB[TB]>>;
    return paginate(narrow(applyDeletedFilter(base, filter.deleted)), {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: parseSort(filter.sort, this.sorting.sortable, this.sorting.fallback),
    });
  }

  /** The row with this id; a soft-deleted one only when asked for. */
  async find(
    id: string,
    options: { includeDeleted?: boolean } = {},
  ): Promise<Selectable<DB[TB]> | undefined> {
    const find = findQuery(this.table, options.includeDeleted === true);
    return (await find.executeTakeFirst(this.#anyDb, { id })) as Selectable<DB[TB]> | undefined;
  }

  /** Inserts a row with a new UUIDv7 id, stamped as created and updated by `actor`. */
  async insert(values: Omit<Insertable<DB[TB]>, Stamped>, actor: string): Promise<Selectable<DB[TB]>> {
    return (await this.#anyDb
      .insertInto(this.table)
      .values({
        ...values,
        id: newId(),
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as Selectable<DB[TB]>;
  }

  /** Changes a live row at `expectedVersion` (If-Match); NOT_FOUND or PRECONDITION_FAILED otherwise. */
  update(
    id: string,
    expectedVersion: number,
    changes: Updateable<DB[TB]>,
    actor: string,
  ): Promise<Selectable<DB[TB]>> {
    return updateVersioned(this.db, this.table, id, expectedVersion, changes, actor);
  }

  softDelete(id: string, expectedVersion: number, actor: string): Promise<Selectable<DB[TB]>> {
    return softDelete(this.db, this.table, id, { actor, expectedVersion });
  }

  restore(id: string, actor: string): Promise<Selectable<DB[TB]>> {
    return restore(this.db, this.table, id, { actor });
  }

  // Kysely cannot type a query over a table chosen by a type parameter; the public signatures carry the types.
  get #anyDb(): Kysely<Record<string, Record<string, unknown>>> {
    return this.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  }
}

type AnyDb = Record<string, Record<string, unknown>>;
type FindQuery = PreparedQuery<AnyDb, { id: string }, Record<string, unknown>>;
const findQueries = new Map<string, FindQuery>();

/** `find` of a table, compiled once per database: the read every detail page and composed read makes. */
function findQuery(table: string, includeDeleted: boolean): FindQuery {
  const key = `${table}\u0000${includeDeleted}`;
  let query = findQueries.get(key);
  if (!query) {
    query = preparedQuery<AnyDb, { id: string }, Record<string, unknown>>((db, param) => {
      const byId = db.selectFrom(table).selectAll().where('id', '=', param('id'));
      return includeDeleted ? byId : byId.where('deletedAt', 'is', null);
    });
    findQueries.set(key, query);
  }
  return query;
}
