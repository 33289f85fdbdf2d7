import { setTimeout as sleep } from 'node:timers/promises';
import { AbortedTransactionError, sql } from 'kysely';
import type { Generated, Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePostgresDatabase, openDatabase } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

interface NotesDb {
  notes: { id: Generated<number>; author: string; body: string };
}

async function createNotes(db: Kysely<NotesDb>): Promise<void> {
  await sql`create table notes (id serial primary key, author text not null, body text not null unique)`.execute(
    db,
  );
}

async function bodies(db: Kysely<NotesDb>): Promise<string[]> {
  const rows = await db.selectFrom('notes').select('body').orderBy('body').execute();
  return rows.map((row) => row.body);
}

class Rollback extends Error {}

describe.each(testBackends())('the database handle on %s', (backend) => {
  // Two services, each in its own schema and database.
  let sales: TestDatabase<NotesDb>;
  let stock: TestDatabase<NotesDb>;

  beforeAll(async () => {
    sales = await createTestDatabase<NotesDb>(backend, { schema: 'sales' });
    stock = await createTestDatabase<NotesDb>(backend, { schema: 'stock' });
    await createNotes(sales.db);
    await createNotes(stock.db);
  });
  afterAll(async () => {
    await sales?.dispose();
    await stock?.dispose();
  });

  it('should keep a committed row when a concurrent transaction rolls back', async () => {
    const events: string[] = [];
    let releaseA!: () => void;
    const gate = new Promise<void>((resolve) => (releaseA = resolve));

    const a = sales.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ author: 'a', body: 'kept by A' }).execute();
      events.push('A inserted');
      await gate;
      events.push('A commits');
    });
    await sleep(20);
    const b = stock.db
      .transaction()
      .execute(async (trx) => {
        events.push('B runs');
        await trx.insertInto('notes').values({ author: 'b', body: 'rolled back by B' }).execute();
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
    await sleep(50);
    releaseA();
    await Promise.all([a, b]);

    expect(await bodies(sales.db)).toContain('kept by A');
    expect(await bodies(stock.db)).not.toContain('rolled back by B');
    // Two sessions: B runs while A still holds its transaction open.
    expect(events).toEqual(['A inserted', 'B runs', 'A commits']);
  });

  it('should keep every committed row when many transactions of two schemas run at once', async () => {
    const run = (database: TestDatabase<NotesDb>, prefix: string, index: number) =>
      database.db
        .transaction()
        .execute(async (trx) => {
          for (let row = 0; row < 3; row += 1) {
            await trx
              .insertInto('notes')
              .values({ author: prefix, body: `${prefix}-${index}-${row}` })
              .execute();
            await sleep(Math.random() * 3);
          }
          if (index % 5 === 0) throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => [run(sales, 'many', index), run(stock, 'many', index)]).flat(),
    );

    const expected = Array.from({ length: 20 }, (_, index) => index)
      .filter((index) => index % 5 !== 0)
      .flatMap((index) => [0, 1, 2].map((row) => `many-${index}-${row}`))
      .sort();
    for (const database of [sales, stock]) {
      const rows = await database.db
        .selectFrom('notes')
        .select('body')
        .where('author', '=', 'many')
        .execute();
      expect(rows.map((row) => row.body).sort()).toEqual(expected);
    }
  });

  it('should roll back every statement when a transaction fails', async () => {
    const failing = sales.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ author: 'fail', body: 'fail-1' }).execute();
      await trx.insertInto('notes').values({ author: 'fail', body: 'fail-2' }).execute();
      await trx.insertInto('notes').values({ author: 'fail', body: 'fail-1' }).execute(); // unique violation
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });

    expect(await sales.db.selectFrom('notes').select('body').where('author', '=', 'fail').execute()).toEqual(
      [],
    );
    // The session is usable, outside any transaction, for the next caller.
    await sales.db.insertInto('notes').values({ author: 'after', body: 'after failure' }).execute();
    expect(await bodies(sales.db)).toContain('after failure');
  });

  it('should refuse to report a commit when a statement failed inside the transaction', async () => {
    const swallowed = sales.db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ author: 'aborted', body: 'aborted-1' }).execute();
      await sql`select 1 / 0`.execute(trx).catch(() => undefined);
    });
    await expect(swallowed).rejects.toBeInstanceOf(AbortedTransactionError);
    expect(
      await sales.db.selectFrom('notes').select('body').where('author', '=', 'aborted').execute(),
    ).toEqual([]);
  });

  it('should keep each service in its own schema when both have a table of one name', async () => {
    await sales.db.insertInto('notes').values({ author: 'schema', body: 'only in sales' }).execute();
    expect(await bodies(sales.db)).toContain('only in sales');
    expect(await bodies(stock.db)).not.toContain('only in sales');
    const paths = await Promise.all(
      [sales, stock].map((database) => sql<{ searchPath: string }>`show search_path`.execute(database.db)),
    );
    expect(paths.map((result) => result.rows[0]?.searchPath)).toEqual(['sales', 'stock']);
  });

  it('should undo only the work after a savepoint when rolling back to it', async () => {
    const trx = await sales.db.startTransaction().execute();
    await trx.insertInto('notes').values({ author: 'savepoint', body: 'outer' }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('notes').values({ author: 'savepoint', body: 'inner' }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await inner.commit().execute();
    const rows = await sales.db
      .selectFrom('notes')
      .select('body')
      .where('author', '=', 'savepoint')
      .execute();
    expect(rows.map((row) => row.body)).toEqual(['outer']);
  });

  it('should read values the same way when the engine differs', async () => {
    const result = await sql<Record<string, unknown>>`
      select 9007199254740993::int8 as big, 1250.10::numeric(18, 2) as amount, '2024-02-29'::date as due,
             '2024-02-29T10:00:00.123456Z'::timestamptz as at, '{"a": 1}'::jsonb as doc, 7::int4 as small,
             true as flag`.execute(sales.db);
    const row = result.rows[0];
    expect(row).toEqual({
      big: '9007199254740993',
      amount: '1250.10',
      due: '2024-02-29',
      at: new Date('2024-02-29T10:00:00.123Z'),
      doc: { a: 1 },
      small: 7,
      flag: true,
    });
  });

  it('should map snake_case columns to camelCase fields when reading and writing', async () => {
    await sql`create table line_items (line_id integer primary key, unit_price numeric not null)`.execute(
      sales.db,
    );
    const db = sales.db as unknown as Kysely<{ lineItems: { lineId: number; unitPrice: string } }>;
    await db.insertInto('lineItems').values({ lineId: 1, unitPrice: '9.99' }).execute();
    expect(await db.selectFrom('lineItems').selectAll().execute()).toEqual([
      { lineId: 1, unitPrice: '9.99' },
    ]);
  });

  it('should report affected rows when a statement changes rows', async () => {
    const result = await sales.db
      .updateTable('notes')
      .set({ author: 'counted' })
      .where('author', '=', 'many')
      .executeTakeFirst();
    expect(result.numUpdatedRows).toBe(48n); // 16 committed transactions of 3 rows
  });

  it('should refuse an invalid schema name when opening a database', async () => {
    await expect(openDatabase({ url: sales.url, schema: 'Sales; drop' })).rejects.toThrow(/must match/);
  });

  it('should leave other handles working when one handle closes', async () => {
    const extra = await openDatabase<NotesDb>({ url: sales.url, schema: 'sales' });
    await extra.ping();
    await extra.close();
    await expect(extra.ping()).rejects.toThrow();
    await sales.ping();
    expect((await bodies(sales.db)).length).toBeGreaterThan(0);
  });
});

describe('ensurePostgresDatabase', () => {
  it('should create the database once when replicas race to create it', async () => {
    const scratch = await createTestDatabase<unknown>('postgres', { schema: 'scratch' });
    const url = new URL(scratch.url!);
    url.pathname = `${url.pathname}_ensured`;
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: maintenance.toString() });
    await admin.connect();
    try {
      await Promise.all(Array.from({ length: 4 }, () => ensurePostgresDatabase(url.toString())));
      await ensurePostgresDatabase(url.toString());
      const database = await openDatabase<unknown>({ url: url.toString(), schema: 'scratch' });
      await database.ping();
      await database.close();
    } finally {
      await admin.query(`drop database if exists "${url.pathname.slice(1)}" with (force)`);
      await admin.end();
      await scratch.dispose();
    }
  });
});
