import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { kitMigrations, migrate, openDatabase } from '../src/db/index.ts';
import type { Migration } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { Backend, TestDatabase } from '../src/testing/index.ts';

const kitNames = kitMigrations.map((migration) => migration.name);

const shopMigrations: Migration[] = [
  {
    name: '0001_orders',
    async up(db) {
      await db.schema
        .createTable('orders')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
    },
  },
  {
    name: '0002_order_notes',
    async up(db) {
      await db.schema.alterTable('orders').addColumn('note', 'text').execute();
    },
  },
];

async function appliedNames(database: TestDatabase<unknown>): Promise<string[]> {
  const result = await sql<{ name: string }>`select name from lessor_migrations order by name`.execute(
    database.db,
  );
  return result.rows.map((row) => row.name);
}

async function withDatabase(backend: Backend, test: (database: TestDatabase<unknown>) => Promise<void>) {
  const database = await createTestDatabase<unknown>(backend, { schema: 'shop' });
  try {
    await test(database);
  } finally {
    await database.dispose();
  }
}

describe.each(testBackends())('migrate on %s', (backend) => {
  it("should apply the kit's migrations then the service's, in order, when the schema is new", async () => {
    await withDatabase(backend, async (database) => {
      const result = await migrate(database, shopMigrations);
      expect(result.applied).toEqual([...kitNames, '0001_orders', '0002_order_notes']);
      expect(await appliedNames(database)).toEqual(result.applied);
      await sql`insert into orders (id, note) values (1, 'works')`.execute(database.db);
    });
  });

  it('should apply nothing when every migration is applied already', async () => {
    await withDatabase(backend, async (database) => {
      await migrate(database, shopMigrations);
      expect(await migrate(database, shopMigrations)).toEqual({ applied: [] });
    });
  });

  it('should apply only the new migrations when the code gained some', async () => {
    await withDatabase(backend, async (database) => {
      await migrate(database, shopMigrations.slice(0, 1));
      expect(await migrate(database, shopMigrations)).toEqual({ applied: ['0002_order_notes'] });
    });
  });

  it('should not apply the kit migrations twice when the caller lists them too', async () => {
    await withDatabase(backend, async (database) => {
      const result = await migrate(database, [...kitMigrations, ...shopMigrations]);
      expect(result.applied).toEqual([...kitNames, '0001_orders', '0002_order_notes']);
    });
  });

  it('should apply each migration exactly once when replicas migrate concurrently', async () => {
    await withDatabase(backend, async (first) => {
      // A second handle on the same database, as a second replica has.
      const second = await openDatabase<unknown>({ url: first.url, schema: 'shop' });
      try {
        const counted: Migration[] = shopMigrations.map((migration) => ({
          name: migration.name,
          async up(db) {
            await migration.up(db);
            // Sleeping inside the migration widens the window in which a second runner could slip in.
            await sql`select pg_sleep(0.05)`.execute(db);
          },
        }));
        for (let round = 0; round < 3; round += 1) {
          const results = await Promise.all([
            migrate(first, counted),
            migrate(second, counted),
            migrate(first, counted),
          ]);
          const applied = results.flatMap((result) => result.applied);
          expect(applied.sort()).toEqual(
            round === 0 ? [...kitNames, '0001_orders', '0002_order_notes'].sort() : [],
          );
        }
        expect(await appliedNames(first)).toEqual([...kitNames, '0001_orders', '0002_order_notes']);
      } finally {
        await second.close();
      }
    });
  });

  it('should roll back a failing migration entirely and keep the earlier ones when one fails', async () => {
    await withDatabase(backend, async (database) => {
      const broken: Migration = {
        name: '0003_broken',
        async up(db) {
          await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
          await sql`select * from missing_table`.execute(db);
        },
      };
      await expect(migrate(database, [...shopMigrations, broken])).rejects.toThrow(/0003_broken failed/);
      expect(await appliedNames(database)).toEqual([...kitNames, '0001_orders', '0002_order_notes']);
      const tables =
        await sql`select 1 from information_schema.tables where table_schema = 'shop' and table_name = 'half_done'`.execute(
          database.db,
        );
      expect(tables.rows).toEqual([]);
      // The advisory lock was released: the next run goes ahead.
      expect(await migrate(database, shopMigrations)).toEqual({ applied: [] });
    });
  });

  it('should refuse to start when the database has a migration the code does not know', async () => {
    await withDatabase(backend, async (database) => {
      await migrate(database, shopMigrations);
      await expect(migrate(database, shopMigrations.slice(0, 1))).rejects.toThrow(
        /0002_order_notes.*older than the database/,
      );
    });
  });

  it('should refuse migrations when they are not in strictly increasing order', async () => {
    await withDatabase(backend, async (database) => {
      const [first, second] = shopMigrations as [Migration, Migration];
      await expect(migrate(database, [second, first])).rejects.toThrow(/strictly increasing/);
      await expect(migrate(database, [first, first])).rejects.toThrow(/strictly increasing/);
      await expect(migrate(database, [{ ...first, name: 'orders' }])).rejects.toThrow(/must match/);
      const table =
        await sql`select 1 from information_schema.tables where table_schema = 'shop' and table_name = 'lessor_migrations'`.execute(
          database.db,
        );
      expect(table.rows).toEqual([]);
    });
  });
});
