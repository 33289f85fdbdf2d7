import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import {
  EventsError,
  PermanentFailure,
  createConsumer,
  createEnvelope,
  createInProcessTransport,
  eventMigrations,
} from '../src/index.ts';
import type {
  Consumer,
  ConsumerOptions,
  EventEnvelope,
  EventHandler,
  InProcessTransport,
} from '../src/index.ts';
import { eventually } from '../src/testing.ts';

const PLACED = 'lessor.orders.order.placed.v1';
const CANCELLED = 'lessor.orders.order.cancelled.v1';
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
let schemas = 0;

function event(type: string, subject: string, data: unknown = {}): EventEnvelope {
  return createEnvelope('orders', {
    type,
    subject,
    data,
    traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01`,
    actor: 'user-1',
  });
}

describe.each(testBackends())('the consumer on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  let consumers: Consumer<any>[] = [];

  async function open(): Promise<{ db: TestDatabase<any>['db']; bus: InProcessTransport }> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `consumer_${schemas}`,
      migrations: eventMigrations,
    });
    await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null)`.execute(
      database.db,
    );
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
    consumers.push(created);
    return created;
  }

  const record: EventHandler = async (event, { trx }) => {
    await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
  };

  const effects = async () =>
    (
      await sql<{
        eventId: string;
        subject: string;
      }>`select event_id, subject from effects order by seq`.execute(database!.db)
    ).rows;
  const queued = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from ${sql.id(busSchema, 'messages')}`.execute(
          database!.db,
        )
      ).rows[0]?.n,
    );
  // Sums the consumed counter's series of one outcome in a registry's text output.
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

  it('should retry a failing event with growing delays, park it, and keep other events flowing', async () => {
    const { db, bus } = await open();
    const metrics = new Registry();
    const timeline: string[] = [];
    const attempts: { attempt: number; at: number }[] = [];
    const billing = consumer({ retryDelaysMs: [50, 100], metrics });
    billing.subscribe([PLACED], async (event, context) => {
      if (event.subject === 'poison') {
        attempts.push({ attempt: context.attempt, at: performance.now() });
        timeline.push(`poison:${context.attempt}`);
        throw new Error(`the price list has no entry (attempt ${context.attempt})`);
      }
      await record(event, context);
      timeline.push(`good:${event.subject}`);
    });
    await billing.start();
    const poison = event(PLACED, 'poison');
    const good = Array.from({ length: 5 }, (_, n) => event(PLACED, `order-${n}`));
    await bus.publish([poison, ...good]);

    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    expect(attempts.map((entry) => entry.attempt)).toEqual([1, 2, 3]);
    // Lower bounds only: a retry never comes before its delay, and the second delay is the longer one.
    const [first, second, third] = attempts.map((entry) => entry.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(45);
    expect(third - second).toBeGreaterThanOrEqual(95);
    // The good events did not wait for the poison's retries.
    expect(timeline.indexOf('poison:3')).toBeGreaterThan(
      Math.max(...good.map((e) => timeline.indexOf(`good:${e.subject}`))),
    );
    expect((await effects()).map((row) => row.subject).sort()).toEqual(good.map((e) => e.subject).sort());

    expect(parked).toMatchObject({
      eventId: poison.id,
      type: PLACED,
      envelope: poison,
      reason: 'the price list has no entry (attempt 3)',
      attempts: 3,
      status: 'parked',
      resolvedAt: null,
      resolvedBy: null,
    });
    expect(parked.parkedAt).toBeInstanceOf(Date);
    await eventually(async () => (await queued()) === 0);
    // Rolled back each time: no inbox row, so a replay can still apply it.
    expect(await db.selectFrom('inbox').where('eventId', '=', poison.id).selectAll().execute()).toEqual([]);

    const text = await metrics.metrics();
    expect(count(text, 'retried')).toBe(2);
    expect(count(text, 'parked')).toBe(1);
    expect(count(text, 'handled')).toBe(5);
    expect(text).toMatch(/lessor_events_parked_total\{type="lessor.orders.order.placed.v1"\} 1/);
    expect(text).toMatch(/lessor_parked_events 1/);
    expect(text).toMatch(
      /lessor_event_handler_duration_seconds_count\{type="lessor.orders.order.placed.v1"\} 8/,
    );
  });

  it('should apply a parked event once when replayed after the fix and call a second replay a duplicate', async () => {
    const { bus } = await open();
    let fixed = false;
    const billing = consumer({ retryDelaysMs: [] });
    billing.subscribe([PLACED], async (event, context) => {
      if (!fixed) throw new Error('the price list has no entry');
      await record(event, context);
    });
    await billing.start();
    const failing = event(PLACED, 'order-1');
    await bus.publish([failing]);
    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    expect(parked.attempts).toBe(1);

    // Still broken: the replay fails, the row stays parked and says so.
    const error = await billing.parked.replay(parked.id, 'admin').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventsError);
    expect(error).toMatchObject({ code: 'HANDLER_FAILED' });
    expect(await billing.parked.get(parked.id)).toMatchObject({
      status: 'parked',
      attempts: 2,
      reason: 'the price list has no entry',
    });

    fixed = true;
    expect(await billing.parked.replay(parked.id, 'admin')).toBe('applied');
    expect((await effects()).map((row) => row.eventId)).toEqual([failing.id]);
    const replayed = await billing.parked.get(parked.id);
    expect(replayed).toMatchObject({ status: 'replayed', resolvedBy: 'admin' });
    expect(replayed?.resolvedAt).toBeInstanceOf(Date);

    expect(await billing.parked.replay(parked.id, 'someone-else')).toBe('duplicate');
    expect((await effects()).map((row) => row.eventId)).toEqual([failing.id]);
    expect(await billing.parked.get(parked.id)).toMatchObject({ status: 'replayed', resolvedBy: 'admin' });
  });

  it('should park an event at once, without retries, when its handler fails permanently', async () => {
    const { bus } = await open();
    const attempts: number[] = [];
    const billing = consumer({ retryDelaysMs: [10, 10, 10] });
    billing.subscribe([PLACED], async (e, context) => {
      if (e.subject === 'refused') {
        attempts.push(context.attempt);
        throw new PermanentFailure('the CRM refused the update: 422 name too long');
      }
      await record(e, context);
    });
    await billing.start();
    const refused = event(PLACED, 'refused');
    const good = event(PLACED, 'order-1');
    await bus.publish([refused, good]);
    const { items } = await eventually(async () => {
      const page = await billing.parked.list({ limit: 10 });
      return page.items.length === 1 ? page : undefined;
    });
    expect(items[0]).toMatchObject({
      eventId: refused.id,
      attempts: 1,
      reason: 'the CRM refused the update: 422 name too long',
    });
    await eventually(async () => (await effects()).length === 1);
    await eventually(async () => (await queued()) === 0);
    expect(attempts).toEqual([1]);
  });

  it('should park an invalid event at once with attempt 1 and never call the handler', async () => {
    const { bus } = await open();
    let calls = 0;
    const billing = consumer({
      retryDelaysMs: [10, 10, 10],
      validate: (e) =>
        (e.data as { amount?: unknown }).amount === undefined ? '/data/amount is required' : null,
    });
    billing.subscribe([PLACED], async (e, context) => {
      calls += 1;
      await record(e, context);
    });
    await billing.start();
    const invalid = event(PLACED, 'order-1', {});
    const valid = event(PLACED, 'order-2', { amount: '1.00' });
    await bus.publish([invalid, valid]);
    await eventually(async () => (await effects()).length === 1);
    const { items } = await eventually(async () => {
      const page = await billing.parked.list({ limit: 10 });
      return page.items.length === 1 ? page : undefined;
    });
    expect(items[0]).toMatchObject({
      eventId: invalid.id,
      attempts: 1,
      reason: 'invalid: /data/amount is required',
    });
    expect(calls).toBe(1);
    await eventually(async () => (await queued()) === 0);
  });

  it('should park an envelope without a usable id when it is malformed', async () => {
    const { bus } = await open();
    const billing = consumer();
    billing.subscribe([PLACED], record);
    await billing.start();
    const broken = { ...event(PLACED, 'order-1'), id: 'not-a-uuid' };
    await bus.publish([broken]);
    const parked = await eventually(async () => (await billing.parked.list({ limit: 10 })).items[0]);
    expect(parked).toMatchObject({ eventId: null, attempts: 1, envelope: broken });
    expect(parked.reason).toMatch(/not a UUID/);
  });

  it('should apply an event once when it is delivered twice', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    let calls = 0;
    const billing = consumer({ metrics });
    billing.subscribe([PLACED], async (e, context) => {
      calls += 1;
      await record(e, context);
    });
    await billing.start();
    const once = event(PLACED, 'order-1');
    await bus.publish([once]);
    await bus.publish([once]);
    await eventually(async () => count(await metrics.metrics(), 'duplicate') === 1);
    expect(calls).toBe(1);
    expect((await effects()).map((row) => row.eventId)).toEqual([once.id]);
  });

  it('should report the events waiting in its queue and how late each was handled', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    const reading = async (name: string) => {
      const line = (await metrics.metrics()).split('\n').find((l) => l.startsWith(name));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    const billing = consumer({ metrics });
    billing.subscribe([PLACED], record);
    expect(await reading('lessor_consumer_queue_depth')).toBe(0); // never started: no queue yet
    await billing.start();
    await billing.stop();

    // Published two minutes ago (its publisher's outbox was stuck, say): the lag counts from then.
    const late = { ...event(PLACED, 'order-1'), time: new Date(Date.now() - 120_000).toISOString() };
    await bus.publish([late, event(PLACED, 'order-2'), event(PLACED, 'order-3')]);
    expect(await reading('lessor_consumer_queue_depth')).toBe(3); // stopped: all three wait
    await billing.start();
    await eventually(async () => (await effects()).length === 3);
    await eventually(async () => (await reading('lessor_consumer_queue_depth')) === 0);

    const type = `type="${PLACED}"`;
    await eventually(async () => (await reading(`lessor_event_lag_seconds_count{${type}}`)) === 3);
    // Two were handled within a minute of their time, the late one not before two minutes.
    expect(await reading(`lessor_event_lag_seconds_bucket{le="60",${type}}`)).toBe(2);
    expect(await reading(`lessor_event_lag_seconds_bucket{le="300",${type}}`)).toBe(3);
    expect(await reading(`lessor_event_lag_seconds_sum{${type}}`)).toBeGreaterThanOrEqual(120);

    // A duplicate has no effect, so it adds no lag.
    await bus.publish([late]);
    await eventually(async () => count(await metrics.metrics(), 'duplicate') === 1);
    expect(await reading(`lessor_event_lag_seconds_count{${type}}`)).toBe(3);
  });

  it('should ack and ignore an event when no subscription matches its type', async () => {
    const { bus } = await open();
    const metrics = new Registry();
    // A binding left from an older version of the service still routes cancellations to its queue.
    await bus.bind('billing', ['lessor.orders.#']);
    await bus.publish([event(CANCELLED, 'order-1')]);
    const billing = consumer({ metrics });
    billing.subscribe([PLACED], record);
    await billing.start();
    await eventually(async () => count(await metrics.metrics(), 'ignored') === 1);
    expect(await queued()).toBe(0);
    expect((await billing.parked.list({ limit: 10 })).items).toEqual([]);
    expect(await effects()).toEqual([]);
  });

  it('should log with the event id, type and trace id when a handler logs', async () => {
    const { bus } = await open();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const billing = consumer({ logger: pino({ level: 'info' }, sink) });
    billing.subscribe([PLACED], async (e, { log }) => log.info('invoice drafted'));
    await billing.start();
    const logged = event(PLACED, 'order-1');
    await bus.publish([logged]);
    const line = await eventually(() => lines.find((entry) => entry.msg === 'invoice drafted'));
    expect(line).toMatchObject({ eventId: logged.id, type: PLACED, traceId: TRACE_ID, attempt: 1 });
  });

  it('should page parked events newest first, filter them, and discard one once', async () => {
    const { bus } = await open();
    const billing = consumer({ validate: () => 'refused' });
    billing.subscribe(['lessor.orders.#'], record);
    await billing.start();
    for (const type of [PLACED, PLACED, CANCELLED, PLACED, CANCELLED])
      await bus.publish([event(type, 'order-1')]);
    await eventually(async () => (await billing.parked.list({ limit: 10 })).items.length === 5);

    const all = (await billing.parked.list({ limit: 10 })).items;
    expect(all.map((item) => item.id)).toEqual(
      all
        .map((item) => item.id)
        .sort()
        .reverse(),
    );
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await billing.parked.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(all.map((item) => item.id));
    expect((await billing.parked.list({ limit: 10, type: CANCELLED })).items).toHaveLength(2);

    const target = all[0]!;
    await billing.parked.discard(target.id, 'admin');
    expect(await billing.parked.get(target.id)).toMatchObject({ status: 'discarded', resolvedBy: 'admin' });
    expect((await billing.parked.list({ limit: 10, status: 'parked' })).items).toHaveLength(4);
    expect(
      (await billing.parked.list({ limit: 10, status: 'discarded' })).items.map((item) => item.id),
    ).toEqual([target.id]);
    await expect(billing.parked.discard(target.id, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(billing.parked.replay(target.id, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      billing.parked.replay('0190a8c0-0000-7000-8000-000000000000', 'admin'),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await billing.parked.get('0190a8c0-0000-7000-8000-000000000000')).toBeUndefined();
    expect(await billing.parked.get('not-a-uuid')).toBeUndefined();
    await expect(billing.parked.list({ limit: 10, cursor: 'garbage' })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('should refuse to subscribe when already started, and to start when nothing is subscribed', async () => {
    await open();
    await expect(consumer().start()).rejects.toThrow(/no subscription/);
    const billing = consumer();
    billing.subscribe([PLACED], record);
    await billing.start();
    expect(() => billing.subscribe([CANCELLED], record)).toThrow(/before start/);
  });
});
