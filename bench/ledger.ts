/**
 * Ledger postings per second from events, exactly once — through finance's real consumer, inbox, posting rules
 * and ledger (built from its definition) — next to a baseline measured in the same run against the same PostgreSQL: one
 * INSERT-and-commit per posting (the entry and its two lines in one statement, into the same tables with the
 * same triggers), from as many clients as the consumer runs transactions at once. Prints both and the ratio.
 *
 *   npm run bench:ledger           (needs PostgreSQL and RabbitMQ; LESSOR_TEST_DATABASE_URL, LESSOR_TEST_AMQP_URL)
 *   node --import tsx bench/ledger.ts [postings=10000]
 *
 * The events (billing's payment.received) are published and waiting in finance's queue before finance starts,
 * so the figure is the consumer's: delivery, inbox, rule, checks, entry + lines + its entry.posted event, commit,
 * ack. The consumer takes up to 50 events per transaction, 8 transactions at once, and gives them to finance's
 * batch handler: the inbox rows in one statement, then in one savepoint the entries with their lines in one
 * statement and their entry.posted events in one more (the per-event path, a savepoint each, only if it throws).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Connection } from 'rabbitmq-client';
import { consumerQueueName, createRabbitTransport, eventMigrations } from '@lessor/events';
import { deleteTestNamespace } from '@lessor/events/testing';
import { billingEvents } from '@lessor/event-catalog';
import { financeService } from '@lessor/finance';
import { buildService, migrate, openDatabase, ServiceEvents } from '@lessor/service-kit';

const total = Number(process.argv[2] ?? 10_000);
/** The consumer's transactions at once (the kit's default batchesInFlight): the baseline's clients. */
const CLIENTS = 8;
const serverUrl = process.env.LESSOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const amqpUrl = process.env.LESSOR_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const run = Date.now().toString(36);
const silent = pino({ level: 'silent' });
const PAYMENT = billingEvents.paymentReceived.type;

const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
const databaseName = `lessor_bench_ledger_${run}`;
await admin.query(`create database ${databaseName}`);
const url = new URL(serverUrl);
url.pathname = `/${databaseName}`;
const namespace = `bench-ledger-${run}`;

const amount = () => (Math.floor(Math.random() * 100_000) / 100 + 0.01).toFixed(2);
const payment = () => ({
  paymentId: randomUUID(),
  legalEntity: 'LESSOR',
  contractId: randomUUID(),
  partyId: randomUUID(),
  valueDate: '2026-06-15',
  reference: 'BENCH',
  currency: 'EUR',
  amount: amount(),
  source: 'import' as const,
});

/** Waits until `check` is true, polling every `intervalMs`. */
async function until(check: () => Promise<boolean>, intervalMs = 20): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

const financeDb = await openDatabase<unknown>({ schema: 'finance', url: url.toString(), poolSize: 10 });
const billingDb = await openDatabase<unknown>({ schema: 'billing', url: url.toString(), poolSize: 4 });
await migrate(billingDb, eventMigrations);
const transport = createRabbitTransport({ url: amqpUrl, namespace, connectionName: 'bench-ledger' });
const billing = new ServiceEvents('billing', billingDb.db, { transport }, silent, new Registry());
// Declares finance's queue (as every publisher does for the catalogue's consumers) before any event goes out.
await billing.start();

