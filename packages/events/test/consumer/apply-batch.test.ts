import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { applyBatch } from '../../src/consumer/apply-batch.ts';
import type { BatchDeps } from '../../src/consumer/apply-batch.ts';
import { createConsumerMetrics } from '../../src/consumer/consumer-metrics.ts';
import { applyOnce, insertInboxRow } from '../../src/consumer/inbox.ts';
import type { InboxJob } from '../../src/consumer/job.ts';
import { Subscriptions } from '../../src/consumer/subscriptions.ts';
import type { EventBatchHandler, EventEnvelope, EventHandler } from '../../src/index.ts';
import {
  PLACED,
  effectsIn,
  inboxIn,
  openEffectsDatabase,
  placed,
  quietLog,
} from '../helpers/consumer-database.ts';

describe('batch application against PostgreSQL (ADR 23)', () => {
  let database: TestDatabase<any>;
  let registry: Registry;
  /** Handler calls per subject, to see which events ran again. */
  let calls: Map<string, number>;

  afterEach(async () => {
    await database?.dispose();
  });

  async function open(): Promise<Subscriptions<any>> {
    database = await openEffectsDatabase('apply_batch');
    registry = new Registry();
    calls = new Map();
    return new Subscriptions<any>();
  }

  function deps(subscriptions: Subscriptions<any>): BatchDeps<any> {
    const metrics = createConsumerMetrics(registry, {
      countParked: async () => 0,
      queueDepth: async () => 0,
      logger: quietLog,
    });
    return {
      db: database.db,
      subscriptions: subscriptions.all,
      applyOnce: (event, handlers, attempt, log, extra) =>
        metrics.timed(event.type, () => applyOnce(database.db, event, handlers, attempt, log, extra)),
      logger: quietLog,
      metrics,
    };
  }

  function jobsOf(subscriptions: Subscriptions<any>, events: EventEnvelope[]): InboxJob<any>[] {
    return events.map((event) => {
      const subscribed = subscriptions.matching(event.type);
      return {
        event,
        attempt: 1,
        log: quietLog,
        handlers: subscribed.map((entry) => entry.handler),
        subscribed,
      };
    });
  }

  /** Records the effect; throws for the subjects in `failing` (as often as they have calls left there). */
  function recorder(failing: Map<string, number> = new Map()): EventHandler {
    return async (event, { trx }) => {
      calls.set(event.subject, (calls.get(event.subject) ?? 0) + 1);
      const failuresLeft = failing.get(event.subject) ?? 0;
      if (failuresLeft > 0) {
        failing.set(event.subject, failuresLeft - 1);
        throw new Error(`no price list for ${event.subject}`);
      }
      await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
    };
  }

  const outcomes = (verdicts: unknown[]) =>
    verdicts.map((verdict) => (typeof verdict === 'object' ? 'failure' : verdict));
  const metric = async (series: string) =>
    Number(
      (await registry.metrics())
        .split('\n')
        .find((line) => line.startsWith(`${series} `))
        ?.split(' ')
        .at(-1),
    );

  it('should apply the fresh events in one transaction and call copies of recorded events duplicates', async () => {
    const subscriptions = await open();
    subscriptions.add([PLACED], recorder());
    const [a, known, c] = [placed('a'), placed('known'), placed('c')];
    await insertInboxRow(database.db, known);

    const verdicts = await applyBatch(jobsOf(subscriptions, [a, known, a, c]), deps(subscriptions));

    expect(verdicts).toEqual(['applied', 'duplicate', 'duplicate', 'applied']);
    const effects = await effectsIn(database);
    expect(effects.map((row) => row.subject)).toEqual(['a', 'c']);
    expect(new Set(effects.map((row) => row.txid)).size).toBe(1);
    expect(await metric(`lessor_event_handler_duration_seconds_count{type="${PLACED}"}`)).toBe(4);
  });

  it('should fail only the event whose handler throws and run the events before it again', async () => {
    const subscriptions = await open();
    subscriptions.add([PLACED], recorder(new Map([['poison', 1]])));
    const events = [placed('a'), placed('poison'), placed('c'), placed('d')];

    const verdicts = await applyBatch(jobsOf(subscriptions, events), deps(subscriptions));

    expect(outcomes(verdicts)).toEqual(['applied', 'failure', 'applied', 'applied']);
    expect((verdicts[1] as { failure: Error }).failure.message).toBe('no price list for poison');
    // One savepoint for all: `a` ran before the failure and again after it (five calls for four events).
    expect(Object.fromEntries(calls)).toEqual({ a: 2, poison: 1, c: 1, d: 1 });
    const effects = await effectsIn(database);
    expect(effects.map((row) => row.subject)).toEqual(['a', 'c', 'd']);
    expect(new Set(effects.map((row) => row.txid)).size).toBe(1);
    expect(await inboxIn(database)).toEqual(new Set([events[0]!.id, events[2]!.id, events[3]!.id]));
  });

  it('should run the events left one savepoint each after a second failure', async () => {
    const subscriptions = await open();
    subscriptions.add(
      [PLACED],
      recorder(
        new Map([
          ['p1', 1],
          ['p2', 1],
          ['p3', 1],
        ]),
      ),
    );
    const subjects = ['a', 'p1', 'b', 'p2', 'c', 'p3', 'd'];

    const verdicts = await applyBatch(jobsOf(subscriptions, subjects.map(placed)), deps(subscriptions));

    expect(outcomes(verdicts)).toEqual(
      subjects.map((subject) => (subject.startsWith('p') ? 'failure' : 'applied')),
    );
    // Two passes in one savepoint (a; then a, b), then one savepoint each (a, b, c, p3, d): no third pass, which
    // would have run a, b and c once more.
    expect(Object.fromEntries(calls)).toEqual({ a: 3, p1: 1, b: 2, p2: 1, c: 1, p3: 1, d: 1 });
    expect((await effectsIn(database)).map((row) => row.subject)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should let a later copy of an event apply it when its first copy failed in the batch', async () => {
    const subscriptions = await open();
    subscriptions.add([PLACED], recorder(new Map([['flaky', 1]])));
    const [a, flaky] = [placed('a'), placed('flaky')];

    const verdicts = await applyBatch(jobsOf(subscriptions, [a, flaky, flaky]), deps(subscriptions));

    expect(outcomes(verdicts)).toEqual(['applied', 'failure', 'applied']);
    expect((await effectsIn(database)).map((row) => row.subject)).toEqual(['a', 'flaky']);
    expect(await inboxIn(database)).toEqual(new Set([a.id, flaky.id]));
  });

  it('should handle the events one transaction each when a handler leaves the transaction aborted', async () => {
    const subscriptions = await open();
    subscriptions.add([PLACED], async (event, { trx }) => {
      await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
      // Swallows a database error: the transaction is aborted although the handler "succeeded".
      if (event.subject === 'careless') await sql`select 1 / 0`.execute(trx).catch(() => undefined);
    });
    const events = [placed('a'), placed('careless'), placed('c')];

    const verdicts = await applyBatch(jobsOf(subscriptions, events), deps(subscriptions));

    expect(outcomes(verdicts)).toEqual(['applied', 'failure', 'applied']);
    const effects = await effectsIn(database);
    expect(effects.map((row) => row.subject)).toEqual(['a', 'c']);
    expect(new Set(effects.map((row) => row.txid)).size).toBe(2);
    expect(await inboxIn(database)).toEqual(new Set([events[0]!.id, events[2]!.id]));
  });

  it('should give the batch handler the fresh events at once and skip the per-event handler', async () => {
    const subscriptions = await open();
    const given: string[][] = [];
    const handleBatch: EventBatchHandler = async (batch, { trx }) => {
      given.push(batch.map(({ event }) => event.subject));
      await trx
        .insertInto('effects')
        .values(batch.map(({ event }) => ({ eventId: event.id, subject: event.subject })))
        .execute();
    };
    subscriptions.add([PLACED], recorder(), { handleBatch });
    const [a, b, known] = [placed('a'), placed('b'), placed('known')];
    await insertInboxRow(database.db, known);

    const verdicts = await applyBatch(jobsOf(subscriptions, [a, known, b, a]), deps(subscriptions));

    expect(verdicts).toEqual(['applied', 'duplicate', 'applied', 'duplicate']);
    expect(given).toEqual([['a', 'b']]);
    expect(calls.size).toBe(0);
    expect(await metric('lessor_event_batch_fallbacks_total')).toBe(0);
  });

  it('should undo a batch handler that throws and run its events one savepoint each, failing only the culprit', async () => {
    const subscriptions = await open();
    const handleBatch: EventBatchHandler = async (batch, { trx }) => {
      await trx
        .insertInto('effects')
        .values(batch.map(({ event }) => ({ eventId: event.id, subject: event.subject })))
        .execute();
      if (batch.some(({ event }) => event.subject === 'poison'))
        throw new Error('one entry does not balance');
    };
    subscriptions.add([PLACED], recorder(new Map([['poison', 1]])), { handleBatch });
    const events = [placed('a'), placed('poison'), placed('c')];

    const verdicts = await applyBatch(jobsOf(subscriptions, events), deps(subscriptions));

    expect(outcomes(verdicts)).toEqual(['applied', 'failure', 'applied']);
    // The batch handler's rows are rolled back; the per-event handler wrote these, each once.
    expect((await effectsIn(database)).map((row) => row.subject)).toEqual(['a', 'c']);
    expect(Object.fromEntries(calls)).toEqual({ a: 1, poison: 1, c: 1 });
    expect(await metric('lessor_event_batch_fallbacks_total')).toBe(1);
  });

  it('should give a batch of one event its own inbox transaction and a failure as a verdict', async () => {
    const subscriptions = await open();
    subscriptions.add([PLACED], recorder(new Map([['poison', 1]])));

    const [failed] = await applyBatch(jobsOf(subscriptions, [placed('poison')]), deps(subscriptions));
    const [applied] = await applyBatch(jobsOf(subscriptions, [placed('a')]), deps(subscriptions));

    expect(outcomes([failed, applied])).toEqual(['failure', 'applied']);
    expect((await effectsIn(database)).map((row) => row.subject)).toEqual(['a']);
  });
});
