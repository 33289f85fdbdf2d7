import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrate, newId } from '@lessor/service-kit';
import { createTestDatabase, testBackends, type TestDatabase } from '@lessor/service-kit/testing';
import { leasingMigration } from '../migrations/0001_leasing.ts';
import { leasingMigrations } from '../migrations/index.ts';

/**
 * Contracts an earlier release left (migration 0001 only), then migration 0002: a draft changed by someone
 * other than its author keeps that someone (its last `updated_by`) out of the approval; approved contracts
 * satisfy the new constraints as they are. Migration 0003: the names stored on them become leasing's copy.
 */
describe.each(testBackends())('leasing migrations 0002 and 0003 over an earlier release on %s', (backend) => {
  let database: TestDatabase<unknown>;
  let db: Kysely<unknown>;
  const edited = newId();
  const untouched = newId();
  const approved = newId();

  beforeAll(async () => {
    database = await createTestDatabase<unknown>(backend, {
      schema: 'leasing',
      migrations: [leasingMigration],
    });
    db = database.db;
    const productId = newId();
    const calculationId = newId();
    await sql`insert into products (id, created_by, updated_by, code, name, currencies, schedule_types,
        min_term_months, max_term_months, min_rate, max_rate, max_advance_percent, max_residual_percent,
        penalty_rate)
      values (${productId}, 'user-a', 'user-a', 'CAR', 'Cars', '{EUR}', '{annuity}', 12, 84, 2, 15, 50, 40,
        0.05)`.execute(db);
    await sql`insert into calculations (id, created_by, updated_by, product_id, currency, schedule_type,
        term_months, annual_rate, financed_amount, effective_rate, terms, schedule)
      values (${calculationId}, 'user-a', 'user-a', ${productId}, 'EUR', 'annuity', 36, 9.5, 96000, 9.9,
        '{}', '{}')`.execute(db);
    const contract = (id: string, n: number, status: string, updatedBy: string, approvedBy: string | null) =>
      sql`insert into contracts (id, created_by, updated_by, number, legal_entity, status, party_id, asset_id,
          product_id, calculation_id, currency, asset_price, advance, financed_amount, residual_value,
          term_months, annual_rate, vat_rate, penalty_rate, schedule_type, start_date, payment_reference,
          party_name, asset_name, approved_by, approved_at)
        values (${id}, 'user-a', ${updatedBy}, ${`LC-LESSOR-2026-00000${n}`}, 'LESSOR', ${status}, ${newId()},
          ${newId()}, ${productId}, ${calculationId}, 'EUR', 120000, 24000, 96000, 10000, 36, 9.5, 20, 0.05,
          'annuity', '2026-01-31', ${`REF${n}`}, 'Muster GmbH', 'VW ID.4', ${approvedBy},
          ${approvedBy ? sql`now()` : null})`.execute(db);
    await contract(edited, 1, 'draft', 'user-b', null);
    await contract(untouched, 2, 'draft', 'user-a', null);
    await contract(approved, 3, 'signed', 'user-c', 'user-c');
    await migrate(database, leasingMigrations);
  });
  afterAll(async () => database?.dispose());

  const editorsOf = async (id: string) =>
    (await sql<{ editors: string[] }>`select editors from contracts where id = ${id}`.execute(db)).rows[0]!
      .editors;

  it('should copy the names kept on earlier contracts into leasing’s own copy when upgrading (0003)', async () => {
    for (const [table, column, name] of [
      ['party_names', 'party_id', 'Muster GmbH'],
      ['asset_names', 'asset_id', 'VW ID.4'],
    ] as const) {
      const copied = await sql<{
        name: string;
        known: boolean;
      }>`select n.name, n.as_of = c.updated_at as known
        from contracts c join ${sql.table(table)} n on n.id = c.${sql.ref(column)}`.execute(db);
      expect(copied.rows).toEqual([1, 2, 3].map(() => ({ name, known: true })));
    }
  });

  it('should keep the last editor of an earlier draft out of its approval when upgrading', async () => {
    expect(await editorsOf(edited)).toEqual(['user-b']);
    expect(await editorsOf(untouched)).toEqual([]);
    expect(await editorsOf(approved)).toEqual([]);
    await expect(
      sql`update contracts set status = 'approved', approved_by = 'user-b', approved_at = now(),
        updated_by = 'user-b' where id = ${edited}`.execute(db),
    ).rejects.toMatchObject({ code: '23514' });
    await sql`update contracts set status = 'approved', approved_by = 'user-c', approved_at = now(),
      updated_by = 'user-c' where id = ${edited}`.execute(db);
  });

  it('should leave contracts approved by an earlier release as they are, their terms frozen', async () => {
    await expect(
      sql`update contracts set penalty_rate = 0.01, updated_by = 'user-d' where id = ${approved}`.execute(db),
    ).rejects.toMatchObject({ code: 'LS003' });
    await sql`update contracts set status = 'active', updated_by = 'user-d' where id = ${approved}`.execute(
      db,
    );
    // Names were not kept before 0002: null, and the API says so, rather than a guess.
    const names = await sql`select created_by_name, approved_by_name, approved_by from contracts
      where id = ${approved}`.execute(db);
    expect(names.rows[0]).toEqual({ createdByName: null, approvedByName: null, approvedBy: 'user-c' });
  });
});
