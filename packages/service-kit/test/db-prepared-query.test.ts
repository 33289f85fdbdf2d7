import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessRepository, newId, preparedQuery, withBusinessColumns } from '../src/db/index.ts';
import type { BusinessColumns, Migration } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

interface FleetDb {
  fleetCars: BusinessColumns & { plate: string; seatCount: number };
}

const migrations: Migration[] = [
  {
    name: '0001_fleet_cars',
    async up(db) {
      await withBusinessColumns(db.schema.createTable('fleet_cars'))
        .addColumn('plate', 'text', (c) => c.notNull())
        .addColumn('seat_count', 'integer', (c) => c.notNull())
        .execute();
    },
  },
];

const byPlate = preparedQuery<FleetDb, { plate: string }, { id: string; seatCount: number }>((db, param) =>
  db.selectFrom('fleetCars').select(['id', 'seatCount']).where('plate', '=', param('plate')),
);
const withSeatsAmong = preparedQuery<FleetDb, { ids: string[]; seats: number }, { plate: string }>(
  (db, param) =>
    db
      .selectFrom('fleetCars')
      .select('plate')
      .where('id', '=', sql<string>`any(${param('ids')})`)
      .where('seatCount', '>=', param('seats'))
      .where('deletedAt', 'is', null)
      .orderBy('plate'),
);

describe.each(testBackends())('prepared queries on %s', (backend) => {
  let database: TestDatabase<FleetDb>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase<FleetDb>(backend, { schema: 'fleet', migrations });
    for (const [plate, seatCount] of [
      ['W-1', 2],
      ['W-2', 5],
      ['W-3', 7],
    ] as const) {
      ids[plate] = newId();
      await database.db
        .insertInto('fleetCars')
        .values({ id: ids[plate], plate, seatCount, createdBy: 'u', updatedBy: 'u' })
        .execute();
    }
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('should answer each call with its own values when the query is compiled once', async () => {
    expect(await byPlate.executeTakeFirst(database.db, { plate: 'W-1' })).toEqual({
      id: ids['W-1'],
      seatCount: 2,
    });
    expect(await byPlate.executeTakeFirst(database.db, { plate: 'W-3' })).toEqual({
      id: ids['W-3'],
      seatCount: 7,
    });
    expect(await byPlate.executeTakeFirst(database.db, { plate: 'nowhere' })).toBeUndefined();
  });

  it('should fill several parameters and an array by name and keep the constants of the query', async () => {
    const all = [ids['W-1']!, ids['W-2']!, ids['W-3']!];
    expect(await withSeatsAmong.execute(database.db, { ids: all, seats: 5 })).toEqual([
      { plate: 'W-2' },
      { plate: 'W-3' },
    ]);
    expect(await withSeatsAmong.execute(database.db, { ids: [ids['W-1']!], seats: 1 })).toEqual([
      { plate: 'W-1' },
    ]);
    expect(await withSeatsAmong.execute(database.db, { ids: [], seats: 1 })).toEqual([]);
  });

  it('should run in a transaction on its connection when built on the transaction', async () => {
    const plate = await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('fleetCars').set({ seatCount: 9 }).where('plate', '=', 'W-1').execute();
      return byPlate.executeTakeFirst(trx, { plate: 'W-1' });
    });
    expect(plate?.seatCount).toBe(9);
  });

  it('should refuse a value that would be written into the SQL text instead of a parameter', async () => {
    const inlined = preparedQuery<FleetDb, { plate: string }, { id: string }>((db, param) =>
      db
        .selectFrom('fleetCars')
        .select('id')
        .where('plate', '=', sql.raw<string>(`'${String(param('plate'))}'`)),
    );
    await expect(inlined.execute(database.db, { plate: 'W-1' })).rejects.toThrow(/not a query parameter/);
  });

  it('should find a row by id with and without the deleted ones through the business repository', async () => {
    const cars = new BusinessRepository<FleetDb, 'fleetCars'>(database.db, 'fleetCars', {
      sortable: ['plate'],
      fallback: { column: 'plate', direction: 'asc' },
    });
    await database.db
      .updateTable('fleetCars')
      .set({ deletedAt: new Date(), deletedBy: 'u' })
      .where('plate', '=', 'W-2')
      .execute();
    expect((await cars.find(ids['W-3']!))?.plate).toBe('W-3');
    expect(await cars.find(ids['W-2']!)).toBeUndefined();
    expect((await cars.find(ids['W-2']!, { includeDeleted: true }))?.plate).toBe('W-2');
    expect(await cars.find(newId())).toBeUndefined();
  });
});
