import { sql } from 'kysely';
import type { SelectQueryBuilder } from 'kysely';
import { kitErrors } from '../errors/kit.errors.ts';

/** A list's order: `column` as TypeScript names it (camelCase), ties broken by id in the same direction. */
export interface SortOrder {
  column: string;
  direction: 'asc' | 'desc';
}

export interface PageOptions {
  limit: number;
  cursor?: string;
  sort: SortOrder;
  /** The unique column that breaks ties (default `id`). */
  idColumn?: string;
}

export interface Page<Row> {
  items: Row[];
  nextCursor: string | null;
}

/** An opaque cursor: base64url of the JSON array. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The values of a cursor from `encodeCursor`; anything else is an INVALID_CURSOR problem. */
export function decodeCursor(cursor: string): unknown[] {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values)) return values;
  } catch {
    // Falls through to the problem below.
  }
  throw kitErrors.create.INVALID_CURSOR('The cursor was not made by this service');
}

/**
 * Reads `sort=-createdAt` (a leading `-` means descending) against the columns a list allows;
 * `fallback` when absent. An unknown column is a VALIDATION_FAILED problem.
 */
export function parseSort(
  sort: string | undefined,
  allowed: readonly string[],
  fallback: SortOrder,
): SortOrder {
  if (sort === undefined || sort === '') return fallback;
  const direction = sort.startsWith('-') ? 'desc' : 'asc';
  const column = direction === 'desc' ? sort.slice(1) : sort;
  if (!allowed.includes(column)) {
    const message = `sort must be one of ${allowed.join(', ')}, with a leading - for descending order`;
    throw kitErrors.create.VALIDATION_FAILED(message, { errors: [{ field: '/sort', message }] });
  }
  return { column, direction };
}

// The sort value as the database prints it, selected beside the row: a timestamptz holds microseconds that a
// JavaScript Date would drop, and a cursor rounded down would show the boundary row again on the next page.
const CURSOR_VALUE = 'lessorCursorValue';

/**
 * One page of a keyset-paginated list, ordered by (sort column, id), stable when sort values tie. Fetches
 * limit + 1 rows to know whether a next page exists. The cursor records the sort, so a cursor from another
 * sort is INVALID_CURSOR. The sort column must be NOT NULL. Do not add an order by to `query`.
 */
export async function paginate<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: PageOptions,
): Promise<Page<O>> {
  const { limit, sort } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`paginate: limit must be a positive integer, not ${limit}`);
  }
  const idColumn = options.idColumn ?? 'id';
  const sortRef = sql.ref(sort.column);
  const idRef = sql.ref(idColumn);

  let page = query
    .select(sql<string | null>`${sortRef}::text`.as(CURSOR_VALUE))
    .orderBy(sortRef, sort.direction)
    .orderBy(idRef, sort.direction)
    .limit(limit + 1);
  if (options.cursor !== undefined) {
    const values = decodeCursor(options.cursor);
    const [column, direction, value, id] = values;
    if (
      values.length !== 4 ||
      column !== sort.column ||
      direction !== sort.direction ||
      typeof value !== 'string' ||
      (typeof id !== 'string' && typeof id !== 'number')
    ) {
      throw kitErrors.create.INVALID_CURSOR('The cursor belongs to another sort or list');
    }
    // A row comparison: after (value, id) in the list's order. Postgres types the parameters from the columns.
    const after = sort.direction === 'asc' ? sql`>` : sql`<`;
    page = page.where(sql<boolean>`(${sortRef}, ${idRef}) ${after} (${value}, ${id})`);
  }

  const rows = await page.execute().catch((error: unknown) => {
    // A cursor edited by hand can hold a value the column's type rejects (SQLSTATE class 22, data exception).
    if (options.cursor !== undefined && isDataException(error)) {
      throw kitErrors.create.INVALID_CURSOR('The cursor holds a value this list cannot sort by', {
        cause: error,
      });
    }
    throw error;
  });
  const items = rows.slice(0, limit).map((row) => {
    const { [CURSOR_VALUE]: _cursorValue, ...item } = row as Record<string, unknown>;
    return item as O;
  });
  const last = rows.length > limit ? (rows[limit - 1] as Record<string, unknown>) : undefined;
  if (!last) return { items, nextCursor: null };
  const lastValue = last[CURSOR_VALUE];
  if (lastValue === null) {
    throw new Error(`paginate: ${sort.column} is null in a row; sort only on NOT NULL columns`);
  }
  const idKey = idColumn.split('.').at(-1) ?? idColumn;
  return { items, nextCursor: encodeCursor([sort.column, sort.direction, lastValue, last[idKey]]) };
}

function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}
