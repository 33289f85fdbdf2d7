import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '@lessor/service-kit';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createConsumer, createEnvelope, createInProcessTransport, eventMigrations } from '../src/index.ts';
import type { Consumer, ConsumerOptions, EventEnvelope, InProcessTransport } from '../src/index.ts';
import { eventually } from '../src/testing.ts';

const PLACED = 'lessor.orders.order.placed.v1';
const DAY_MS = 86_400_000;
let schemas = 0;

function placed(subject: string, time?: Date): EventEnvelope {
  const event = createEnvelope('orders', { type: PLACED, subject, data: {} });
  return time ? { ...event, time: time.toISOString() } : event;
}

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

describe.each(testBackends())('the inbox retention on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  let consumers: Consumer<any>[] = [];

  async function open(): Promise<{ db: TestDatabase<any>['db']; bus: InProcessTransport }> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `retention_${schemas}`,
      migrations: eventMigrations,
    });
    await sql`create table effects (seq bigserial primary key, event_id uuid not null)`.execute(database.db);
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({ db: database.db, schema: busSchema, pollIntervalMs: 20 });
    return { db: database.db, bus };
  }

  function consumer(options: Partial<ConsumerOptions<any>> = {}): Consumer<any> {
    const created = createConsumer<any>({
      service: 'billing',
      db: database!.db,
      transport: bus!,
      ...options,
    });
    created.subscribe([PLACED], async (event, { trx }) => {
      await trx.insertInto('effects').values({ eventId: event.id }).execute();
    });
    consumers.push(created);
    return created;
  }

  /** Inbox rows as the consumer writes them, for events of the given ages. */
  async function recorded(ages: number[]): Promise<string[]> {
    const ids = ages.map(() => randomUUID());
    for (const [index, days] of ages.entries()) {
      await sql`insert into inbox (event_id, type, event_time, handled_at)
        values (${ids[index]}::uuid, ${PLACED}, ${daysAgo(days).toISOString()}::timestamptz, now())`.execute(
        database!.db,
      );
    }
    return ids;
  }

  const inboxIds = async () =>
    new Set(
      (await sql<{ eventId: string }>`select event_id from inbox`.execute(database!.db)).rows.map(
        (row) => row.eventId,
      ),
    );
  const effects = async () =>
    (
      await sql<{ eventId: string }>`select event_id from effects order by seq`.execute(database!.db)
    ).rows.map((row) => row.eventId);
  const queued = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.id(busSchema, 'messages')}`.execute(
          database!.db,
        )
      ).rows[0]?.n,
    );

  afterEach(async () => {
    for (const created of consumers) await created.stop();
    consumers = [];
    await bus?.close();
    if (database && busSchema)
      await sql`drop schema if exists ${sql.id(busSchema)} cascade`.execute(database.db);
    bus = undefined;
    await database?.dispose();
    database = undefined;
  });

  it('should delete the ids of events older than the retention in batches and keep the younger ones', async () => {
    await open();
    const metrics = new Registry();
    const old = await recorded([...Array.from({ length: 23 }, () => 30), 15, 14.1]);
    const young = await recorded([13.9, 7, 1, 0]);
    const created = consumer({ inboxPurgeBatchSize: 10, metrics });

    expect(await created.purgeInbox()).toBe(old.length);

    expect(await inboxIds()).toEqual(new Set(young));
    expect(await metrics.getSingleMetricAsString('lessor_inbox_purged_total')).toContain(
      `lessor_inbox_purged_total ${old.length}`,
    );
    expect(await created.purgeInbox()).toBe(0);
  });

  it('should honour a configured retention', async () => {
    await open();
    const old = await recorded([3, 2.5]);
    const young = await recorded([1.5, 0.5]);
    expect(await consumer({ inboxRetentionMs: 2 * DAY_MS }).purgeInbox()).toBe(old.length);
    expect(await inboxIds()).toEqual(new Set(young));
  });

  it('should still absorb a redelivery of an event applied within the retention after a purge', async () => {
    const { bus } = await open();
    const created = consumer();
    await created.start();
    const event = placed('order-1', daysAgo(13));
    await bus.publish([event]);
    await eventually(async () => (await effects()).length === 1 && (await queued()) === 0);
    await recorded([20, 40]);

    expect(await created.purgeInbox()).toBe(2);
    await bus.publish([event]);
    await eventually(async () => (await queued()) === 0);

    expect(await effects()).toEqual([event.id]);
    expect(await inboxIds()).toEqual(new Set([event.id]));
  });

  it('should park, not apply, an event older than the retention that the inbox does not know', async () => {
    const { bus } = await open();
    const created = consumer();
    await created.start();
    const stale = placed('order-1', daysAgo(20));
    const fresh = placed('order-2');
    await bus.publish([stale, fresh]);
    await eventually(async () => (await queued()) === 0);

    expect(await effects()).toEqual([fresh.id]);
    const { items } = await created.parked.list({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ eventId: stale.id, status: 'parked', attempts: 1 });
    expect(items[0]!.reason).toMatch(/^stale: .*older than the 14 days the inbox keeps event ids/);

    // An admin who checked that it was never applied replays it: applied once, then a duplicate.
    expect(await created.parked.replay(items[0]!.id, 'admin')).toBe('applied');
    expect(await effects()).toEqual([fresh.id, stale.id]);
  });

  it('should ack an old event as a duplicate when its id is still in the inbox', async () => {
    const { bus } = await open();
    const created = consumer();
    const stale = placed('order-1', daysAgo(20));
    await sql`insert into inbox (event_id, type, event_time)
      values (${stale.id}::uuid, ${PLACED}, ${stale.time}::timestamptz)`.execute(database!.db);
    await created.start();
    await bus.publish([stale]);
    await eventually(async () => (await queued()) === 0);

    expect(await effects()).toEqual([]);
    expect((await created.parked.list({ limit: 10 })).items).toEqual([]);
  });

  it('should park an event whose time is not a timestamp, without calling the handler', async () => {
    const { bus } = await open();
    const created = consumer();
    await created.start();
    const broken = { ...placed('order-1'), time: 'yesterday' };
    await bus.publish([broken]);
    await eventually(async () => (await queued()) === 0);

    expect(await effects()).toEqual([]);
    const { items } = await created.parked.list({ limit: 10 });
    expect(items.map((item) => [item.eventId, item.reason])).toEqual([
      [broken.id, 'invalid: time "yesterday" is not an RFC 3339 timestamp'],
    ]);
  });

  it('should run the retention job while the consumer runs and not after it stopped', async () => {
    await open();
    await recorded([20, 30]);
    const young = await recorded([1]);
    const created = consumer({ inboxPurgeIntervalMs: 20 });
    await created.start();
    await eventually(async () => (await inboxIds()).size === 1);
    expect(await inboxIds()).toEqual(new Set(young));

    await created.stop();
    const later = await recorded([20]);
    // Several intervals of the stopped job: the old row stays (the job is gone, not slow).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await inboxIds()).toEqual(new Set([...young, ...later]));
  });

  it('should refuse a retention shorter than a day', async () => {
    await open();
    expect(() => consumer({ inboxRetentionMs: 3_600_000 })).toThrow(/at least one day/);
  });

  it('should give the rows recorded before the event_time column their handling time when migrating', async () => {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `retention_${schemas}`,
      migrations: eventMigrations.filter((migration) => !migration.name.endsWith('_inbox_event_time')),
    });
    const id = randomUUID();
    await sql`insert into inbox (event_id, type, handled_at)
      values (${id}::uuid, ${PLACED}, '2026-01-02T03:04:05Z')`.execute(database.db);

    await migrate(database, eventMigrations);

    const { rows } = await sql<{ eventTime: Date }>`select event_time from inbox`.execute(database.db);
    expect(rows.map((row) => row.eventTime.toISOString())).toEqual(['2026-01-02T03:04:05.000Z']);
    await expect(
      sql`insert into inbox (event_id, type) values (${randomUUID()}::uuid, ${PLACED})`.execute(database.db),
    ).rejects.toThrow(/event_time/);
  });
});
