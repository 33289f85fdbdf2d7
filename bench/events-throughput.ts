/**
 * Event throughput against a baseline measured in the same run on the same broker and queue type: raw
 * publish-with-confirms and consume-with-ack of the same number of messages with the same in-flight window.
 * Two figures, each after a baseline run of its own:
 *
 * - writers included: 16 writers each commit a row and its event (one transaction per event) while the relay
 *   publishes and a consumer records an inbox row and an effect row per event;
 * - drain only: the outbox already holds every event (committed before the clock starts); the relay publishes
 *   them, the consumer handles them; the time is to the last effect committed. This is the event path's own
 *   cost, without the writers' commits (which alone top out near 2,800 transactions/s on 2 cores).
 *
 *   npm run bench:events            (needs PostgreSQL and RabbitMQ; LESSOR_TEST_DATABASE_URL, LESSOR_TEST_AMQP_URL)
 *   node --import tsx bench/events-throughput.ts [events=20000] [writers=16] [which=both|writers|drain]
 */
import { loadavg } from 'node:os';
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
import { deleteTestNamespace, wrapTransport } from '@lessor/events/testing';
import { migrate, openDatabase, type EventTransaction, type Migration } from '@lessor/service-kit';

const total = Number(process.argv[2] ?? 20_000);
const writers = Number(process.argv[3] ?? 16);
const which = process.argv[4] ?? 'both';
// `nobaseline` skips the raw runs (for profiling the Lessor path alone); ratios are then not printed.
const withBaseline = process.argv[5] !== 'nobaseline';
const WINDOW = 500;
const PREFETCH = 200;
const serverUrl = process.env.LESSOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.LESSOR_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = Date.now().toString(36);
let round = 0;

/** Rate, lag percentiles, and this process's CPU (µs) per message. */
interface Figures {
  rate: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** Lessor only: when the relay had published every event, and when the last effect committed. */
  publishedSeconds?: number;
  seconds?: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
};

/** Raw rabbitmq-client: publish with confirms (WINDOW in flight) while consuming with manual ack. */
async function baseline(): Promise<Figures> {
  const connection = new Connection(amqpUrl);
  const queue = `lessor.bench-${run}-${++round}.raw`;
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
  const cpu = process.cpuUsage();
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
  const used = process.cpuUsage(cpu);
  await consumer.close();
  await publisher.close();
  await connection.queueDelete({ queue });
  await connection.close();
  return {
    rate: total / seconds,
    p50: percentile(lags, 0.5),
    p99: percentile(lags, 0.99),
    cpuUs: (used.user + used.system) / total,
  };
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

/**
 * The Lessor path: the relay publishes what the outbox holds; a consumer records the effect. With `drain`, every
 * event is committed to the outbox before the relay starts and the clock runs from its start; without, writers
 * commit a row and its event each while the relay and consumer run.
 */
async function lessor(drain: boolean): Promise<Figures> {
  const database = `lessor_bench_${run}_${++round}`;
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
  const namespace = `bench-${run}-${round}`;
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
  // When the relay had every event confirmed: the publish side's share of the time.
  let publishedCount = 0;
  let publishedAt = 0;
  const relay = createRelay({
    db: publisher.db as EventTransaction,
    transport: wrapTransport(transport, {
      afterPublish: (events) => {
        publishedCount += events.length;
        if (publishedCount >= total && publishedAt === 0) publishedAt = performance.now();
      },
    }),
    batchSize: 500,
    pollIntervalMs: 50,
  });
  const outbox = createOutbox({ service: 'bench' });
  const order = (n: number) => ({ type, subject: `order-${n % 1000}`, data: { n, pad: 'x'.repeat(300) } });
  if (drain) {
    for (let from = 0; from < total; from += 1000) {
      await publisher.db.transaction().execute(async (trx) => {
        const events = Array.from({ length: Math.min(1000, total - from) }, (_, index) =>
          order(from + index),
        );
        await outbox.addMany(trx as EventTransaction, events);
      });
    }
  }

  const started = performance.now();
  const cpu = process.cpuUsage();
  relay.start();
  let next = drain ? total : 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const n = next++;
        await publisher.db.transaction().execute(async (trx) => {
          await sql`insert into orders (n) values (${n})`.execute(trx);
          await outbox.add(trx as EventTransaction, order(n));
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
  const used = process.cpuUsage(cpu);
  if ((await effects()) !== total) throw new Error(`expected ${total} effects, found ${await effects()}`);

  await consumer.stop();
  await relay.stop();
  await transport.close();
  await publisher.close();
  await subscriber.close();
  await admin.query(`drop database ${database} with (force)`);
  await admin.end();
  await deleteTestNamespace(amqpUrl, namespace, ['bench']);
  return {
    rate: total / seconds,
    p50: percentile(lags, 0.5),
    p99: percentile(lags, 0.99),
    cpuUs: (used.user + used.system) / total,
    publishedSeconds: (publishedAt - started) / 1000,
    seconds,
  };
}

const report = (label: string, raw: Figures | undefined, run: Figures, lag: string) => {
  if (raw) {
    console.log(
      `  baseline (raw publish+confirm, consume+ack): ${raw.rate.toFixed(0)} msg/s, lag p50 ${raw.p50} ms, ` +
        `p99 ${raw.p99} ms, ${raw.cpuUs.toFixed(0)} µs CPU/msg in this process`,
    );
  }
  console.log(
    `  lessor: ${run.rate.toFixed(0)} events/s, lag ${lag} p50 ${run.p50} ms, p99 ${run.p99} ms, ` +
      `${run.cpuUs.toFixed(0)} µs CPU/event in this process; all published after ` +
      `${run.publishedSeconds?.toFixed(2)} s, all handled after ${run.seconds?.toFixed(2)} s`,
  );
  if (raw) console.log(`  ratio ${label} lessor/baseline: ${(run.rate / raw.rate).toFixed(2)}`);
};

console.log(
  `events, ${total} events, ${writers} writers, window ${WINDOW}, prefetch ${PREFETCH}, quorum queues, ` +
    `load ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
);
if (which !== 'drain') {
  const raw = withBaseline ? await baseline() : undefined;
  const full = await lessor(false);
  console.log('(a) writers included (write+outbox+relay+broker+inbox+effect):');
  report('(a) writers included', raw, full, 'commit→handler');
}
if (which !== 'writers') {
  const raw = withBaseline ? await baseline() : undefined;
  const drained = await lessor(true);
  console.log('(b) drain only (a full outbox: relay+broker+inbox+effect):');
  report('(b) drain only', raw, drained, 'outbox row→handler');
}
