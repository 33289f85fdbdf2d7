import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import { dropRunDatabases } from '../src/testing/test-database.ts';
import { dropStaleTemplates, templateName } from '../src/testing/template-database.ts';
import type { TestDatabase } from '../src/testing/index.ts';

async function tablesOf(database: TestDatabase<unknown>): Promise<string[]> {
  const result = await sql<{ tableName: string }>`
    select table_name from information_schema.tables where table_schema = ${database.schema}`.execute(
    database.db,
  );
  return result.rows.map((row) => row.tableName);
}

/** A migration creating `table`; `mark` goes into its code, so each call gives a template not built before. */
function creating(table: string, mark: string): Migration {
  return {
    name: '0001_create',
    up: new Function(
      'db',
      `return db.schema.createTable('${table}').addColumn('${mark}', 'text').execute()`,
    ) as Migration['up'],
  };
}

async function asAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
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

  it('should remove the database when disposed outside a run', async () => {
    const run = process.env.LESSOR_TEST_RUN;
    delete process.env.LESSOR_TEST_RUN;
    try {
      const database = await createTestDatabase<unknown>(backend, { schema: 'files' });
      await database.dispose();
      await database.dispose(); // a second dispose is harmless
      const url = new URL(database.url);
      const name = url.pathname.slice(1);
      url.pathname = '/postgres';
      expect(name).toMatch(/^lessor_test_[0-9a-f]{12}$/);
      expect(await databaseExists(url.toString(), name)).toBe(false);
    } finally {
      if (run !== undefined) process.env.LESSOR_TEST_RUN = run;
    }
  });

  it("should close the database when disposed in a run, and drop it with the run's others at its end", async () => {
    const run = process.env.LESSOR_TEST_RUN;
    // A run of its own, so that dropping its databases leaves this run's alone.
    const mine = `t${Date.now().toString(36)}`;
    process.env.LESSOR_TEST_RUN = mine;
    try {
      const [one, two] = await Promise.all([
        createTestDatabase<unknown>(backend, { schema: 'files' }),
        createTestDatabase<unknown>(backend, { schema: 'files', migrations: [] }),
      ]);
      await Promise.all([one.dispose(), two.dispose()]);
      const url = new URL(one.url);
      const name = url.pathname.slice(1);
      url.pathname = '/postgres';
      expect(name.replace(mine, '<run>')).toMatch(/^lessor_test_<run>_[0-9a-f]{12}$/);
      expect(await databaseExists(url.toString(), name)).toBe(true);

      expect(await dropRunDatabases(url.toString(), mine)).toBe(2);
      expect(await databaseExists(url.toString(), name)).toBe(false);
      expect(await databaseExists(url.toString(), new URL(two.url).pathname.slice(1))).toBe(false);
    } finally {
      if (run === undefined) delete process.env.LESSOR_TEST_RUN;
      else process.env.LESSOR_TEST_RUN = run;
    }
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

  it('should clone a template migrated once when test files ask for the same migrations', async () => {
    const mark = `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const migrations = [creating('contracts', mark)];
    const template = templateName([{ schema: 'leasing', migrations }]);
    // Three at once: the template is built once, and each of the three is a clone of it.
    const clones = await Promise.all(
      [1, 2, 3].map(() => createTestDatabase<unknown>(backend, { schema: 'leasing', migrations })),
    );
    const url = new URL(clones[0]!.url);
    try {
      for (const clone of clones) {
        expect(await tablesOf(clone)).toEqual(
          expect.arrayContaining(['contracts', 'lessor_migrations', 'idempotency_keys']),
        );
      }
      // Each clone is its own database: a row in one is not in another.
      await sql`insert into contracts values ('only in the first')`.execute(clones[0]!.db);
      const other = await sql<{ n: string }>`select count(*) as n from contracts`.execute(clones[1]!.db);
      expect(Number(other.rows[0]!.n)).toBe(0);
      const applied = await sql<{ name: string }>`select name from lessor_migrations order by name`.execute(
        clones[2]!.db,
      );
      expect(applied.rows.map((row) => row.name)).toContain('0001_create');

      url.pathname = '/postgres';
      expect(await databaseExists(url.toString(), template)).toBe(true);
    } finally {
      await Promise.all(clones.map((clone) => clone.dispose()));
      // This template is this test's alone (its mark): nothing else will clone it.
      await asAdmin(url.toString(), `alter database ${template} with is_template false`);
      await asAdmin(url.toString(), `drop database ${template}`);
    }
  });

  it('should build another template when a migration changes, and give its tables', async () => {
    const before = creating('contracts', 'number');
    const after = creating('contracts', 'reference');
    expect(templateName([{ schema: 'leasing', migrations: [before] }])).not.toBe(
      templateName([{ schema: 'leasing', migrations: [after] }]),
    );
    expect(templateName([{ schema: 'leasing', migrations: [before] }])).not.toBe(
      templateName([{ schema: 'billing', migrations: [before] }]),
    );
    const database = await createTestDatabase<unknown>(backend, { schema: 'leasing', migrations: [after] });
    try {
      const columns = await sql<{ columnName: string }>`
        select column_name from information_schema.columns
        where table_schema = 'leasing' and table_name = 'contracts'`.execute(database.db);
      expect(columns.rows.map((row) => row.columnName)).toEqual(['reference']);
    } finally {
      await database.dispose();
    }
  });

  it('should migrate every schema it is given into the one database', async () => {
    const database = await createTestDatabase<unknown>(backend, {
      schema: 'lessor_bus',
      migrations: [],
      alsoMigrated: [
        { schema: 'parties', migrations: [creating('parties', 'name')] },
        { schema: 'assets', migrations: [creating('assets', 'serial')] },
      ],
    });
    try {
      const tables = await sql<{ schema: string; table: string }>`
        select table_schema as schema, table_name as table from information_schema.tables
        where table_schema in ('lessor_bus', 'parties', 'assets') and table_name not in ('idempotency_keys')
        order by 1, 2`.execute(database.db);
      expect(tables.rows).toEqual([
        { schema: 'assets', table: 'assets' },
        { schema: 'assets', table: 'lessor_migrations' },
        { schema: 'lessor_bus', table: 'lessor_migrations' },
        { schema: 'parties', table: 'lessor_migrations' },
        { schema: 'parties', table: 'parties' },
      ]);
    } finally {
      await database.dispose();
    }
  });

  it('should drop a template no run cloned for a week, and build it again when a file asks for it', async () => {
    const migrations = [
      creating('invoices', `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`),
    ];
    const template = templateName([{ schema: 'billing', migrations }]);
    const first = await createTestDatabase<unknown>(backend, { schema: 'billing', migrations });
    const admin = new URL(first.url);
    admin.pathname = '/postgres';
    await first.dispose();
    try {
      expect(await dropStaleTemplates(admin.toString())).not.toContain(template);
      expect(await databaseExists(admin.toString(), template)).toBe(true);

      await asAdmin(
        admin.toString(),
        `comment on database ${template} is 'last cloned 2020-01-01T00:00:00Z'`,
      );
      expect(await dropStaleTemplates(admin.toString())).toContain(template);
      expect(await databaseExists(admin.toString(), template)).toBe(false);

      // This process still knows the template's name: the clone finds it gone and builds it again.
      const second = await createTestDatabase<unknown>(backend, { schema: 'billing', migrations });
      try {
        expect(await tablesOf(second)).toEqual(expect.arrayContaining(['invoices', 'lessor_migrations']));
      } finally {
        await second.dispose();
      }
    } finally {
      await asAdmin(admin.toString(), `alter database ${template} with is_template false`).catch(() => {});
      await asAdmin(admin.toString(), `drop database if exists ${template}`);
    }
  });
});
