import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createConsumer, createEnvelope, createInProcessTransport, eventMigrations } from '../src/index.ts';
import type {
  BatchedEvent,
  Consumer,
  ConsumerOptions,
  EventEnvelope,
  InProcessTransport,
} from '../src/index.ts';
import { eventually } from '../src/testing.ts';

const PLACED = 'lessor.orders.order.placed.v1';
const CANCELLED = 'lessor.orders.order.cancelled.v1';
let schemas = 0;

function event(subject: string, n: number, type = PLACED): EventEnvelope {
  return createEnvelope('orders', { type, subject, data: { n } });
}

const nOf = (e: EventEnvelope) => (e.data as { n: number }).n;

// Each effect is two writes: the row in `effects`, then its tally, which refuses a negative n (the poison). The
// batch handler writes all rows of its events in one statement, then all tallies in one more: when a tally
// fails, only the savepoint can take back the effects already written.
async function writeOne(trx: Kysely<any>, e: EventEnvelope, path: string): Promise<void> {
  await sql`insert into effects (event_id, subject, n, path)
    values (${e.id}::uuid, ${e.subject}, ${nOf(e)}, ${path})`.execute(trx);
  await sql`insert into tallies (event_id, n) values (${e.id}::uuid, ${nOf(e)})`.execute(trx);
}

async function writeMany(trx: Kysely<any>, events: readonly BatchedEvent[]): Promise<void> {
  const rows = JSON.stringify(
    events.map(({ event: e }) => ({ event_id: e.id, subject: e.subject, n: nOf(e) })),
  );
  await sql`insert into effects (event_id, subject, n, path)
    select r.event_id, r.subject, r.n, 'batch'
    from jsonb_array_elements(${rows}::jsonb) with ordinality as given(value, i)
      cross join lateral jsonb_to_record(given.value) as r(event_id uuid, subject text, n integer)
    order by given.i`.execute(trx);
  await sql`insert into tallies (event_id, n)
    select r.event_id, r.n from jsonb_to_recordset(${rows}::jsonb) as r(event_id uuid, n integer)`.execute(
    trx,
  );
}

