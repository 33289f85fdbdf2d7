/**
 * End-to-end event throughput: service write + outbox + relay + RabbitMQ + consumer inbox + effect, against a
 * baseline measured in the same run on the same broker and queue type: raw publish-with-confirms and
 * consume-with-ack of the same number of messages with the same in-flight window. Prints both and the ratio.
 *
 *   npm run bench:events            (needs PostgreSQL and RabbitMQ; LESSOR_TEST_DATABASE_URL, LESSOR_TEST_AMQP_URL)
 *   node --import tsx bench/events-throughput.ts [events=20000] [writers=16]
 */
import { sql } from 'kysely';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';
import {
  createConsumer,
  createOutbox,
  createRabbitTransport,
  createRelay,
  eventMigrations,
} from '@lessor/events';
import { deleteTestNamespace } from '@lessor/events/testing';
import { migrate, openDatabase, type EventTransaction, type Migration } from '@lessor/service-kit';

const total = Number(process.argv[2] ?? 20_000);
const writers = Number(process.argv[3] ?? 16);
const WINDOW = 500;
const PREFETCH = 200;
const serverUrl = process.env.LESSOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.LESSOR_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = Date.now().toString(36);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

/** Raw rabbitmq-client: publish with confirms (WINDOW in flight) while consuming with manual ack. */
async function baseline(): Promise<{ rate: number; p50: number; p99: number }> {
  const connection = new Connection(amqpUrl);
  const queue = `lessor.bench-${run}.raw`;
  await connection.queueDeclare({ queue, durable: true, arguments: { 'x-queue-type': 'quorum' } });
  const lags: number[] = [];
  let received = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const queueOptions = { durable: true, arguments: { 'x-queue-type': 'quorum' as const } };
  const consumer = connection.createConsumer(
    { queue, queueOptions, qos: { prefetchCount: PREFETCH } },
    async (message) => {
      lags.push(Date.now() - (JSON.parse(String(message.body)) as { sent: number }).sent);
      if (++received === total) finish();
    },
  );
  const publisher = connection.createPublisher({ confirm: true, maxAttempts: 1 });
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const confirm = publisher.send(
      { routingKey: queue, durable: true },
      JSON.stringify({ i, sent: Date.now(), pad: 'x'.repeat(300) }),
    );
    inFlight.add(confirm);
    void confirm.finally(() => inFlight.delete(confirm));
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await done;
  const seconds = (performance.now() - started) / 1000;
  await consumer.close();
  await publisher.close();
  await connection.queueDelete({ queue });
  await connection.close();
  return { rate: total / seconds, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99) };
}

const ordersMigration: Migration = {
  name: '0001_bench_orders',
  async up(db) {
    await db.schema
      .createTable('orders')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('n', 'integer')
      .execute();
  },
};
const effectsMigration: Migration = {
  name: '0001_bench_effects',
  async up(db) {
    await db.schema.createTable('effects').addColumn('event_id', 'uuid').addColumn('n', 'integer').execute();
  },
};

/** The Lessor path: writers commit a row and its event; the relay publishes; a consumer records the effect. */
async function lessor(): Promise<{ rate: number; p50: number; p99: number }> {
  const database = `lessor_bench_${run}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const publisher = await openDatabase<unknown>({
    schema: 'bench_pub',
    url: url.toString(),
    poolSize: writers + 2,
  });
  const subscriber = await openDatabase<unknown>({ schema: 'bench_sub', url: url.toString(), poolSize: 8 });
  await migrate(publisher, [...eventMigrations, ordersMigration]);
  await migrate(subscriber, [...eventMigrations, effectsMigration]);
  const namespace = `bench-${run}`;
  const transport = createRabbitTransport({ url: amqpUrl, namespace, publisherConfirmsInFlight: WINDOW });
  const lags: number[] = [];
  let handled = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const type = 'lessor.bench.order.placed.v1';
  const consumer = createConsumer({
    service: 'bench',
    db: subscriber.db as EventTransaction,
    transport,
    prefetch: PREFETCH,
  });
  consumer.subscribe([type], async (event, { trx }) => {
    await sql`insert into effects (event_id, n) values (${event.id}, ${(event.data as { n: number }).n})`.execute(
      trx,
    );
    lags.push(Date.now() - Date.parse(event.time));
    if (++handled === total) finish();
  });
  await consumer.start();
  const relay = createRelay({
    db: publisher.db as EventTransaction,
    transport,
    batchSize: 500,
    pollIntervalMs: 50,
  });
  relay.start();
  const outbox = createOutbox({ service: 'bench' });

  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const n = next++;
        await publisher.db.transaction().execute(async (trx) => {
          await sql`insert into orders (n) values (${n})`.execute(trx);
          await outbox.add(trx as EventTransaction, {
            type,
            subject: `order-${n % 1000}`,
            data: { n, pad: 'x'.repeat(300) },
          });
        });
        relay.wake();
      }
    }),
  );
  await done;
  // The last handler has run; its transaction commits a moment later.
  const effects = async () =>
    Number(
      (await sql<{ count: string }>`select count(*) as count from effects`.execute(subscriber.db)).rows[0]!
        .count,
    );
  while ((await effects()) < total) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - started) / 1000;
  if ((await effects()) !== total) throw new Error(`expected ${total} effects, found ${await effects()}`);

  await consumer.stop();
  await relay.stop();
  await transport.close();
  await publisher.close();
  await subscriber.close();
  await admin.query(`drop database ${database} with (force)`);
  await admin.end();
  await deleteTestNamespace(amqpUrl, namespace, ['bench']);
  return { rate: total / seconds, p50: percentile(lags, 0.5), p99: percentile(lags, 0.99) };
}

const raw = await baseline();
const full = await lessor();
console.log(
  `events end to end, ${total} events, ${writers} writers, window ${WINDOW}, prefetch ${PREFETCH}, quorum queues`,
);
console.log(
  `baseline (raw publish+confirm, consume+ack): ${raw.rate.toFixed(0)} msg/s, lag p50 ${raw.p50} ms, p99 ${raw.p99} ms`,
);
console.log(
  `lessor (write+outbox+relay+broker+inbox+effect): ${full.rate.toFixed(0)} events/s, lag commit→handler p50 ${full.p50} ms, p99 ${full.p99} ms`,
);
console.log(`ratio lessor/baseline: ${(full.rate / raw.rate).toFixed(2)}`);
