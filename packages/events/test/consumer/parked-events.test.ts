import { afterEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { invalidity } from '../../src/consumer/delivery-policy.ts';
import { applyOnce } from '../../src/consumer/inbox.ts';
import { countParked, createParkedEvents, parkEvent } from '../../src/consumer/parked-events.ts';
import type { ParkedEventsDeps } from '../../src/consumer/parked-events.ts';
import { Subscriptions } from '../../src/consumer/subscriptions.ts';
import { EventsError } from '../../src/index.ts';
import type { EventEnvelope, ParkedEvents } from '../../src/index.ts';
import {
  PLACED,
  effectsIn,
  inboxIn,
  openEffectsDatabase,
  placed,
  quietLog,
} from '../helpers/consumer-database.ts';

const CANCELLED = 'lessor.orders.order.cancelled.v1';
const UNKNOWN_ID = '0190a8c0-0000-7000-8000-000000000000';

describe('the parked events against PostgreSQL', () => {
  let database: TestDatabase<any>;
  let outcomes: string[];
  /** Whether the handler has been fixed: until then it throws. */
  let fixed: boolean;
  /** Runs inside the handler, before its effect. */
  let whileHandling: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await database?.dispose();
  });

  async function open(changes: Partial<ParkedEventsDeps<any>> = {}): Promise<ParkedEvents> {
    database = await openEffectsDatabase('parked');
    outcomes = [];
    fixed = true;
    whileHandling = undefined;
    const subscriptions = new Subscriptions<any>();
    subscriptions.add([PLACED], async (event, { trx }) => {
      if (!fixed) throw new Error('the price list has no entry');
      await whileHandling?.();
      await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
    });
    const raw = database.db.withoutPlugins();
    return createParkedEvents<any>({
      raw,
      handlersOf: (type) => subscriptions.handlersOf(type),
      logFor: () => quietLog,
      validate: (event) => invalidity(event, undefined),
      applyOnce: (event, handlers, attempt, log, extra) =>
        applyOnce(database.db, event, handlers, attempt, log, extra),
      onOutcome: (type, outcome) => outcomes.push(`${type}:${outcome}`),
      ...changes,
    });
  }

  const raw = () => database.db.withoutPlugins();

  /** Parks `event` and returns its parked row's id. */
  async function parked(
    admin: ParkedEvents,
    event: EventEnvelope,
    reason = 'failed',
    attempts = 4,
  ): Promise<string> {
    await parkEvent(raw(), event, reason, attempts);
    const { items } = await admin.list({ limit: 1000 });
    return items.find((item) => item.envelope.id === event.id)!.id;
  }

  describe('parkEvent', () => {
    it('should park an event once and update its row when it is parked again while still parked', async () => {
      const admin = await open();
      const event = placed('order-1');
      await parkEvent(raw(), event, 'timeout', 4);
      await parkEvent(raw(), event, 'no price list', 2);

      const { items } = await admin.list({ limit: 10 });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        eventId: event.id,
        type: PLACED,
        envelope: event,
        reason: 'no price list',
        attempts: 4,
        status: 'parked',
        resolvedAt: null,
        resolvedBy: null,
      });
      expect(await countParked(raw())).toBe(1);
    });

    it('should park an envelope too broken to have an id or a type, with its reason cut to 4,000 characters', async () => {
      const admin = await open();
      await parkEvent(raw(), { id: 'not-a-uuid' } as unknown as EventEnvelope, 'x'.repeat(5000), 1);

      const [item] = (await admin.list({ limit: 10 })).items;
      expect(item).toMatchObject({ eventId: null, type: 'unknown', envelope: { id: 'not-a-uuid' } });
      expect(item!.reason).toHaveLength(4000);
    });
  });

  describe('list and get', () => {
    it('should page newest first, filter by type and status, and refuse a cursor it did not give', async () => {
      const admin = await open();
      for (const type of [PLACED, CANCELLED, PLACED, PLACED, CANCELLED]) {
        await parkEvent(raw(), { ...placed('order-1'), type }, 'refused', 1);
      }

      const all = (await admin.list({ limit: 10 })).items.map((item) => item.id);
      expect(all).toEqual([...all].sort().reverse());
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await admin.list({ limit: 2, cursor });
        pages.push(page.items.map((item) => item.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(all);
      expect((await admin.list({ limit: 10, type: CANCELLED })).items).toHaveLength(2);
      expect((await admin.list({ limit: 10, status: 'discarded' })).items).toHaveLength(0);

      await expect(admin.list({ limit: 10, cursor: 'garbage' })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      });
      await expect(admin.list({ limit: 0 })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
      await expect(admin.list({ limit: 1001 })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
    });

    it('should find nothing for an unknown id or one that is no UUID', async () => {
      const admin = await open();
      expect(await admin.get(UNKNOWN_ID)).toBeUndefined();
      expect(await admin.get('not-a-uuid')).toBeUndefined();
    });
  });

  describe('replay', () => {
    it('should apply the event through the inbox, mark the row replayed by whom, and call a second replay a duplicate', async () => {
      const admin = await open();
      const event = placed('order-1');
      const id = await parked(admin, event);

      expect(await admin.replay(id, 'admin')).toBe('applied');
      expect(await admin.replay(id, 'someone-else')).toBe('duplicate');

      expect((await effectsIn(database)).map((row) => row.eventId)).toEqual([event.id]);
      expect(await inboxIn(database)).toEqual(new Set([event.id]));
      const row = await admin.get(id);
      expect(row).toMatchObject({ status: 'replayed', resolvedBy: 'admin' });
      expect(row!.resolvedAt).toBeInstanceOf(Date);
      expect(outcomes).toEqual([`${PLACED}:handled`, `${PLACED}:duplicate`]);
      expect(await countParked(raw())).toBe(0);
    });

    it('should keep the row parked with one attempt more and the new reason when the handler fails again', async () => {
      const admin = await open();
      const id = await parked(admin, placed('order-1'), 'timeout', 4);
      fixed = false;

      const error = await admin.replay(id, 'admin').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(EventsError);
      expect(error).toMatchObject({ code: 'HANDLER_FAILED' });
      expect(await admin.get(id)).toMatchObject({
        status: 'parked',
        attempts: 5,
        reason: 'the price list has no entry',
      });
      expect(await effectsIn(database)).toEqual([]);
      expect(await inboxIn(database)).toEqual(new Set());
      expect(outcomes).toEqual([]);
    });

    it('should not run the handler when the event is still invalid, and record why', async () => {
      const admin = await open({ validate: () => 'data.amount is missing' });
      const id = await parked(admin, placed('order-1'), 'invalid: data.amount is missing', 1);

      await expect(admin.replay(id, 'admin')).rejects.toMatchObject({ code: 'HANDLER_FAILED' });

      expect(await admin.get(id)).toMatchObject({ attempts: 2, reason: 'invalid: data.amount is missing' });
      expect(await effectsIn(database)).toEqual([]);
    });

    it('should refuse a replay when nothing subscribes to the type, or the row is unknown or discarded', async () => {
      const admin = await open();
      const unsubscribed = await parked(admin, { ...placed('order-1'), type: CANCELLED });
      const discarded = await parked(admin, placed('order-2'));
      await admin.discard(discarded, 'admin');

      await expect(admin.replay(unsubscribed, 'admin')).rejects.toMatchObject({ code: 'NO_HANDLER' });
      await expect(admin.replay(UNKNOWN_ID, 'admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(admin.replay(discarded, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await effectsIn(database)).toEqual([]);
    });

    it('should roll back the effect when the row is discarded while the replay runs', async () => {
      const admin = await open();
      const event = placed('order-1');
      const id = await parked(admin, event);
      // An admin discards it (in a transaction of their own) while the handler runs: the replay's mark then finds
      // the row discarded, and the whole inbox transaction rolls back, effect and inbox row with it.
      whileHandling = () => admin.discard(id, 'another-admin');

      await expect(admin.replay(id, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });

      expect(await effectsIn(database)).toEqual([]);
      expect(await inboxIn(database)).toEqual(new Set());
      expect(await admin.get(id)).toMatchObject({
        status: 'discarded',
        resolvedBy: 'another-admin',
        attempts: 4,
      });
    });
  });

  describe('discard', () => {
    it('should mark the row discarded by whom, once', async () => {
      const admin = await open();
      const id = await parked(admin, placed('order-1'));

      await admin.discard(id, 'admin');

      expect(await admin.get(id)).toMatchObject({ status: 'discarded', resolvedBy: 'admin' });
      await expect(admin.discard(id, 'admin')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(admin.discard(UNKNOWN_ID, 'admin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await countParked(raw())).toBe(0);
    });
  });
});
