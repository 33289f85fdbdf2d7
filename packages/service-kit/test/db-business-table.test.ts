import { sql } from 'kysely';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyDeletedFilter,
  newId,
  protectBusinessTable,
  REFUSED_DELETE_SQLSTATE,
  restore,
  softDelete,
  updateVersioned,
  withBusinessColumns,
} from '../src/db/index.ts';
import type { BusinessColumns, DeletedFilter, Migration } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

interface LeaseDb {
  leaseProducts: BusinessColumns & { name: string; rate: string };
}

const migrations: Migration[] = [
  {
    name: '0001_lease_products',
    async up(db) {
      await withBusinessColumns(db.schema.createTable('lease_products'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('rate', 'numeric(9, 4)', (c) => c.notNull())
        .execute();
      await protectBusinessTable(db, 'lease_products');
    },
  },
];

async function problemOf(promise: Promise<unknown>): Promise<{ code?: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; status?: number };
  }
  throw new Error('expected a failure');
}

describe('newId', () => {
  it('should make UUIDv7 ids that sort by creation when called in sequence', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    expect(ids.every((id) => isUuid(id) && uuidVersion(id) === 7)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe.each(testBackends())('business tables on %s', (backend) => {
  let database: TestDatabase<LeaseDb>;
  const actor = 'user-1';

  beforeAll(async () => {
    database = await createTestDatabase<LeaseDb>(backend, { schema: 'leasing', migrations });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function insertProduct(name: string) {
    return database.db
      .insertInto('leaseProducts')
      .values({ id: newId(), name, rate: '0.0425', createdBy: actor, updatedBy: actor })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async function listNames(filter?: DeletedFilter): Promise<string[]> {
    const rows = await applyDeletedFilter(database.db.selectFrom('leaseProducts').select('name'), filter)
      .orderBy('name')
      .execute();
    return rows.map((row) => row.name);
  }

  it('should fill the business columns when a row is inserted', async () => {
    const row = await insertProduct('fresh');
    expect(row).toMatchObject({
      version: 1,
      createdBy: actor,
      updatedBy: actor,
      deletedAt: null,
      deletedBy: null,
      rate: '0.0425',
    });
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(row.updatedAt).toBeInstanceOf(Date);
  });

  it('should refuse a physical DELETE with LS001 when the table is protected', async () => {
    const row = await insertProduct('undeletable');
    const error = await problemOf(database.db.deleteFrom('leaseProducts').where('id', '=', row.id).execute());
    expect(error.code).toBe(REFUSED_DELETE_SQLSTATE);
    expect(String(error)).toMatch(/lease_products rows are never deleted physically/);
    expect(await listNames('include')).toContain('undeletable');
  });

  it('should refuse TRUNCATE with LS001 when the table is protected', async () => {
    const error = await problemOf(sql`truncate lease_products`.execute(database.db));
    expect(error.code).toBe(REFUSED_DELETE_SQLSTATE);
  });

  it('should move a row between the lists when it is soft-deleted and restored', async () => {
    const row = await insertProduct('cycled');
    expect(await listNames()).toContain('cycled');

    const deleted = await softDelete(database.db, 'leaseProducts', row.id, {
      actor: 'user-2',
      expectedVersion: 1,
    });
    expect(deleted).toMatchObject({ version: 2, deletedBy: 'user-2', updatedBy: 'user-2' });
    expect(deleted.deletedAt).toBeInstanceOf(Date);
    expect(await listNames()).not.toContain('cycled');
    expect(await listNames('exclude')).not.toContain('cycled');
    expect(await listNames('only')).toEqual(['cycled']);
    expect(await listNames('include')).toContain('cycled');

    const restored = await restore(database.db, 'leaseProducts', row.id, { actor: 'user-3' });
    expect(restored).toMatchObject({ version: 3, deletedAt: null, deletedBy: null, updatedBy: 'user-3' });
    expect(await listNames()).toContain('cycled');
    expect(await listNames('only')).toEqual([]);
  });

  it('should answer NOT_FOUND when soft-deleting a row that is absent or already deleted', async () => {
    expect(
      (await problemOf(softDelete(database.db, 'leaseProducts', newId(), { actor, expectedVersion: 1 })))
        .code,
    ).toBe('NOT_FOUND');
    const row = await insertProduct('deleted twice');
    await softDelete(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 1 });
    expect(
      (await problemOf(softDelete(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 2 }))).code,
    ).toBe('NOT_FOUND');
  });

  it('should answer PRECONDITION_FAILED when soft-deleting at a stale version', async () => {
    const row = await insertProduct('stale delete');
    await updateVersioned(database.db, 'leaseProducts', row.id, 1, { rate: '0.05' }, actor);
    expect(
      (await problemOf(softDelete(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 1 }))).code,
    ).toBe('PRECONDITION_FAILED');
    expect(await listNames()).toContain('stale delete');
  });

  it('should answer CONFLICT when restoring a row that is not deleted, and NOT_FOUND when it is absent', async () => {
    const row = await insertProduct('alive');
    expect((await problemOf(restore(database.db, 'leaseProducts', row.id, { actor }))).code).toBe('CONFLICT');
    expect((await problemOf(restore(database.db, 'leaseProducts', newId(), { actor }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('should answer PRECONDITION_FAILED when restoring at a stale version', async () => {
    const row = await insertProduct('stale restore');
    await softDelete(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 1 });
    expect(
      (await problemOf(restore(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 1 }))).code,
    ).toBe('PRECONDITION_FAILED');
    expect((await restore(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 2 })).version).toBe(
      3,
    );
  });

  it('should bump the version and stamp the actor when updating at the current version', async () => {
    const row = await insertProduct('updated');
    const updated = await updateVersioned(
      database.db,
      'leaseProducts',
      row.id,
      1,
      { rate: '0.0500' },
      'user-9',
    );
    expect(updated).toMatchObject({
      id: row.id,
      rate: '0.0500',
      version: 2,
      updatedBy: 'user-9',
      createdBy: actor,
    });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(row.updatedAt.getTime());
  });

  it('should keep the stamps when the changes try to set them', async () => {
    const row = await insertProduct('stamped');
    const changes = { name: 'stamped', version: 99, updatedBy: 'intruder' };
    const updated = await updateVersioned(database.db, 'leaseProducts', row.id, 1, changes, actor);
    expect(updated).toMatchObject({ version: 2, updatedBy: actor });
  });

  it('should answer PRECONDITION_FAILED and change nothing when the version is stale', async () => {
    const row = await insertProduct('raced');
    await updateVersioned(database.db, 'leaseProducts', row.id, 1, { rate: '0.0100' }, 'first');
    const error = await problemOf(
      updateVersioned(database.db, 'leaseProducts', row.id, 1, { rate: '0.0200' }, 'second'),
    );
    expect(error).toMatchObject({ code: 'PRECONDITION_FAILED', status: 412 });
    const current = await database.db
      .selectFrom('leaseProducts')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(current).toMatchObject({ rate: '0.0100', version: 2, updatedBy: 'first' });
  });

  it('should let exactly one of two concurrent updates win when both expect the same version', async () => {
    const row = await insertProduct('contended');
    const results = await Promise.allSettled(
      ['a', 'b'].map((who) =>
        updateVersioned(database.db, 'leaseProducts', row.id, 1, { rate: '0.0300' }, who),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected?.reason as { code?: string }).code).toBe('PRECONDITION_FAILED');
  });

  it('should answer NOT_FOUND when updating a row that is absent or soft-deleted', async () => {
    expect(
      (await problemOf(updateVersioned(database.db, 'leaseProducts', newId(), 1, { rate: '1' }, actor))).code,
    ).toBe('NOT_FOUND');
    const row = await insertProduct('gone');
    await softDelete(database.db, 'leaseProducts', row.id, { actor, expectedVersion: 1 });
    expect(
      (await problemOf(updateVersioned(database.db, 'leaseProducts', row.id, 2, { rate: '1' }, actor))).code,
    ).toBe('NOT_FOUND');
  });
});