// Every test publishes its events in ONE publish before the consumer starts: the in-process transport then
// hands them over in one fetch, so they go into one batch (or, with a small batchSize, into batches formed
// from that one fetch). Which path ran is read from the rows (`path`) and the handlers' calls, not from timing.
describe.each(testBackends())('the consumer with a batch handler on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  let consumers: Consumer<any>[] = [];

  async function open(): Promise<InProcessTransport> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `batch_handler_${schemas}`,
      migrations: eventMigrations,
    });
    await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null,
      n integer not null, path text not null)`.execute(database.db);
    await sql`create table tallies (event_id uuid primary key, n integer not null check (n >= 0))`.execute(
      database.db,
    );
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({ db: database.db, schema: busSchema, pollIntervalMs: 20 });
    // The queue exists before the first publish, so the events wait in it for the consumer's first fetch.
    await bus.bind('billing', [PLACED, CANCELLED]);
    return bus;
  }

  /** A consumer of PLACED with both handlers; it records what each handler was given. */
  function consumer(options: Partial<ConsumerOptions<any>> = {}) {
    const calls = { batches: [] as string[][], single: [] as string[], transactions: new Set<object>() };
    const created = createConsumer<any>({
      service: 'billing',
      db: database!.db,
      transport: bus!,
      ...options,
    });
    created.subscribe(
      [PLACED],
      async (e, { trx }) => {
        calls.single.push(e.id);
        calls.transactions.add(trx);
        await writeOne(trx, e, 'single');
      },
      {
        handleBatch: async (events, { trx }) => {
          calls.batches.push(events.map(({ event: e }) => e.id));
          calls.transactions.add(trx);
          await writeMany(trx, events);
        },
      },
    );
    consumers.push(created);
    return { consumer: created, calls };
  }

  const effects = async () =>
    (
      await sql<{
        eventId: string;
        subject: string;
        n: number;
        path: string;
      }>`select event_id, subject, n, path from effects order by seq`.execute(database!.db)
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
  const metric = (text: string, name: string, outcome?: string) =>
    text
      .split('\n')
      .filter(
        (line) =>
          (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) &&
          (outcome === undefined || line.includes(`outcome="${outcome}"`)),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  const consumed = (text: string, outcome: string) => metric(text, 'lessor_events_consumed_total', outcome);

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

  it('should give the batch handler every fresh event of a batch at once, in arrival order', async () => {
    const bus = await open();
    const metrics = new Registry();
    const { consumer: billing, calls } = consumer({ metrics });
    const events = [event('order-1', 0), event('order-2', 1), event('order-1', 2), event('order-3', 3)];
    await bus.publish(events);
    await billing.start();

    await eventually(async () => (await effects()).length === 4 && (await queued()) === 0);
    expect(calls.batches).toEqual([events.map((e) => e.id)]);
    expect(calls.single).toEqual([]);
    expect((await effects()).map((row) => [row.eventId, row.path])).toEqual(
      events.map((e) => [e.id, 'batch']),
    );
    for (const e of events) expect(await inbox(e.id)).toBe(1);
    const text = await metrics.metrics();
    expect(consumed(text, 'handled')).toBe(4);
    expect(metric(text, 'lessor_event_batch_fallbacks_total')).toBe(0);
    // One observation per event, batched or not.
    expect(text).toMatch(
      /lessor_event_handler_duration_seconds_count\{type="lessor.orders.order.placed.v1"\} 4/,
    );
  });

  it('should apply an event once when it comes twice in one batch and again in a later batch', async () => {
    const bus = await open();
    const metrics = new Registry();
    const { consumer: billing, calls } = consumer({ metrics });
    const twice = event('order-1', 0);
    const other = event('order-2', 1);
    await bus.publish([twice, other, twice]);
    await billing.start();
    await eventually(
      async () => consumed(await metrics.metrics(), 'duplicate') === 1 && (await queued()) === 0,
    );
    expect(calls.batches).toEqual([[twice.id, other.id]]);

    // Later copies of both, among new events: only the new ones reach the handler.
    const later = [event('order-3', 2), event('order-4', 3)];
    await bus.publish([twice, later[0]!, other, later[1]!]);
    await eventually(
      async () => consumed(await metrics.metrics(), 'duplicate') === 3 && (await queued()) === 0,
    );

    expect(calls.batches).toEqual([[twice.id, other.id], later.map((e) => e.id)]);
    expect(calls.single).toEqual([]);
    expect((await effects()).map((row) => row.eventId)).toEqual([
      twice.id,
      other.id,
      ...later.map((e) => e.id),
    ]);
    expect(consumed(await metrics.metrics(), 'handled')).toBe(4);
  });

  it('should commit the other events when one poisons the batch, and retry then park that one without its effect', async () => {
    const bus = await open();
    const metrics = new Registry();
    const { consumer: billing, calls } = consumer({ metrics, retryDelaysMs: [20, 20] });
    const before = event('order-1', 0);
    const poison = event('poison', -1);
    const after = [event('order-2', 2), event('order-1', 3)];
    await bus.publish([before, poison, ...after]);
    await billing.start();

    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    await eventually(async () => (await queued()) === 0);
    // The batch handler wrote every effect before the poison's tally failed: the savepoint took them back, and
    // each event ran alone, in arrival order, in the same transaction.
    expect(calls.batches).toEqual([[before.id, poison.id, ...after.map((e) => e.id)]]);
    expect(calls.single.slice(0, 4)).toEqual([before.id, poison.id, ...after.map((e) => e.id)]);
    // The poison's retries came alone (a transaction of their own), through the per-event handler: three
    // transactions in all, so the fallback ran in the batch's own transaction.
    expect(calls.single.slice(4)).toEqual([poison.id, poison.id]);
    expect(calls.transactions.size).toBe(3);
    expect((await effects()).map((row) => [row.eventId, row.path])).toEqual([
      [before.id, 'single'],
      [after[0]!.id, 'single'],
      [after[1]!.id, 'single'],
    ]);
    expect(parked).toMatchObject({ eventId: poison.id, attempts: 3 });
    expect(await inbox(poison.id)).toBe(0);
    for (const e of [before, ...after]) expect(await inbox(e.id)).toBe(1);

    const text = await metrics.metrics();
    expect(consumed(text, 'handled')).toBe(3);
    expect(consumed(text, 'retried')).toBe(2);
    expect(consumed(text, 'parked')).toBe(1);
    expect(metric(text, 'lessor_event_batch_fallbacks_total')).toBe(1);
    expect(text).toMatch(
      /lessor_event_handler_duration_seconds_count\{type="lessor.orders.order.placed.v1"\} 6/,
    );
  });

  it('should not apply an event whose earlier copy in the batch took the fallback and failed', async () => {
    const bus = await open();
    const metrics = new Registry();
    const { consumer: billing, calls } = consumer({ metrics, retryDelaysMs: [] });
    const poison = event('poison', -1);
    const good = event('order-1', 0);
    await bus.publish([poison, good, poison]);
    await billing.start();

    await eventually(async () => consumed(await metrics.metrics(), 'parked') === 2 && (await queued()) === 0);
    // The first copy fails on the per-event path; the second copy tries again (its row was deleted) and fails.
    expect(calls.batches).toEqual([[poison.id, good.id]]);
    expect(calls.single).toEqual([poison.id, good.id, poison.id]);
    expect((await effects()).map((row) => row.eventId)).toEqual([good.id]);
    expect(await inbox(poison.id)).toBe(0);
  });

  it('should keep the order per subject across small batches running in parallel', async () => {
    const bus = await open();
    const { consumer: billing, calls } = consumer({ batchSize: 3, batchesInFlight: 4, prefetch: 20 });
    const events = Array.from({ length: 120 }, (_, n) => event(`order-${n % 4 === 3 ? 3 : n % 2}`, n));
    await bus.publish(events);
    await billing.start();

    await eventually(async () => (await effects()).length === 120 && (await queued()) === 0);
    expect(calls.batches.length).toBeGreaterThan(1);
    expect(calls.transactions.size).toBeGreaterThan(1);
    const rows = await effects();
    expect(rows.filter((row) => row.path === 'batch').length).toBeGreaterThan(0);
    for (const subject of ['order-0', 'order-1', 'order-3']) {
      expect(rows.filter((row) => row.subject === subject).map((row) => row.n)).toEqual(
        events.filter((e) => e.subject === subject).map(nOf),
      );
    }
    expect(new Set(rows.map((row) => row.eventId)).size).toBe(120);
  });

  it('should run every event of a subject on the per-event path when one of them has no batch handler', async () => {
    const bus = await open();
    const { consumer: billing, calls } = consumer();
    billing.subscribe([CANCELLED], async (e, { trx }) => {
      calls.single.push(e.id);
      await writeOne(trx, e, 'single');
    });
    const first = event('order-1', 0);
    const cancelled = event('order-1', 1, CANCELLED);
    const third = event('order-1', 2);
    const others = [event('order-2', 3), event('order-2', 4)];
    await bus.publish([first, others[0]!, cancelled, others[1]!, third]);
    await billing.start();

    await eventually(async () => (await effects()).length === 5 && (await queued()) === 0);
    expect(calls.batches).toEqual([others.map((e) => e.id)]);
    expect(calls.single).toEqual([first.id, cancelled.id, third.id]);
    expect(calls.transactions.size).toBe(1);
    const rows = await effects();
    expect(rows.filter((row) => row.subject === 'order-1').map((row) => [row.n, row.path])).toEqual([
      [0, 'single'],
      [1, 'single'],
      [2, 'single'],
    ]);
    expect(rows.filter((row) => row.subject === 'order-2').map((row) => [row.n, row.path])).toEqual([
      [3, 'batch'],
      [4, 'batch'],
    ]);
  });

  it('should replay a parked event through the per-event handler', async () => {
    const bus = await open();
    const { consumer: billing, calls } = consumer({ retryDelaysMs: [] });
    const poison = event('poison', -1);
    await bus.publish([event('order-1', 0), poison]);
    await billing.start();
    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);

    // The fix: the tally takes negative numbers now.
    await sql`alter table tallies drop constraint tallies_n_check`.execute(database!.db);
    expect(await billing.parked.replay(parked.id, 'admin')).toBe('applied');
    expect(calls.single.at(-1)).toBe(poison.id);
    expect((await effects()).filter((row) => row.eventId === poison.id)).toHaveLength(1);
    expect(await billing.parked.replay(parked.id, 'admin')).toBe('duplicate');
  });
});
