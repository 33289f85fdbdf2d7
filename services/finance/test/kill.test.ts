import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Connection } from 'rabbitmq-client';
import { afterAll, describe, expect, it } from 'vitest';
import { billingEvents, eventConsumers } from '@lessor/event-catalog';
import {
  consumerQueueName,
  createRabbitTransport,
  eventMigrations,
  type RabbitTransport,
} from '@lessor/events';
import {
  deleteTestNamespace,
  eventually,
  spawnConsumerProcess,
  testAmqpUrl,
  type ConsumerProcess,
} from '@lessor/events/testing';
import { migrate, openDatabase, ServiceEvents, type Database } from '@lessor/service-kit';
import { createTestDatabase, testBackends, type TestDatabase } from '@lessor/service-kit/testing';
import { aLease, paymentReceived } from './events.ts';
import { TODAY } from './fixtures/finance-world.ts';

const EVENTS = 5_000;
const PER_TRANSACTION = 25;
const WRITERS = 4;
const KILL_AT = [1_000, 2_500, 4_000];
const fixture = fileURLToPath(new URL('./fixtures/finance-process.ts', import.meta.url));
const amqpUrl = testAmqpUrl();
const postgres = testBackends().includes('postgres');

// finance's consumer runs in a child process that the test SIGKILLs, as an OOM killer or a node failure
// would: no stop(), no last ack, no last commit. The broker hands the unacked deliveries out again; only the
// inbox (and the unique source event id of entries) stands between them and a second posting.
describe.runIf(postgres && amqpUrl)(
  'finance posting exactly once when its process is killed (PostgreSQL, RabbitMQ)',
  () => {
    const namespace = `test-finance-kill-${randomBytes(4).toString('hex')}`;
    let database: TestDatabase<any> | undefined;
    let billingDb: Database<unknown> | undefined;
    let publisher: RabbitTransport | undefined;
    let billing: ServiceEvents | undefined;
    const processes: ConsumerProcess[] = [];

    afterAll(async () => {
      for (const running of processes) {
        if (running.child.exitCode === null && running.child.signalCode === null)
          running.child.kill('SIGKILL');
        await running.exited;
      }
      await billing?.stop();
      await publisher?.close();
      await billingDb?.close();
      await deleteTestNamespace(amqpUrl!, namespace, ['finance']);
      await deleteTestNamespace(
        amqpUrl!,
        namespace,
        eventConsumers.map((consumer) => consumer.service).filter((name) => name !== 'finance'),
      ).catch(() => {});
      await database?.dispose();
    });

    it('should post each of 5,000 payments exactly once and balance the books when the consumer is SIGKILLed 3 times mid-stream', async () => {
      database = await createTestDatabase<any>('postgres', { schema: 'finance' });
      billingDb = await openDatabase<unknown>({ schema: 'billing', url: database.url! });
      await migrate(billingDb, eventMigrations);
      publisher = createRabbitTransport({
        url: amqpUrl!,
        namespace,
        connectionName: `kill-billing-${namespace}`,
      });
      // Billing's real outbox and relay: its start declares finance's queue before the first event goes out.
      billing = new ServiceEvents(
        'billing',
        billingDb.db,
        { transport: publisher, relayPollIntervalMs: 50 },
        pino({ level: 'silent' }),
        new Registry(),
      );
      await billing.start();

      const config = { databaseUrl: database.url!, amqpUrl: amqpUrl!, namespace, today: TODAY };
      processes.push(spawnConsumerProcess(fixture, config));

      const leases = Array.from({ length: 40 }, () => aLease());
      let written = 0;
      let total = new Decimal(0);
      const writer = async () => {
        while (written < EVENTS) {
          const size = Math.min(PER_TRANSACTION, EVENTS - written);
          written += size;
          const payments = Array.from({ length: size }, (_, index) => {
            // Every tenth payment arrives unmatched (suspense); the rest for a contract.
            const lease = index % 10 === 0 ? null : leases[Math.floor(Math.random() * leases.length)]!;
            const amount = new Decimal(Math.floor(Math.random() * 100_000) + 1).dividedBy(100).toFixed(2);
            total = total.plus(amount);
            return paymentReceived(lease, amount, '2026-06-15', { paymentId: randomUUID() });
          });
          await billingDb!.db.transaction().execute(async (trx) => {
            for (const data of payments) {
              await billing!.publish(trx, billingEvents.paymentReceived, { data, actor: 'system' });
            }
          });
          billing!.relay.wake();
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, writer));

      const db = database.db.withoutPlugins();
      const posted = async () =>
        Number(
          (
            await sql<{
              n: string;
            }>`select count(*) as n from journal_entries where source_event_type = ${billingEvents.paymentReceived.type}`.execute(
              db,
            )
          ).rows[0]?.n ?? 0,
        );
      const killedAt: number[] = [];
      for (const threshold of KILL_AT) {
        await eventually(async () => (await posted()) >= threshold, {
          timeoutMs: 120_000,
          intervalMs: 10,
          message: `${threshold} payments posted`,
        });
        const victim = processes.at(-1)!;
        victim.child.kill('SIGKILL');
        expect(await victim.exited).toBeNull();
        expect(victim.child.signalCode).toBe('SIGKILL');
        killedAt.push(await posted());
        processes.push(spawnConsumerProcess(fixture, config));
      }
      await writing;

      const admin = new Connection({ url: amqpUrl!, connectionTimeout: 3000 });
      admin.on('error', () => {});
      const queued = async () =>
        (await admin.queueDeclare({ queue: consumerQueueName(`${namespace}.finance`), passive: true }))
          .messageCount;
      try {
        await eventually(
          async () =>
            (await posted()) >= EVENTS &&
            (await billing!.relay.backlog()).pending === 0 &&
            (await queued()) === 0,
          { timeoutMs: 120_000, message: 'every payment posted and the queue drained' },
        );
        const last = processes.at(-1)!;
        last.child.kill('SIGTERM');
        expect(await last.exited).toBe(0);
        expect(await queued()).toBe(0);
      } finally {
        await admin.close();
      }

      const { rows } = await sql<Record<string, string>>`
      select
        (select count(*) from journal_entries where source_event_type = ${billingEvents.paymentReceived.type}) as entries,
        (select count(distinct source_event_id) from journal_entries) as "distinctEvents",
        (select count(*) from billing.outbox o
          where not exists (select 1 from journal_entries e where e.source_event_id = o.id)) as unposted,
        (select count(*) from inbox) as inbox,
        (select count(*) from review_items) as "reviewItems",
        (select count(*) from parked_events) as parked,
        (select coalesce(sum(amount) filter (where side = 'debit'), 0) - coalesce(sum(amount) filter (where side = 'credit'), 0)
           from journal_lines)::text as imbalance,
        (select sum(l.amount)::text from journal_lines l join accounts a on a.id = l.account_id
           where a.code = '1000' and l.side = 'debit') as bank`.execute(db);
      expect(rows[0]).toEqual({
        entries: String(EVENTS),
        distinctEvents: String(EVENTS),
        unposted: '0',
        inbox: String(EVENTS),
        reviewItems: '0',
        parked: '0',
        imbalance: '0.00',
        bank: total.toFixed(2),
      });
      expect(killedAt).toHaveLength(3);
      const redelivered = processes.reduce((sum, running) => sum + running.stats.redelivered, 0);
      const duplicates = processes.reduce((sum, running) => sum + running.stats.duplicates, 0);
      expect(redelivered).toBeGreaterThan(0);
      console.log(
        `${EVENTS} payments posted exactly once with finance killed at ${killedAt.join(', ')} entries; ` +
          `${redelivered} deliveries redelivered, ${duplicates} absorbed as duplicates`,
      );
    }, 300_000);
  },
);
