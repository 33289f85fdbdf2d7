import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { Connection } from 'rabbitmq-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import {
  consumerQueueName,
  createOutbox,
  createRabbitTransport,
  createRelay,
  eventMigrations,
} from '../src/index.ts';
import type { RabbitTransport, Relay } from '../src/index.ts';
import {
  deleteTestNamespace,
  eventually,
  spawnConsumerProcess,
  testAmqpUrl,
  type ConsumerProcess,
} from '../src/testing.ts';

const EVENTS = 10_000;
const SUBJECTS = 200;
const WRITERS = 4;
const PER_TRANSACTION = 10;
const KILL_AT = [1_500, 4_000, 7_000];
const TYPE = 'lessor.orders.order.placed.v1';
const CONSUMER = 'billing';
const fixture = fileURLToPath(new URL('./fixtures/consumer-process.ts', import.meta.url));
const url = testAmqpUrl();
const postgres = testBackends().includes('postgres');

// The consumer runs in a child process that the test SIGKILLs, as an OOM killer or a node failure would: no
// stop(), no last ack, the TCP connection simply vanishes. Only the inbox stands between the deliveries the
// broker then hands out again and a second effect.
describe.runIf(postgres && url)(
  'exactly-once effect when the consumer process is killed (PostgreSQL, RabbitMQ)',
  () => {
    const namespace = `test-kill-${randomBytes(4).toString('hex')}`;
    let database: TestDatabase<any> | undefined;
    let publisher: RabbitTransport | undefined;
    let relay: Relay | undefined;
    const processes: ConsumerProcess[] = [];

    afterAll(async () => {
      for (const running of processes) {
        if (running.child.exitCode === null && running.child.signalCode === null)
          running.child.kill('SIGKILL');
        await running.exited;
      }
      await relay?.stop();
      await publisher?.close();
      await deleteTestNamespace(url!, namespace, [CONSUMER]);
      await database?.dispose();
    });

    it('should record each of 10,000 effects exactly once and leave nothing unacked when the consumer process is SIGKILLed 3 times mid-stream', async () => {
      database = await createTestDatabase<any>('postgres', { schema: 'orders', migrations: eventMigrations });
      const db = database.db;
      // No unique constraint: a second effect of an event must show up as a duplicate row, not as an error.
      await sql`create table effects (seq bigserial primary key, event_id uuid not null)`.execute(db);
      await sql`create table orders (subject text primary key, version integer not null)`.execute(db);
      await db
        .insertInto('orders')
        .values(Array.from({ length: SUBJECTS }, (_, n) => ({ subject: `order-${n}`, version: 1 })))
        .execute();

      publisher = createRabbitTransport({
        url: url!,
        namespace,
        connectionName: `kill-test-relay-${namespace}`,
      });
      await publisher.ready();
      // The consumer's queue exists before the first event goes out, as the kit's publishers make sure of.
      await publisher.bind(CONSUMER, [TYPE]);
      relay = createRelay({ db, transport: publisher, pollIntervalMs: 50 });
      relay.start();

      const config = {
        databaseUrl: database.url!,
        schema: 'orders',
        amqpUrl: url!,
        namespace,
        consumer: CONSUMER,
        type: TYPE,
      };
      processes.push(spawnConsumerProcess(fixture, config));

      const outbox = createOutbox({ service: 'orders' });
      let written = 0;
      // The write side is not what this test is about: a few events per transaction, in one statement.
      const writer = async () => {
        while (written < EVENTS) {
          const size = Math.min(PER_TRANSACTION, EVENTS - written);
          written += size;
          const events = Array.from({ length: size }, () => {
            const subject = `order-${Math.floor(Math.random() * SUBJECTS)}`;
            return { type: TYPE, subject, data: { subject } };
          });
          await db.transaction().execute((trx) => outbox.addMany(trx, events));
          relay!.wake();
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, writer));

      const effectCount = async () =>
        Number((await sql<{ n: string }>`select count(*) as n from effects`.execute(db)).rows[0]?.n);
      const started = performance.now();
      const killedAt: number[] = [];
      for (const threshold of KILL_AT) {
        await eventually(async () => (await effectCount()) >= threshold, {
          timeoutMs: 60_000,
          intervalMs: 10,
          message: `${threshold} effects`,
        });
        const victim = processes.at(-1)!;
        victim.child.kill('SIGKILL');
        expect(await victim.exited).toBeNull();
        expect(victim.child.signalCode).toBe('SIGKILL');
        killedAt.push(await effectCount());
        processes.push(spawnConsumerProcess(fixture, config));
      }
      await writing;

      const admin = new Connection({ url: url!, connectionTimeout: 3000 });
      admin.on('error', () => {});
      const ready = async () =>
        (await admin.queueDeclare({ queue: consumerQueueName(`${namespace}.${CONSUMER}`), passive: true }))
          .messageCount;
      try {
        await eventually(
          async () =>
            (await effectCount()) >= EVENTS &&
            (await relay!.backlog()).pending === 0 &&
            (await ready()) === 0,
          { timeoutMs: 60_000, message: 'every event handled and the queue drained' },
        );
        const seconds = (performance.now() - started) / 1000;
        // A graceful stop of the last process hands anything it had not acked back to the queue.
        const last = processes.at(-1)!;
        last.child.kill('SIGTERM');
        expect(await last.exited).toBe(0);
        expect(await ready()).toBe(0);

        const { rows } = await sql<{
          effects: string;
          distinctIds: string;
          unmatched: string;
          inbox: string;
        }>`
        select
          (select count(*) from effects) as effects,
          (select count(distinct event_id) from effects) as distinct_ids,
          (select count(*) from outbox o where not exists (select 1 from effects e where e.event_id = o.id)) as unmatched,
          (select count(*) from inbox) as inbox`.execute(db);
        expect(rows[0]).toEqual({ effects: '10000', distinctIds: '10000', unmatched: '0', inbox: '10000' });
        expect(killedAt).toHaveLength(3);
        // The kills hit deliveries in flight: the broker handed them out again.
        const redelivered = processes.reduce((sum, running) => sum + running.stats.redelivered, 0);
        const duplicates = processes.reduce((sum, running) => sum + running.stats.duplicates, 0);
        expect(redelivered).toBeGreaterThan(0);
        console.log(
          `${EVENTS} events exactly once in ${seconds.toFixed(1)} s with the consumer process killed at ` +
            `${killedAt.join(', ')} effects; ${redelivered} deliveries redelivered, ${duplicates} absorbed as duplicates`,
        );
      } finally {
        await admin.close();
      }
    }, 180_000);
  },
);
