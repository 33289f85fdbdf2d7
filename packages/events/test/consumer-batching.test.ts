import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createConsumer, createEnvelope, createInProcessTransport, eventMigrations } from '../src/index.ts';
import type { Consumer, ConsumerOptions, EventEnvelope, InProcessTransport } from '../src/index.ts';
import { eventually } from '../src/testing.ts';

const PLACED = 'lessor.orders.order.placed.v1';
let schemas = 0;

function event(subject: string, data: unknown = {}): EventEnvelope {
  return createEnvelope('orders', { type: PLACED, subject, data });
}

// Every test publishes its events in ONE publish before the consumer starts: the in-process transport then
// hands them over in one fetch, in one turn of the event loop, and they go into one batch. The tests check
// that through the transaction handle each handler call got (one batch, one `trx`), not through timing.
describe.each(testBackends())('the consumer batching deliveries on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  let consumers: Consumer<any>[] = [];

  async function open(): Promise<{ db: TestDatabase<any>['db']; bus: InProcessTransport }> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `batching_${schemas}`,
      migrations: eventMigrations,
    });
    await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null,
      n integer)`.execute(database.db);
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({ db: database.db, schema: busSchema, pollIntervalMs: 20 });
    // The queue exists before the first publish, so the events wait in it for the consumer's first fetch.
    await bus.bind('billing', [PLACED]);
    return { db: database.db, bus };
  }

  function consumer(options: Partial<ConsumerOptions<any>> = {}): Consumer<any> {
    const created = createConsumer<any>({
      service: 'billing',
      db: database!.db,
      transport: bus!,
      ...options,
    });
    consumers.push(created);
    return created;
  }

  const effects = async () =>
    (
      await sql<{
        eventId: string;
        subject: string;
        n: number | null;
      }>`select event_id, subject, n from effects order by seq`.execute(database!.db)
    ).rows;
  const inbox = async (eventId: string) =>
    (await sql`select 1 from inbox where event_id = ${eventId}::uuid`.execute(database!.db)).rows.length;
  const queued = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.id(busSchema, 'messages')}`.execute(
          database!.db,
        )
      ).rows[0]?.n,
    );
  const count = (text: string, outcome: string) =>
    text
      .split('\n')
      .filter(
        (line) => line.startsWith('lessor_events_consumed_total{') && line.includes(`outcome="${outcome}"`),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);

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

  it('should commit the other events of a batch when one handler throws, and retry then park that one without its effect', async () => {
    const { db, bus } = await open();
    const metrics = new Registry();
    const transactions: object[] = [];
    const billing = consumer({ retryDelaysMs: [20, 20], metrics });
    billing.subscribe([PLACED], async (e, { trx, attempt }) => {
      if (attempt === 1) transactions.push(trx);
      // Every event writes first; the poison then throws, so only its savepoint can take that write back.
      await trx.insertInto('effects').values({ eventId: e.id, subject: e.subject }).execute();
      if (e.subject === 'poison') throw new Error(`the price list has no entry (attempt ${attempt})`);
    });
    const before = event('order-1');
    const poison = event('poison');
    const after = [event('order-2'), event('order-3')];
    await bus.publish([before, poison, ...after]);
    await billing.start();

    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    await eventually(async () => (await queued()) === 0);
    // The first attempts of all four ran in one transaction: order-1 and the poison, which throws (the savepoint
    // of the batch is rolled back), then order-1 again with order-2 and order-3.
    expect(transactions).toHaveLength(5);
    expect(new Set(transactions).size).toBe(1);
    expect((await effects()).map((row) => row.subject)).toEqual(['order-1', 'order-2', 'order-3']);
    expect(parked).toMatchObject({
      eventId: poison.id,
      attempts: 3,
      reason: 'the price list has no entry (attempt 3)',
    });
    // Neither the effect nor the inbox row of the poison committed: a replay can still apply it.
    expect(await inbox(poison.id)).toBe(0);
    expect(await inbox(before.id)).toBe(1);
    expect(await db.selectFrom('inbox').select('eventId').execute()).toHaveLength(3);

    const text = await metrics.metrics();
    expect(count(text, 'handled')).toBe(3);
    expect(count(text, 'retried')).toBe(2);
    expect(count(text, 'parked')).toBe(1);
    // One observation per event and attempt, batched or not.
    expect(text).toMatch(
      /lessor_event_handler_duration_seconds_count\{type="lessor.orders.order.placed.v1"\} 6/,
    );
  });

  it('should apply an event once when the same event id comes twice in one batch', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    const calls: { id: string; trx: object }[] = [];
    const billing = consumer({ metrics });
    billing.subscribe([PLACED], async (e, { trx }) => {
      calls.push({ id: e.id, trx });
      await trx.insertInto('effects').values({ eventId: e.id, subject: e.subject }).execute();
    });
    const twice = event('order-1');
    const other = event('order-2');
    await bus.publish([twice, other, twice]);
    await billing.start();

    await eventually(async () => count(await metrics.metrics(), 'duplicate') === 1 && (await queued()) === 0);
    expect(calls.map((call) => call.id)).toEqual([twice.id, other.id]);
    expect(new Set(calls.map((call) => call.trx)).size).toBe(1);
    expect((await effects()).map((row) => row.eventId)).toEqual([twice.id, other.id]);
    expect(count(await metrics.metrics(), 'handled')).toBe(2);
  });

  it('should let the second copy of an event apply it when the first copy failed in the same batch', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    const twice = event('order-1');
    let calls = 0;
    const transactions = new Set<object>();
    const billing = consumer({ metrics, retryDelaysMs: [20] });
    billing.subscribe([PLACED], async (e, { trx }) => {
      calls += 1;
      transactions.add(trx);
      await trx.insertInto('effects').values({ eventId: e.id, subject: e.subject }).execute();
      if (calls === 1) throw new Error('a passing hiccup');
    });
    await bus.publish([twice, twice]);
    await billing.start();

    // The first copy fails and is retried; the second applies; the retried first copy is then a duplicate.
    await eventually(async () => count(await metrics.metrics(), 'duplicate') === 1 && (await queued()) === 0);
    expect(calls).toBe(2);
    expect(transactions.size).toBe(1);
    expect((await effects()).map((row) => row.eventId)).toEqual([twice.id]);
    const text = await metrics.metrics();
    expect(count(text, 'handled')).toBe(1);
    expect(count(text, 'retried')).toBe(1);
    expect(await inbox(twice.id)).toBe(1);
  });

  it('should handle the events of one subject in arrival order within a batch', async () => {
    const { bus } = await open();
    const transactions = new Set<object>();
    const billing = consumer();
    billing.subscribe([PLACED], async (e, { trx }) => {
      transactions.add(trx);
      await trx
        .insertInto('effects')
        .values({ eventId: e.id, subject: e.subject, n: (e.data as { n: number }).n })
        .execute();
    });
    const events = Array.from({ length: 30 }, (_, n) => event(`order-${n % 3}`, { n }));
    await bus.publish(events);
    await billing.start();

    await eventually(async () => (await effects()).length === 30 && (await queued()) === 0);
    expect(transactions.size).toBe(1);
    const rows = await effects();
    for (const subject of ['order-0', 'order-1', 'order-2']) {
      const order = rows.filter((row) => row.subject === subject).map((row) => row.n);
      expect(order).toEqual([...order].sort((a, b) => a! - b!));
      expect(order).toHaveLength(10);
    }
  });

  it('should keep the order per subject across small batches running in parallel', async () => {
    const { bus } = await open();
    const transactions = new Set<object>();
    const billing = consumer({ batchSize: 3, batchesInFlight: 4, prefetch: 20 });
    billing.subscribe([PLACED], async (e, { trx }) => {
      transactions.add(trx);
      await trx
        .insertInto('effects')
        .values({ eventId: e.id, subject: e.subject, n: (e.data as { n: number }).n })
        .execute();
    });
    const events = Array.from({ length: 120 }, (_, n) => event(`order-${n % 4 === 3 ? 3 : n % 2}`, { n }));
    await bus.publish(events);
    await billing.start();

    await eventually(async () => (await effects()).length === 120 && (await queued()) === 0);
    expect(transactions.size).toBeGreaterThan(1);
    const rows = await effects();
    for (const subject of ['order-0', 'order-1', 'order-3']) {
      const order = rows.filter((row) => row.subject === subject).map((row) => row.n!);
      expect(order).toEqual(
        events.filter((e) => e.subject === subject).map((e) => (e.data as { n: number }).n),
      );
    }
  });

  it('should handle the events of a batch one transaction each when a handler leaves the transaction broken', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    const billing = consumer({ metrics, retryDelaysMs: [] });
    billing.subscribe([PLACED], async (e, { trx }) => {
      await trx.insertInto('effects').values({ eventId: e.id, subject: e.subject }).execute();
      // A handler that swallows a database error: the transaction is aborted, though the handler "succeeded".
      if (e.subject === 'careless') await sql`select 1 / 0`.execute(trx).catch(() => undefined);
    });
    const events = [event('order-1'), event('careless'), event('order-2')];
    await bus.publish(events);
    await billing.start();

    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    await eventually(async () => count(await metrics.metrics(), 'handled') === 2 && (await queued()) === 0);
    expect(parked).toMatchObject({ eventId: events[1]!.id, attempts: 1 });
    expect((await effects()).map((row) => row.subject)).toEqual(['order-1', 'order-2']);
    expect(await inbox(events[1]!.id)).toBe(0);
  });

  it('should give every event its own transaction when batchSize is 1', async () => {
    const { bus } = await open();
    const transactions = new Set<object>();
    const billing = consumer({ batchSize: 1 });
    billing.subscribe([PLACED], async (e, { trx }) => {
      transactions.add(trx);
      await trx.insertInto('effects').values({ eventId: e.id, subject: e.subject }).execute();
    });
    await bus.publish([event('order-1'), event('order-2'), event('order-1')]);
    await billing.start();

    await eventually(async () => (await effects()).length === 3 && (await queued()) === 0);
    expect(transactions.size).toBe(3);
  });
});
