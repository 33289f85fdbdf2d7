import { sql } from 'kysely';
import type { Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDeletedFilter, encodeCursor, newId, paginate } from '../src/db/index.ts';
import type { SortOrder } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

interface ContractsDb {
  contracts: {
    id: string;
    customerName: string;
    amount: string;
    signedAt: Date;
    deletedAt: Date | null;
    seq: Generated<number>;
  };
}

async function problemCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe.each(testBackends())('paginate on %s', (backend) => {
  let database: TestDatabase<ContractsDb>;
  let rows: { id: string; customerName: string; amount: string; signedAt: Date }[];

  beforeAll(async () => {
    database = await createTestDatabase<ContractsDb>(backend, { schema: 'leasing' });
    await sql`create table contracts (
      id uuid primary key, customer_name text not null, amount numeric(18, 2) not null,
      signed_at timestamptz not null, deleted_at timestamptz, seq serial)`.execute(database.db);
    // 25 rows, but only 4 distinct customer names and 5 distinct amounts: every page boundary falls among ties.
    rows = Array.from({ length: 25 }, (_, index) => ({
      id: newId(),
      customerName: ['Acme', 'Bolt', 'Crane', 'Dyna'][index % 4] ?? '',
      amount: `${(index % 5) * 100}.50`,
      signedAt: new Date(Date.UTC(2024, 0, 1 + (index % 3))),
    }));
    await database.db.insertInto('contracts').values(rows).execute();
    // Microseconds a JavaScript Date cannot hold: the cursor must keep them.
    await sql`update contracts set signed_at = signed_at + (seq * interval '1 microsecond') * 7`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function pageThrough(sort: SortOrder, limit: number) {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await paginate(database.db.selectFrom('contracts').selectAll(), {
        limit,
        sort,
        ...(cursor ? { cursor } : {}),
      });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return pages;
  }

  async function expectedOrder(sort: SortOrder): Promise<string[]> {
    const column = sql.ref(sort.column);
    const ordered = await database.db
      .selectFrom('contracts')
      .select('id')
      .orderBy(column, sort.direction)
      .orderBy('id', sort.direction)
      .execute();
    return ordered.map((row) => row.id);
  }

  it.each<SortOrder>([
    { column: 'customerName', direction: 'asc' },
    { column: 'customerName', direction: 'desc' },
    { column: 'amount', direction: 'asc' },
    { column: 'signedAt', direction: 'desc' },
    { column: 'signedAt', direction: 'asc' },
  ])(
    'should give every row exactly once, in order, when paging by 10 sorted by $column $direction',
    async (sort) => {
      const pages = await pageThrough(sort, 10);
      expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(await expectedOrder(sort));
    },
  );

  it('should return no next cursor when the last page is exactly full', async () => {
    const pages = await pageThrough({ column: 'customerName', direction: 'asc' }, 5);
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 5]);
  });

  it('should return rows without the cursor helper column when paging', async () => {
    const page = await paginate(database.db.selectFrom('contracts').select(['id', 'amount']), {
      limit: 2,
      sort: { column: 'amount', direction: 'asc' },
    });
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(['amount', 'id']);
  });

  it('should combine with the deleted filter when a list leaves deleted rows out', async () => {
    const [first] = rows;
    await database.db
      .updateTable('contracts')
      .set({ deletedAt: new Date() })
      .where('id', '=', first!.id)
      .execute();
    const page = await paginate(applyDeletedFilter(database.db.selectFrom('contracts').selectAll()), {
      limit: 100,
      sort: { column: 'customerName', direction: 'asc' },
    });
    expect(page.items).toHaveLength(24);
    expect(page.items.map((item) => item.id)).not.toContain(first!.id);
    await database.db.updateTable('contracts').set({ deletedAt: null }).where('id', '=', first!.id).execute();
  });

  it('should answer INVALID_CURSOR when the cursor comes from another sort', async () => {
    const first = await paginate(database.db.selectFrom('contracts').selectAll(), {
      limit: 10,
      sort: { column: 'customerName', direction: 'asc' },
    });
    const query = database.db.selectFrom('contracts').selectAll();
    const options = { limit: 10, cursor: first.nextCursor ?? '' };
    expect(
      await problemCode(paginate(query, { ...options, sort: { column: 'customerName', direction: 'desc' } })),
    ).toBe('INVALID_CURSOR');
    expect(
      await problemCode(paginate(query, { ...options, sort: { column: 'amount', direction: 'asc' } })),
    ).toBe('INVALID_CURSOR');
  });

  it('should answer INVALID_CURSOR when the cursor is garbage or holds values of the wrong type', async () => {
    const query = database.db.selectFrom('contracts').selectAll();
    const sort = { column: 'signedAt', direction: 'asc' } as const;
    for (const cursor of [
      'garbage!',
      encodeCursor(['signedAt', 'asc']),
      encodeCursor(['signedAt', 'asc', 'not a time', newId()]),
      encodeCursor(['signedAt', 'asc', '2024-01-01 00:00:00+00', 'not-a-uuid']),
    ]) {
      expect(await problemCode(paginate(query, { limit: 10, sort, cursor }))).toBe('INVALID_CURSOR');
    }
  });
});
