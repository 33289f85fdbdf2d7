import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createConsumerMetrics } from '../../src/consumer/consumer-metrics.ts';
import { staleReason } from '../../src/consumer/delivery-policy.ts';
import { insertInboxRow } from '../../src/consumer/inbox.ts';
import type { Job, Pending, Verdict } from '../../src/consumer/job.ts';
import { countParked } from '../../src/consumer/parked-events.ts';
import { createDeliverySettlement } from '../../src/consumer/settle-delivery.ts';
import type { DeliverySettlement } from '../../src/consumer/settle-delivery.ts';
import { createInProcessTransport } from '../../src/index.ts';
import type { Delivery, EventEnvelope, InProcessTransport, Subscription } from '../../src/index.ts';
import { eventually } from '../../src/testing.ts';
import { PLACED, openEffectsDatabase, placed, quietLog } from '../helpers/consumer-database.ts';

const DAY_MS = 86_400_000;
const RETENTION_MS = 14 * DAY_MS;

// Real deliveries of the in-process transport (a bus in tables of the test database): what a settlement did is
// read back from the bus (the message gone, or waiting for its retry) and from `parked_events`.
describe('settling deliveries against PostgreSQL and the in-process transport', () => {
  let database: TestDatabase<any>;
  let bus: InProcessTransport;
  let busSchema: string;
  let subscription: Subscription | undefined;
  let registry: Registry;
  /** Deliveries handed over by the bus, each with the call that lets the bus's handle return. */
  let arrived: { delivery: Delivery; release: () => void }[];

  afterEach(async () => {
    for (const { release } of arrived ?? []) release();
    await subscription?.close();
    subscription = undefined;
    await bus?.close();
    if (database) await sql`drop schema if exists ${sql.id(busSchema)} cascade`.execute(database.db);
    await database?.dispose();
  });

  /** A settlement, and a delivery of `event` through the bus with these retry delays. */
  async function deliver(
    event: EventEnvelope,
    retryDelaysMs: number[],
  ): Promise<{ settlement: DeliverySettlement<any>; delivery: Delivery }> {
    database = await openEffectsDatabase('settle');
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({ db: database.db, schema: busSchema, pollIntervalMs: 20 });
    registry = new Registry();
    arrived = [];
    subscription = await bus.consume(
      { consumer: 'billing', types: [PLACED], prefetch: 10, retryDelaysMs },
      (delivery) => new Promise<void>((release) => arrived.push({ delivery, release })),
    );
    await bus.publish([event]);
    const { delivery } = await eventually(() => arrived[0]);
    const settlement = createDeliverySettlement<any>({
      raw: database.db.withoutPlugins(),
      retentionMs: RETENTION_MS,
      retryDelaysMs,
      logger: quietLog,
      logFor: () => quietLog,
      metrics: createConsumerMetrics(registry, {
        countParked: async () => 0,
        queueDepth: async () => 0,
        logger: quietLog,
      }),
    });
    return { settlement, delivery };
  }

  /** The bus's message of the event: gone once acked; its attempt and last error once retried. */
  async function message(): Promise<{ attempt: number; lastError: string | null } | undefined> {
    const { rows } = await sql<{ attempt: number; lastError: string | null }>`
      select attempt, last_error from ${sql.id(busSchema, 'messages')}`.execute(database.db);
    return rows[0];
  }

  async function parkedRows(): Promise<{ eventId: string; reason: string; attempts: number }[]> {
    const { rows } = await sql<{ eventId: string; reason: string; attempts: number }>`
      select event_id, reason, attempts from parked_events`.execute(database.db);
    return rows;
  }

  async function settledCount(outcome: string): Promise<number> {
    const series = `lessor_events_consumed_total{type="${PLACED}",outcome="${outcome}"} `;
    const line = (await registry.metrics()).split('\n').find((text) => text.startsWith(series));
    return Number(line?.split(' ').at(-1) ?? 0);
  }

  function jobOf(delivery: Delivery, pending: Partial<Pending> = {}): Job<any> {
    return {
      pending: { delivery, resolve: () => {}, reject: () => {}, ...pending },
      event: delivery.event,
      attempt: delivery.attempt,
      log: quietLog,
      handlers: [],
      subscribed: [],
    };
  }

  describe('fail', () => {
    it('should ask the transport for a retry when one is left, and park nothing', async () => {
      const { settlement, delivery } = await deliver(placed('order-1'), [60_000]);

      await settlement.fail(delivery, quietLog, new Error('the price list has no entry'));

      expect(await message()).toEqual({ attempt: 2, lastError: 'the price list has no entry' });
      expect(await parkedRows()).toEqual([]);
      expect(await settledCount('retried')).toBe(1);
    });

    it('should park and ack the event when no retry is left', async () => {
      const event = placed('order-1');
      const { settlement, delivery } = await deliver(event, []);

      await settlement.fail(delivery, quietLog, new Error('the price list has no entry'));

      expect(await message()).toBeUndefined();
      expect(await parkedRows()).toEqual([
        { eventId: event.id, reason: 'the price list has no entry', attempts: 1 },
      ]);
      expect(await settledCount('parked')).toBe(1);
    });
  });

  it('should park an invalid event and ack it without asking for a retry', async () => {
    const event = placed('order-1');
    const { settlement, delivery } = await deliver(event, [60_000]);

    await settlement.parkInvalid(delivery, quietLog, 'data.amount is missing');

    expect(await message()).toBeUndefined();
    expect(await parkedRows()).toEqual([
      { eventId: event.id, reason: 'invalid: data.amount is missing', attempts: 1 },
    ]);
    expect(await settledCount('parked')).toBe(1);
  });

  it('should ack an event no subscription handles and park nothing', async () => {
    const { settlement, delivery } = await deliver(placed('order-1'), [60_000]);

    await settlement.ignore(delivery, quietLog);

    expect(await message()).toBeUndefined();
    expect(await parkedRows()).toEqual([]);
    expect(await settledCount('ignored')).toBe(1);
  });

  describe('settleStale', () => {
    const stale = () => ({ ...placed('order-1'), time: new Date(Date.now() - 20 * DAY_MS).toISOString() });

    it('should ack a stale event as a duplicate when the inbox still knows it', async () => {
      const event = stale();
      const { settlement, delivery } = await deliver(event, [60_000]);
      await insertInboxRow(database.db, event);

      await settlement.settleStale(delivery, quietLog);

      expect(await message()).toBeUndefined();
      expect(await parkedRows()).toEqual([]);
      expect(await settledCount('duplicate')).toBe(1);
    });

    it('should park a stale event the inbox does not know, for it may have been applied and forgotten', async () => {
      const event = stale();
      const { settlement, delivery } = await deliver(event, [60_000]);

      await settlement.settleStale(delivery, quietLog);

      expect(await message()).toBeUndefined();
      expect(await parkedRows()).toEqual([
        { eventId: event.id, reason: staleReason(event.time, RETENTION_MS), attempts: 1 },
      ]);
      expect(await countParked(database.db.withoutPlugins())).toBe(1);
    });
  });

  describe('conclude', () => {
    it.each([
      ['applied', 'handled'],
      ['duplicate', 'duplicate'],
    ] as const)('should ack an event when its verdict is %s and count it %s', async (verdict, outcome) => {
      const { settlement, delivery } = await deliver(placed('order-1'), [60_000]);

      await settlement.conclude(jobOf(delivery), verdict);

      expect(await message()).toBeUndefined();
      expect(await settledCount(outcome)).toBe(1);
      const lagged = (await registry.metrics()).includes(
        `lessor_event_lag_seconds_count{type="${PLACED}"} 1`,
      );
      expect(lagged).toBe(verdict === 'applied');
    });

    it('should take a failed event down the failure path', async () => {
      const { settlement, delivery } = await deliver(placed('order-1'), [60_000]);
      const verdict: Verdict = { failure: new Error('deadlock detected') };

      await settlement.conclude(jobOf(delivery), verdict);

      expect(await message()).toEqual({ attempt: 2, lastError: 'deadlock detected' });
      expect(await settledCount('retried')).toBe(1);
    });
  });

  describe('settle', () => {
    it("should resolve the transport's promise when the action succeeds and reject it when the action fails", async () => {
      const { settlement, delivery } = await deliver(placed('order-1'), [60_000]);
      const results: unknown[] = [];
      const pending: Pending = {
        delivery,
        resolve: () => results.push('resolved'),
        reject: (error) => results.push(error),
      };
      const outage = new Error('the broker is gone');

      await settlement.settle(pending, async () => {});
      await settlement.settle(pending, async () => {
        throw outage;
      });

      expect(results).toEqual(['resolved', outage]);
    });
  });
});