const finance = await buildService(financeService, {
  env: { PORT: '0', LOG_LEVEL: 'silent', FINANCE_INCOME_JOB_INTERVAL_MS: '0' },
  database: financeDb,
  transport,
  logger: silent,
  options: { today: () => '2026-12-31' },
});
// Built (migrated, chart and rules installed) but not ready: its consumer starts with ready() below.
const raw = financeDb.db.withoutPlugins();
const count = async (filter = sql`true`) =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from journal_entries where ${filter}`.execute(raw))
      .rows[0]!.n,
  );

/** One INSERT-and-commit per posting from CLIENTS connections: the entry and its lines in one statement. */
async function baseline(): Promise<number> {
  const { rows } = await sql<{ code: string; id: string }>`
    select code, id from accounts where code in ('1000', '2200') and currency = 'EUR'`.execute(raw);
  const bank = rows.find((row) => row.code === '1000')!.id;
  const credit = rows.find((row) => row.code === '2200')!.id;
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: CLIENTS,
    options: '-c search_path=finance',
  });
  pool.on('error', () => {});
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = await pool.connect();
      try {
        while (next < total) {
          next += 1;
          const value = amount();
          await client.query(
            `with entry as (
               insert into journal_entries (id, legal_entity, entry_date, kind, description, created_by)
               values ($1, 'LESSOR', '2026-06-15', 'manual', 'baseline', 'bench') returning id, entry_date)
             insert into journal_lines (entry_id, line_no, account_id, currency, entry_date, side, amount)
             select entry.id, line.no, line.account, 'EUR', entry.entry_date, line.side, $4::numeric
             from entry, (values (1, $2::uuid, 'debit'), (2, $3::uuid, 'credit')) as line(no, account, side)`,
            [randomUUID(), bank, credit, value],
          );
        }
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return total / seconds;
}

/** finance's consumer draining `total` payment events waiting in its queue. */
async function lessor(): Promise<{ rate: number; seconds: number; cpuMs: number }> {
  let written = 0;
  while (written < total) {
    const size = Math.min(200, total - written);
    written += size;
    await billingDb.db.transaction().execute(async (trx) => {
      for (let index = 0; index < size; index++) {
        const data = payment();
        await billing.publish(trx, billingEvents.paymentReceived, { data, actor: 'system' });
      }
    });
    billing.relay.wake();
  }
  const rabbit = new Connection(amqpUrl);
  const queued = async () =>
    (await rabbit.queueDeclare({ queue: consumerQueueName(`${namespace}.finance`), passive: true }))
      .messageCount;
  await until(async () => (await billing.relay.backlog()).pending === 0 && (await queued()) >= total);
  await rabbit.close();

  const filter = sql`source_event_type = ${PAYMENT}`;
  // The clock starts once the app is up (routes compiled, consumer subscribed): what it posts from then on.
  await finance.ready();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const before = await count(filter);
  // Every 100 ms, not 20: each poll counts a table of 2 × `total` rows on the CPU the consumer runs on; the end
  // is known to within 0.1 s (1 % of a 10 s run).
  await until(async () => (await count(filter)) >= total, 100);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  if ((await count(filter)) !== total)
    throw new Error(`expected ${total} entries, found ${await count(filter)}`);
  return { rate: (total - before) / seconds, seconds, cpuMs: (used.user + used.system) / 1000 };
}

try {
  const single = await baseline();
  const batched = await lessor();
  console.log(
    `ledger postings, ${total} postings, PostgreSQL and RabbitMQ (quorum queue), ${CLIENTS} clients, load ` +
      loadavg()
        .map((value) => value.toFixed(1))
        .join(' '),
  );
  console.log(
    `baseline (one INSERT-and-commit per posting, ${CLIENTS} clients): ${single.toFixed(0)} postings/s`,
  );
  console.log(
    `lessor (events → consumer + inbox + rule + entry/lines/outbox, batch handler): ${batched.rate.toFixed(0)} postings/s ` +
      `(${batched.seconds.toFixed(1)} s; this process — consumer, relay, polls — used ` +
      `${((batched.cpuMs / total) * 1000).toFixed(0)} µs of CPU per posting)`,
  );
  console.log(`ratio lessor/baseline: ${(batched.rate / single).toFixed(2)}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await finance.close();
  await billing.stop();
  await transport.close();
  await billingDb.close();
  await admin.query(`drop database ${databaseName} with (force)`);
  await admin.end();
  const consumers = ['finance', 'audit', 'assets', 'leasing', 'billing'];
  await deleteTestNamespace(amqpUrl, namespace, consumers).catch(() => {});
}
