import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { EventsError, createOutbox, eventMigrations } from '../src/index.ts';
import { readOutbox } from '../src/testing.ts';

const TYPE = 'lessor.orders.order.placed.v1';
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let schemas = 0;

class Rollback extends Error {}

describe.each(testBackends())('the outbox on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  const outbox = createOutbox({ service: 'orders' });

  async function open(): Promise<TestDatabase<any>> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `outbox_${schemas}`,
      migrations: eventMigrations,
    });
    return database;
  }

  afterEach(async () => {
    await database?.dispose();
    database = undefined;
  });

  it('should sort its migrations after the kit and before a service when listed first', () => {
    const names = eventMigrations.map((migration) => migration.name);
    expect(names).toEqual([...names].sort());
    for (const name of names) {
      expect(name > '0000_kit_999').toBe(true);
      expect(name < '0001').toBe(true);
      expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
    }
  });

  it('should create outbox, inbox and parked_events when migrated', async () => {
    const { db } = await open();
    const { rows } = await sql<{ tableName: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() order by 1`.execute(
      db,
    );
    expect(rows.map((row) => row.tableName)).toEqual(
      expect.arrayContaining(['inbox', 'outbox', 'parked_events', 'lessor_migrations']),
    );
  });

  it('should store a full CloudEvents envelope when an event is added in a transaction', async () => {
    const { db } = await open();
    const envelope = await db.transaction().execute((trx) =>
      outbox.add(trx, {
        type: TYPE,
        subject: 'order-1',
        data: { amount: { amount: '10.00', currency: 'EUR' } },
        actor: 'user-7',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      }),
    );
    expect(envelope).toMatchObject({
      specversion: '1.0',
      source: '/lessor/orders',
      type: TYPE,
      subject: 'order-1',
      datacontenttype: 'application/json',
      data: { amount: { amount: '10.00', currency: 'EUR' } },
      actor: 'user-7',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(envelope.id).toMatch(UUID_V7);
    expect(new Date(envelope.time).toISOString()).toBe(envelope.time);

    const row = await db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      id: envelope.id,
      type: TYPE,
      subject: 'order-1',
      envelope,
      publishedAt: null,
      claimedBy: null,
      publishAttempts: 0,
      lastError: null,
    });
    expect(row.createdAt).toBeInstanceOf(Date);
  });

  it('should leave no outbox row when the writer rolls back', async () => {
    const { db } = await open();
    await expect(
      db.transaction().execute(async (trx) => {
        await outbox.add(trx, { type: TYPE, subject: 'order-1', data: {} });
        throw new Rollback();
      }),
    ).rejects.toBeInstanceOf(Rollback);
    expect(await readOutbox(db)).toEqual([]);
  });

  it('should keep the given order in seq when several events are added at once', async () => {
    const { db } = await open();
    const added = await db.transaction().execute(async (trx) => {
      const first = await outbox.addMany(
        trx,
        Array.from({ length: 1500 }, (_, n) => ({ type: TYPE, subject: `order-${n % 7}`, data: { n } })),
      );
      const last = await outbox.add(trx, { type: TYPE, subject: 'order-0', data: { n: 1500 } });
      return [...first, last];
    });
    const stored = await readOutbox(db);
    expect(stored.map((event) => event.id)).toEqual(added.map((event) => event.id));
    expect(stored.map((event) => (event.data as { n: number }).n)).toEqual(added.map((_, n) => n));
  });

  it('should refuse an event when its type does not follow the naming rule', async () => {
    const { db } = await open();
    for (const type of [
      'orders.placed',
      'lessor.orders.order.placed',
      'lessor.Orders.order.placed.v1',
      'lessor.orders.order.placed.v0',
    ]) {
      await expect(
        db.transaction().execute((trx) => outbox.add(trx, { type, subject: 'order-1', data: {} })),
      ).rejects.toMatchObject({ name: 'EventsError', code: 'INVALID_EVENT' });
    }
    await expect(
      db.transaction().execute((trx) => outbox.add(trx, { type: TYPE, subject: '', data: {} })),
    ).rejects.toBeInstanceOf(EventsError);
    expect(await readOutbox(db)).toEqual([]);
  });

  it('should refuse to write when given the database handle instead of a transaction', async () => {
    const { db } = await open();
    await expect(outbox.add(db, { type: TYPE, subject: 'order-1', data: {} })).rejects.toMatchObject({
      code: 'INVALID_EVENT',
      message: expect.stringContaining('transaction'),
    });
    expect(await readOutbox(db)).toEqual([]);
  });

  it('should refuse a service name when it is not one kebab-case word', () => {
    expect(() => createOutbox({ service: 'Orders' })).toThrow(EventsError);
    expect(() => createOutbox({ service: 'orders.v1' })).toThrow(EventsError);
  });
});
