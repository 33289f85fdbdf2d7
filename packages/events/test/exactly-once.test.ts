import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import {
  createConsumer,
  createInProcessTransport,
  createOutbox,
  createRelay,
  eventMigrations,
} from '../src/index.ts';
import type { Consumer, Delivery, Relay, Transport } from '../src/index.ts';
import { eventually, wrapTransport } from '../src/testing.ts';

const EVENTS = 10_000;
const SUBJECTS = 50;
const WRITERS = 4;
const TYPE = 'lessor.orders.order.placed.v1';

describe.each(testBackends())('exactly-once effect on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let cleanup: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
    await database?.dispose();
    database = undefined;
  });

  it('should apply each of 10,000 events exactly once and in order per subject when relay and consumer restart and copies are delivered twice', async () => {
    database = await createTestDatabase<any>(backend, { schema: 'orders', migrations: eventMigrations });
    const db = database.db;
    await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null)`.execute(
      db,
    );
    await sql`create table orders (subject text primary key, version integer not null)`.execute(db);
    await db
      .insertInto('orders')
      .values(Array.from({ length: SUBJECTS }, (_, n) => ({ subject: `order-${n}`, version: 1 })))
      .execute();
    const busSchema = `bus_${randomBytes(4).toString('hex')}`;
    const bus = createInProcessTransport({ db, schema: busSchema, pollIntervalMs: 50 });
    cleanup.push(async () => {
      await bus.close();
      await sql`drop schema if exists ${sql.id(busSchema)} cascade`.execute(db);
    });
    const metrics = new Registry();

    // Copies on purpose: every 5th batch "crashes" after the broker confirmed it (the relay publishes it
    // again), and every 97th ack is lost (the bus delivers that event again). Only the inbox stands between
    // these copies and a second effect.
    let publishCalls = 0;
    const publishedCopies = new Map<string, number>();
    const flaky: Transport = wrapTransport(bus, {
      afterPublish(events) {
        for (const event of events) publishedCopies.set(event.id, (publishedCopies.get(event.id) ?? 0) + 1);
        publishCalls += 1;
        if (publishCalls % 5 === 0) throw new Error('simulated crash between publish and mark-sent');
      },
    });
    let deliveries = 0;
    const transport: Transport = {
      ...flaky,
      consume: (options, handle) =>
        bus.consume(options, (delivery) => {
          deliveries += 1;
          if (deliveries % 97 !== 0) return handle(delivery);
          const lostAck: Delivery = {
            event: delivery.event,
            attempt: delivery.attempt,
            redelivered: delivery.redelivered,
            ack: async () => {},
            retry: (reason) => delivery.retry(reason),
          };
          return handle(lostAck);
        }),
    };

    const outbox = createOutbox({ service: 'orders' });
    const newRelay = () => createRelay({ db, transport, pollIntervalMs: 50, maxBackoffMs: 50, metrics });
    const newConsumer = () => {
      const consumer = createConsumer<any>({ service: 'billing', db, transport, metrics });
      consumer.subscribe([TYPE], async (event, { trx }) => {
        await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
      });
      return consumer;
    };
    let relay: Relay = newRelay();
    let consumer: Consumer<any> = newConsumer();
    cleanup.push(async () => {
      await consumer.stop();
      await relay.stop();
    });
    relay.start();
    await consumer.start();

    const started = performance.now();
    // Writers in parallel, each in many small transactions (1-9 events) on random subjects.
    let written = 0;
    const writer = async () => {
      while (written < EVENTS) {
        const size = Math.min(1 + Math.floor(Math.random() * 9), EVENTS - written);
        written += size;
        // Like a service: each event reports a change of its order, whose row the transaction updates (and so
        // locks) before writing the event — in a fixed order, so two writers cannot deadlock.
        const subjects = Array.from(
          { length: size },
          () => `order-${Math.floor(Math.random() * SUBJECTS)}`,
        ).sort();
        await db.transaction().execute(async (trx) => {
          for (const subject of subjects) {
            await trx
              .updateTable('orders')
              .set({ version: sql`version + 1` })
              .where('subject', '=', subject)
              .execute();
            await outbox.add(trx, { type: TYPE, subject, data: { subject } });
          }
        });
        relay.wake();
        // Requests arrive through I/O; a writer that never yields would starve the process.
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const writing = Promise.all(Array.from({ length: WRITERS }, writer));

    // Restart the consumer (a new object) and the relay at points spread over the stream.
    const effectCount = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from effects`.execute(db)).rows[0]?.n);
    const consumerRestarts = [1500, 3000, 4500, 6000, 7500, 9000];
    const relayRestarts = [2500, 5000, 8000];
    let restarts = 0;
    for (;;) {
      const done = await effectCount();
      if (consumerRestarts[0] !== undefined && done >= consumerRestarts[0]) {
        consumerRestarts.shift();
        await consumer.stop();
        consumer = newConsumer();
        await consumer.start();
        restarts += 1;
      }
      if (relayRestarts[0] !== undefined && done >= relayRestarts[0]) {
        relayRestarts.shift();
        await relay.stop();
        relay = newRelay();
        relay.start();
        restarts += 1;
      }
      if (done >= EVENTS) break;
      if (performance.now() - started > 300_000) throw new Error(`stuck at ${done} effects`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await writing;
    const seconds = (performance.now() - started) / 1000;
    // Let the late copies (lost acks come back after a second) arrive: then the queue is empty.
    await eventually(
      async () =>
        Number(
          (await sql<{ n: string }>`select count(*) as n from ${sql.id(busSchema, 'messages')}`.execute(db))
            .rows[0]?.n,
        ) === 0 && (await relay.backlog()).pending === 0,
    );
    await consumer.stop();
    await relay.stop();

    const { rows } = await sql<{
      effects: string;
      distinctIds: string;
      unmatched: string;
      outOfOrder: string;
    }>`
        select
          (select count(*) from effects) as effects,
          (select count(distinct event_id) from effects) as distinct_ids,
          (select count(*) from outbox o where not exists (select 1 from effects e where e.event_id = o.id)) as unmatched,
          (select count(*) from (
             select o.seq, lag(o.seq) over (partition by e.subject order by e.seq) as previous
             from effects e join outbox o on o.id = e.event_id) as x
           where x.previous > x.seq) as out_of_order`.execute(db);
    expect(rows[0]).toEqual({ effects: '10000', distinctIds: '10000', unmatched: '0', outOfOrder: '0' });

    // The copies really happened, and the inbox absorbed them.
    const copies = [...publishedCopies.values()].filter((n) => n > 1).length;
    const consumed = await metrics.getSingleMetricAsString('lessor_events_consumed_total');
    const duplicates = Number(/outcome="duplicate"[^}]*} (\d+)/.exec(consumed)?.[1] ?? 0);
    expect(copies).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThan(0);
    expect(restarts).toBe(9);
    console.log(
      `[${backend}] ${EVENTS} events written, relayed and consumed exactly once in ${seconds.toFixed(1)} s ` +
        `(${Math.round(EVENTS / seconds)} events/s); ${copies} published twice, ${duplicates} duplicates absorbed`,
    );
  }, 300_000);
});
