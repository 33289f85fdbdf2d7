import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createEnvelope, createInProcessTransport } from '../src/index.ts';
import type { Delivery, EventEnvelope, InProcessTransport, Subscription } from '../src/index.ts';
import { eventually } from '../src/testing.ts';

const PLACED = 'lessor.orders.order.placed.v1';
const SHIPPED = 'lessor.orders.order.shipped.v1';
const CREATED = 'lessor.sso.user.created.v1';

function event(type: string, subject: string, data: unknown = {}): EventEnvelope {
  return createEnvelope('orders', { type, subject, data });
}

const defaults = { prefetch: 10, retryDelaysMs: [] as number[] };

describe.each(testBackends())('the in-process transport on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  const subscriptions: Subscription[] = [];

  async function open(options: { pollIntervalMs?: number } = {}): Promise<InProcessTransport> {
    // The bus lives in the instance, beside the services' schemas: each test gets its own bus schema.
    database ??= await createTestDatabase<any>(backend, { schema: 'bus_test' });
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({
      db: database.db,
      schema: busSchema,
      pollIntervalMs: options.pollIntervalMs ?? 20,
    });
    return bus;
  }

  const queued = async (queue?: string) => {
    const filter = queue === undefined ? sql`true` : sql`queue = ${queue}`;
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from ${sql.id(busSchema, 'messages')} where ${filter}`.execute(database!.db);
    return Number(rows[0]?.n);
  };

  afterEach(async () => {
    for (const subscription of subscriptions.splice(0)) await subscription.close();
    await bus?.close();
    if (database && busSchema)
      await sql`drop schema if exists ${sql.id(busSchema)} cascade`.execute(database.db);
    bus = undefined;
    await database?.dispose();
    database = undefined;
  });

  it('should keep events for a queue when they are published while its consumer is down', async () => {
    const transport = await open();
    const first = await transport.consume({ consumer: 'billing', types: [PLACED], ...defaults }, (d) =>
      d.ack(),
    );
    await first.close();

    const published = [event(PLACED, 'o-1'), event(PLACED, 'o-2'), event(PLACED, 'o-3')];
    await transport.publish(published);
    expect(await queued('lessor.billing')).toBe(3);

    const received: Delivery[] = [];
    subscriptions.push(
      await transport.consume({ consumer: 'billing', types: [PLACED], ...defaults }, async (delivery) => {
        received.push(delivery);
        await delivery.ack();
      }),
    );
    await eventually(() => received.length === 3);
    expect(received.map((delivery) => delivery.event)).toEqual(published);
    expect(received.map((delivery) => [delivery.attempt, delivery.redelivered])).toEqual([
      [1, false],
      [1, false],
      [1, false],
    ]);
    await eventually(async () => (await queued()) === 0);
  });

  it('should keep events for a queue when it was declared with bind before its consumer ever started', async () => {
    const transport = await open();
    await transport.bind('audit', ['lessor.#']);
    await transport.publish([event(CREATED, 'u-1')]);
    expect(await queued('lessor.audit')).toBe(1);
  });

  it('should route by topic pattern with one copy per queue when several of its patterns match', async () => {
    const transport = await open();
    await transport.bind('billing', [PLACED, 'lessor.orders.#']);
    await transport.bind('shipping', ['lessor.*.order.shipped.v1']);
    await transport.bind('audit', ['#']);
    await transport.publish([event(PLACED, 'o-1'), event(SHIPPED, 'o-1'), event(CREATED, 'u-1')]);
    expect(await queued('lessor.billing')).toBe(2);
    expect(await queued('lessor.shipping')).toBe(1);
    expect(await queued('lessor.audit')).toBe(3);
  });

  it('should deliver in publish order with at most prefetch outstanding when handlers are slow', async () => {
    const transport = await open();
    const published = Array.from({ length: 40 }, (_, n) => event(PLACED, `o-${n % 4}`, { n }));
    let outstanding = 0;
    let most = 0;
    const order: number[] = [];
    await transport.bind('billing', [PLACED]);
    await transport.publish(published);
    subscriptions.push(
      await transport.consume(
        { consumer: 'billing', types: [PLACED], prefetch: 3, retryDelaysMs: [] },
        async (d) => {
          outstanding += 1;
          most = Math.max(most, outstanding);
          order.push((d.event.data as { n: number }).n);
          await new Promise((resolve) => setTimeout(resolve, 2));
          outstanding -= 1;
          await d.ack();
        },
      ),
    );
    await eventually(() => order.length === 40);
    expect(order).toEqual(published.map((_, n) => n));
    expect(most).toBe(3);
  });

  it('should redeliver with the next attempt after each delay and refuse when no retry is left', async () => {
    const transport = await open();
    const seen: { attempt: number; redelivered: boolean }[] = [];
    let refused = false;
    subscriptions.push(
      await transport.consume(
        { consumer: 'billing', types: [PLACED], prefetch: 5, retryDelaysMs: [30, 60] },
        async (delivery) => {
          seen.push({ attempt: delivery.attempt, redelivered: delivery.redelivered });
          if (await delivery.retry(`failed attempt ${delivery.attempt}`)) return;
          refused = true;
          await delivery.ack();
        },
      ),
    );
    await transport.publish([event(PLACED, 'o-1')]);
    await eventually(() => refused);
    expect(seen).toEqual([
      { attempt: 1, redelivered: false },
      { attempt: 2, redelivered: false },
      { attempt: 3, redelivered: false },
    ]);
    await eventually(async () => (await queued()) === 0);
  });

  it('should record the attempt and reason in the queue row when a retry is granted', async () => {
    const transport = await open();
    let retried = false;
    subscriptions.push(
      await transport.consume(
        { consumer: 'billing', types: [PLACED], prefetch: 5, retryDelaysMs: [60_000] },
        async (delivery) => {
          retried = await delivery.retry('the ledger is closed');
        },
      ),
    );
    await transport.publish([event(PLACED, 'o-1')]);
    await eventually(() => retried);
    const { rows } = await sql<{ attempt: number; lastError: string; due: boolean }>`
      select attempt, last_error, not_before > now() + interval '50 seconds' as due
      from ${sql.id(busSchema, 'messages')}`.execute(database!.db);
    expect(rows).toEqual([{ attempt: 2, lastError: 'the ledger is closed', due: true }]);
  });

  it('should deliver again as redelivered when a handler ends without settling', async () => {
    const transport = await open();
    const seen: boolean[] = [];
    subscriptions.push(
      await transport.consume({ consumer: 'billing', types: [PLACED], ...defaults }, async (delivery) => {
        seen.push(delivery.redelivered);
        if (seen.length === 1) throw new Error('crashed before settling');
        await delivery.ack();
      }),
    );
    await transport.publish([event(PLACED, 'o-1')]);
    await eventually(() => seen.length === 2, { timeoutMs: 10_000 });
    expect(seen).toEqual([false, true]);
    await eventually(async () => (await queued()) === 0);
  });

  it('should refuse a second settlement when a delivery is settled twice', async () => {
    const transport = await open();
    let second: unknown;
    subscriptions.push(
      await transport.consume({ consumer: 'billing', types: [PLACED], ...defaults }, async (delivery) => {
        await delivery.ack();
        second = await delivery.ack().catch((error: unknown) => error);
      }),
    );
    await transport.publish([event(PLACED, 'o-1')]);
    await eventually(() => second !== undefined);
    expect(second).toBeInstanceOf(Error);
  });

  it('should wake its consumer when a publish commits, without waiting for a poll', async () => {
    // A poll interval far beyond the test's timeout: only the in-process signal can deliver in time.
    const transport = await open({ pollIntervalMs: 600_000 });
    const received: string[] = [];
    subscriptions.push(
      await transport.consume({ consumer: 'billing', types: [PLACED], ...defaults }, async (delivery) => {
        received.push(delivery.event.subject);
        await delivery.ack();
      }),
    );
    await transport.publish([event(PLACED, 'o-1')]);
    await eventually(() => received.length === 1, { timeoutMs: 10_000 });
    expect(received).toEqual(['o-1']);
  });

  it('should refuse to publish when closed', async () => {
    const transport = await open();
    await transport.close();
    await expect(transport.publish([event(PLACED, 'o-1')])).rejects.toThrow(/closed/);
  });

  it('should wake a consumer of another transport through LISTEN/NOTIFY at once when its poll is a minute away', async () => {
    const publisher = await open();
    const client = new pg.Client({ connectionString: database!.url });
    const consumerSide = createInProcessTransport({
      db: database!.db,
      schema: busSchema,
      pollIntervalMs: 60_000,
      claimer: 'another-process',
      listen: async (channel, onPayload) => {
        client.on('notification', (notification) => onPayload(notification.payload ?? ''));
        await client.connect();
        await client.query(`listen ${pg.escapeIdentifier(channel)}`);
        return { close: () => client.end() };
      },
    });
    try {
      const received: string[] = [];
      const subscription = await consumerSide.consume(
        { consumer: 'billing', types: [PLACED], ...defaults },
        async (delivery) => {
          received.push(delivery.event.subject);
          await delivery.ack();
        },
      );
      // Its first poll found nothing: from now on only a notification can wake it within the minute.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await publisher.publish([event(PLACED, 'o-1')]);
      await eventually(() => received.length === 1, { timeoutMs: 5_000 });
      expect(Date.now() - started).toBeLessThan(5_000);
      await subscription.close();
    } finally {
      await consumerSide.close();
    }
  });

  it('should never hand a row claimed by one process to another before its lease runs out, then hand it over as redelivered', async () => {
    const first = await open();
    const second = createInProcessTransport({
      db: database!.db,
      schema: busSchema,
      pollIntervalMs: 20,
      claimer: 'second-process',
      claimLeaseMs: 60_000,
    });
    const third = createInProcessTransport({
      db: database!.db,
      schema: busSchema,
      pollIntervalMs: 20,
      claimer: 'third-process',
      claimLeaseMs: 60_000,
    });
    try {
      await first.bind('billing', [PLACED]);
      await first.publish([event(PLACED, 'o-1')]);
      // The second process takes the row and never settles it (as if it hung).
      const held: Delivery[] = [];
      let release: () => void = () => {};
      const hung = new Promise<void>((resolve) => (release = resolve));
      const holder = await second.consume(
        { consumer: 'billing', types: [PLACED], ...defaults },
        async (d) => {
          held.push(d);
          await hung;
          await d.ack();
        },
      );
      await eventually(() => held.length === 1);
      // A third process consuming the same queue does not get it while the claim holds.
      const taken: Delivery[] = [];
      const other = await third.consume({ consumer: 'billing', types: [PLACED], ...defaults }, async (d) => {
        taken.push(d);
        await d.ack();
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(taken).toHaveLength(0);
      // The lease runs out (the holder died with it): the third takes it over, as redelivered.
      await sql`update ${sql.id(busSchema, 'messages')} set claimed_until = now() - interval '1 second'`.execute(
        database!.db,
      );
      await eventually(() => taken.length === 1);
      expect(taken[0]!.redelivered).toBe(true);
      expect(taken[0]!.event.subject).toBe('o-1');
      release();
      await other.close();
      await holder.close();
    } finally {
      await second.close();
      await third.close();
    }
  });
});
