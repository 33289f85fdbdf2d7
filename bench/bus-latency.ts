import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createInProcessTransport, type EventEnvelope } from '@lessor/events';
import { ensurePostgresDatabase, openDatabase } from '@lessor/service-kit';
import { pino } from 'pino';
import { listenTo } from '../apps/stack/src/bus-listener.ts';

/**
 * How long an event takes from one process to another on `npm start`'s durable bus (ADR 21): a publisher in a
 * child process publishes one event every 37 ms; the consumer here measures publish-to-handler latency, with
 * the wake-up by LISTEN/NOTIFY and without it (polling alone), at two poll intervals. Also the idle load: the
 * polls per second a consumer makes. PostgreSQL from BENCH_DATABASE_URL (default the test server).
 */
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(base);
url.pathname = '/lessor_bench_bus';
const busUrl = url.toString();
const EVENTS = Number(process.env.BENCH_EVENTS ?? 150);
const logger = pino({ level: 'silent' });

if (process.argv[2] === 'publisher') {
  const bus = await openDatabase<unknown>({ schema: 'lessor_bus', url: busUrl, poolSize: 2 });
  const transport = createInProcessTransport({ db: bus.db });
  for (let n = 0; n < EVENTS; n += 1) {
    const event: EventEnvelope = {
      specversion: '1.0',
      id: randomUUID(),
      source: '/lessor/bench',
      type: 'lessor.bench.thing.happened.v1',
      subject: String(n),
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { sentAt: performance.timeOrigin + performance.now() },
    };
    await transport.publish([event]);
    await new Promise((resolve) => setTimeout(resolve, 37));
  }
  await transport.close();
  await bus.close();
  process.exit(0);
}

await ensurePostgresDatabase(busUrl);
const bus = await openDatabase<unknown>({ schema: 'lessor_bus', url: busUrl, poolSize: 4 });

async function run(label: string, pollIntervalMs: number, notify: boolean) {
  const transport = createInProcessTransport({
    db: bus.db,
    pollIntervalMs,
    ...(notify ? { listen: (channel, onPayload) => listenTo(busUrl, channel, onPayload, logger) } : {}),
  });
  const latencies: number[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const subscription = await transport.consume(
    { consumer: 'bench-latency', types: ['lessor.bench.#'], prefetch: 10, retryDelaysMs: [] },
    async (delivery) => {
      const { sentAt } = delivery.event.data as { sentAt: number };
      latencies.push(performance.timeOrigin + performance.now() - sentAt);
      await delivery.ack();
      if (latencies.length === EVENTS) done();
    },
  );
  const publisher = fork(fileURLToPath(import.meta.url), ['publisher'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env },
  });
  const exited = new Promise((resolve) => publisher.once('exit', resolve));
  await finished;
  await exited;
  await subscription.close();
  await transport.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const mean = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
  console.log(
    `${label.padEnd(34)} events ${EVENTS}  mean ${mean.toFixed(1)} ms  p50 ${at(0.5).toFixed(1)}  ` +
      `p95 ${at(0.95).toFixed(1)}  p99 ${at(0.99).toFixed(1)}  max ${latencies.at(-1)!.toFixed(1)} ms  ` +
      `idle polls/s per consumer ${(1000 / pollIntervalMs).toFixed(0)}`,
  );
}

await run('poll 100 ms, no NOTIFY', 100, false);
await run('poll 1000 ms, no NOTIFY', 1000, false);
await run('poll 1000 ms + LISTEN/NOTIFY', 1000, true);
await run('poll 100 ms + LISTEN/NOTIFY', 100, true);
await bus.close();
