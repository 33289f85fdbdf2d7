import { sql } from 'kysely';
import type {
  CreateTableBuilder,
  Generated,
  Kysely,
  Selectable,
  SelectQueryBuilder,
  Updateable,
} from 'kysely';
import { v7 } from 'uuid';
import { kitErrors } from '../errors/kit.errors.ts';

/** The columns every business table has (ARCHITECTURE.md §4 Data), as a Kysely table type fragment. */
export interface BusinessColumns {
  id: string;
  createdAt: Generated<Date>;
  createdBy: string;
  updatedAt: Generated<Date>;
  updatedBy: string;
  version: Generated<number>;
  deletedAt: Date | null;
  deletedBy: string | null;
}

/** A new row id: UUIDv7, so ids sort by creation time and index well. */
export function newId(): string {
  return v7();
}

/**
 * Adds the business columns to a table being created, first, so every service's tables look the same:
 * `id`, `created_at/_by`, `updated_at/_by`, `version` (for If-Match), `deleted_at/_by` (soft delete).
 */
export function withBusinessColumns<T extends CreateTableBuilder<string, string>>(table: T): T {
  return table
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('deleted_by', 'text') as unknown as T;
}

/**
 * Makes the database refuse physical DELETE and TRUNCATE on `table` (SQLSTATE `LS001`), through the kit's
 * `lessor_refuse_delete()` trigger function. Call it in the migration that creates a business table.
 */
export async function protectBusinessTable<DB>(db: Kysely<DB>, table: string): Promise<void> {
  await sql`create trigger lessor_refuse_delete before delete on ${sql.table(table)}
    for each row execute function lessor_refuse_delete()`.execute(db);
  await sql`create trigger lessor_refuse_truncate before truncate on ${sql.table(table)}
    for each statement execute function lessor_refuse_delete()`.execute(db);
}

/** Which rows a list shows: live ones (the default), all, or only the soft-deleted (an admin's restore list). */
export type DeletedFilter = 'exclude' | 'include' | 'only';

/** Applies a `DeletedFilter` to a select; `column` names `deleted_at` when the query joins several tables. */
export function applyDeletedFilter<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: DeletedFilter = 'exclude',
  column = 'deleted_at',
): SelectQueryBuilder<DB, TB, O> {
  if (filter === 'include') return query;
  return query.where(
    sql<boolean>`${sql.ref(column)} ${filter === 'exclude' ? sql`is null` : sql`is not null`}`,
  );
}

/**
 * Updates a live row if it is still at `expectedVersion` (optimistic concurrency, If-Match): bumps `version`,
 * stamps `updated_at/_by`, returns the new row. NOT_FOUND when absent or soft-deleted, PRECONDITION_FAILED when
 * someone changed it since.
 */
export async function updateVersioned<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  table: TB,
  id: string,
  expectedVersion: number,
  changes: Updateable<DB[TB]>,
  actor: string,
): Promise<Selectable<DB[TB]>> {
  return changeRow(db as unknown as Kysely<AnyTables>, table, id, { ...changes }, actor, {
    expectedVersion,
    deleted: false,
  });
}

/** Soft-deletes a live row at `expectedVersion`: sets `deleted_at/_by`, bumps `version`; returns the row. */
export async function softDelete<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  table: TB,
  id: string,
  options: { actor: string; expectedVersion: number },
): Promise<Selectable<DB[TB]>> {
  const changes = { deletedAt: sql`now()`, deletedBy: options.actor };
  return changeRow(db as unknown as Kysely<AnyTables>, table, id, changes, options.actor, {
    expectedVersion: options.expectedVersion,
    deleted: false,
  });
}

/**
 * Restores a soft-deleted row (at `expectedVersion` when given): clears `deleted_at/_by`, bumps `version`;
 * returns the row. CONFLICT when the row is not deleted.
 */
export async function restore<DB, TB extends keyof DB & string>(
  db: Kysely<DB>,
  table: TB,
  id: string,
  options: { actor: string; expectedVersion?: number },
): Promise<Selectable<DB[TB]>> {
  const changes = { deletedAt: null, deletedBy: null };
  return changeRow(db as unknown as Kysely<AnyTables>, table, id, changes, options.actor, {
    expectedVersion: options.expectedVersion,
    deleted: true,
  });
}

// Any business table, by name: the exported signatures above give callers their table's types.
type AnyTables = Record<string, Record<string, unknown>>;

async function changeRow<Row>(
  kysely: Kysely<AnyTables>,
  table: string,
  id: string,
  changes: Record<string, unknown>,
  actor: string,
  expect: { expectedVersion: number | undefined; deleted: boolean },
): Promise<Row> {
  // The stamps come last so that `changes` cannot set them.
  const set = { ...changes, version: sql`version + 1`, updatedAt: sql`now()`, updatedBy: actor };
  let update = kysely
    .updateTable(table)
    .set(set)
    .where('id', '=', id)
    .where('deleted_at', expect.deleted ? 'is not' : 'is', null);
  if (expect.expectedVersion !== undefined) update = update.where('version', '=', expect.expectedVersion);
  const row = await update.returningAll().executeTakeFirst();
  if (row) return row as Row;

  // Nothing matched: say why. (A change between the two statements can only make the answer older, not wrong.)
  const current = await kysely
    .selectFrom(table)
    .select(['version', 'deleted_at as deletedAt'])
    .where('id', '=', id)
    .executeTakeFirst();
  const isDeleted = current?.deletedAt !== null && current?.deletedAt !== undefined;
  if (!current || (isDeleted && !expect.deleted)) {
    throw kitErrors.create.NOT_FOUND(`${table} ${id} does not exist`);
  }
  if (!isDeleted && expect.deleted) throw kitErrors.create.CONFLICT(`${table} ${id} is not deleted`);
  throw kitErrors.create.PRECONDITION_FAILED(
    `${table} ${id} is at version ${String(current.version)}, not ${String(expect.expectedVersion)}`,
  );
}
