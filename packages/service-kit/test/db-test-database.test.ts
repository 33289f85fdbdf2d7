import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

async function tablesOf(database: TestDatabase<unknown>): Promise<string[]> {
  const result = await sql<{ tableName: string }>`
    select table_name from information_schema.tables where table_schema = ${database.schema}`.execute(
    database.db,
  );
  return result.rows.map((row) => row.tableName);
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('testBackends', () => {
  it('should be PostgreSQL alone: the configured server or the embedded one started for the run', () => {
    expect(testBackends()).toEqual(['postgres']);
  });
});

describe.each(testBackends())('createTestDatabase on %s', (backend) => {
  it('should start empty when a test database with a used schema name is created again', async () => {
    const first = await createTestDatabase<unknown>(backend, { schema: 'assets', migrations: [] });
    expect(await tablesOf(first)).toEqual(expect.arrayContaining(['lessor_migrations', 'idempotency_keys']));
    await sql`create table leftovers (id int)`.execute(first.db);
    await first.dispose();

    const second = await createTestDatabase<unknown>(backend, { schema: 'assets' });
    try {
      expect(await tablesOf(second)).toEqual([]);
      await second.ping();
    } finally {
      await second.dispose();
    }
  });

  it('should remove the database when disposed', async () => {
    const database = await createTestDatabase<unknown>(backend, { schema: 'files' });
    await database.dispose();
    await database.dispose(); // a second dispose is harmless
    const url = new URL(database.url);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    expect(name).toMatch(/^lessor_test_[0-9a-f]{12}$/);
    expect(await databaseExists(url.toString(), name)).toBe(false);
  });

  it('should give an independent database when a second open test database has the same schema', async () => {
    const [one, two] = await Promise.all([
      createTestDatabase<unknown>(backend, { schema: 'audit' }),
      createTestDatabase<unknown>(backend, { schema: 'audit' }),
    ]);
    try {
      await sql`create table only_in_one (id int)`.execute(one.db);
      expect(await tablesOf(one)).toEqual(['only_in_one']);
      expect(await tablesOf(two)).toEqual([]);
    } finally {
      await Promise.all([one.dispose(), two.dispose()]);
    }
  });

  it('should keep two test databases apart when both are open', async () => {
    const [one, two] = await Promise.all([
      createTestDatabase<unknown>(backend, { schema: 'parties' }),
      createTestDatabase<unknown>(backend, { schema: 'billing' }),
    ]);
    try {
      await sql`create table only_here (id int)`.execute(one.db);
      expect(await tablesOf(one)).toEqual(['only_here']);
      expect(await tablesOf(two)).toEqual([]);
    } finally {
      await Promise.all([one.dispose(), two.dispose()]);
    }
  });
});
