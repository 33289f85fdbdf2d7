import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import { EVENT_TYPE_PATTERN } from './envelope.ts';
import type { EventEnvelope } from './envelope.ts';
import { SubjectBatchQueue } from './batch-queue.ts';
import { EventsError } from './errors.ts';
import {
  EVENT_LAG_BUCKETS_SECONDS,
  HANDLER_DURATION_BUCKETS_SECONDS,
  collectedGaugeIn,
  counterIn,
  errorMessage,
  histogramIn,
  isUuid,
  silentLogger,
  traceIdOf,
} from './internal.ts';
import { INBOX_CLOCK_MARGIN_MS, createInboxRetention, inboxRetentionSettings } from './inbox-retention.ts';
import { topicMatcher } from './topic.ts';
import type { Delivery, Subscription, Transport } from './transport.ts';

/** What a handler gets besides the event: the transaction of its effect (also holding the inbox row). */
export interface EventContext<DB> {
  /** Do every write of the effect here: it commits with the inbox row, so the effect happens exactly once. */
  trx: Kysely<DB>;
  /** The consumer's logger with `eventId`, `type` and `traceId` (from the envelope's traceparent). */
  log: Logger;
  /** 1 on first delivery, 2 on the first retry, …; for a replay, the parked attempts + 1. */
  attempt: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a service's handler sees its own database type
export type EventHandler<DB = any> = (event: EventEnvelope, context: EventContext<DB>) => Promise<void>;

/** One event of a batch as a batch handler sees it: what a per-event handler gets, but `trx`. */
export interface BatchedEvent {
  event: EventEnvelope;
  /** The event's logger (`eventId`, `type`, `traceId`, `attempt`). */
  log: Logger;
  attempt: number;
}

/** What a batch handler gets besides its events. */
export interface EventBatchContext<DB> {
  /** The batch's transaction (also holding the events' inbox rows): every write of every effect goes here. */
  trx: Kysely<DB>;
  /** The consumer's logger with `batchSize` (the number of events given). */
  log: Logger;
}

/**
 * Handles several fresh events of one batch at once, in arrival order (so it may write them with multi-row
 * statements). It must have the effect of the subscription's per-event handler called on each event in turn:
 * when it throws, everything it wrote is rolled back and the same events go through that handler one by one.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a service's handler sees its own database type
export type EventBatchHandler<DB = any> = (
  events: readonly BatchedEvent[],
  context: EventBatchContext<DB>,
) => Promise<void>;

export interface SubscribeOptions<DB> {
  /**
   * The optimistic path for events that arrive together: their inbox rows, then this handler with all the
   * fresh ones, in one savepoint. If it throws, the batch rolls back to that savepoint and each event runs
   * through the per-event handler in a savepoint of its own, as without it. See the README, "Batch handlers".
   */
  handleBatch?: EventBatchHandler<DB>;
}

/** A parked (dead-lettered) event as an admin sees it. */
export interface ParkedEvent {
  id: string;
  /** The event's id; null only when the envelope was too broken to have one. */
  eventId: string | null;
  type: string;
  envelope: EventEnvelope;
  reason: string;
  attempts: number;
  parkedAt: Date;
  status: ParkedStatus;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export type ParkedStatus = 'parked' | 'replayed' | 'discarded';

/** The dead-letter list of a consuming service. */
export interface ParkedEvents {
  /** Newest first, keyset paging (`nextCursor` is null on the last page). */
  list(query: {
    limit: number;
    cursor?: string | undefined;
    status?: ParkedStatus | undefined;
    type?: string | undefined;
  }): Promise<{ items: ParkedEvent[]; nextCursor: string | null }>;
  get(id: string): Promise<ParkedEvent | undefined>;
  /**
   * Runs the subscribed handler again through the inbox transaction and marks the row `replayed` in that same
   * transaction: `'applied'`, or `'duplicate'` when the event had been applied already (no second effect).
   * A row already replayed may be replayed again (it answers `'duplicate'`); a discarded one may not
   * (`CONFLICT`). When the handler fails again it throws `HANDLER_FAILED` and the row stays parked with
   * attempts + 1 and the new reason.
   */
  replay(id: string, actor: string): Promise<'applied' | 'duplicate'>;
  /** Gives up on a parked event: it is kept, marked `discarded` with who and when. */
  discard(id: string, actor: string): Promise<void>;
}

export interface Consumer<DB = unknown> {
  /**
   * Handles events of these types (exact types or AMQP patterns such as `lessor.sso.#`). Call before `start`.
   * When several subscriptions match an event, each handler runs, in subscription order, in its one transaction.
   * `options.handleBatch` adds a handler for many events at once, used when deliveries arrive together.
   */
  subscribe(types: string[], handler: EventHandler<DB>, options?: SubscribeOptions<DB>): void;
  /** Binds the service's queue to the subscribed types and starts handling. */
  start(): Promise<void>;
  /** Stops receiving and the inbox retention job; deliveries in flight finish (commit and ack) first. */
  stop(): Promise<void>;
  /**
   * Deletes the inbox rows of events older than `inboxRetentionMs` now, in batches, and returns how many; the
   * retention job does the same every `inboxPurgeIntervalMs` while the consumer runs.
   */
  purgeInbox(): Promise<number>;
  readonly parked: ParkedEvents;
}

export interface ConsumerOptions<DB> {
  /** The consuming service: its queue is `lessor.<service>`. */
  service: string;
  /** The service's database handle (its schema holds `inbox` and `parked_events`); handlers get its transactions. */
  db: Kysely<DB>;
  transport: Transport;
  /**
   * Checks an event against the catalogue before any handling: a message (string) means it can never be
   * handled, so it is parked at once, without retries. null/undefined means valid.
   */
  validate?: (event: EventEnvelope) => string | null | undefined;
  /** Deliveries in flight at once (default 50). */
  prefetch?: number;
  /**
   * Deliveries handled in one transaction at most (default 50): each in its own savepoint, with one commit for
   * all. 1 gives every delivery its own transaction.
   */
  batchSize?: number;
  /**
   * How long a batch smaller than `batchSize` waits for more deliveries before it starts (default 0: it takes
   * what has arrived; under load, deliveries gather while the running batches commit).
   */
  batchWaitMs?: number;
  /**
   * Transactions running at once (default 8; with `batchSize` 1, `prefetch`). A batch is a chain of round trips,
   * so several in parallel keep up under load; each holds a connection of the pool while it runs.
   */
  batchesInFlight?: number;
  /** Delays before each retry (default [1000, 5000, 30000]); after the last, the event is parked. */
  retryDelaysMs?: readonly number[];
  /**
   * How long the inbox keeps an event's id, counted from the event's `time` (default 14 days, at least one).
   * A delivery of an event older than that which the inbox does not know is parked, never applied: it may be a
   * copy of one applied and forgotten. See the README, "Inbox retention".
   */
  inboxRetentionMs?: number;
  /** How often the retention job runs while the consumer runs (default 1 h; the first run within a minute). */
  inboxPurgeIntervalMs?: number;
  /** Inbox rows deleted per statement (default 1000): short statements, short locks. */
  inboxPurgeBatchSize?: number;
  logger?: Logger;
  metrics?: Registry;
}

type Outcome = 'handled' | 'duplicate' | 'retried' | 'parked' | 'ignored';

/** A delivery waiting for its batch; its promise (the transport's `handle`) settles with the delivery. */
interface Pending {
  delivery: Delivery;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A delivery that goes through the inbox transaction. */
interface Job<DB> {
  pending: Pending;
  event: EventEnvelope;
  attempt: number;
  log: Logger;
  handlers: readonly EventHandler<DB>[];
  /** The subscriptions matching its type, in subscription order. */
  subscribed: readonly Subscribed<DB>[];
}

interface Subscribed<DB> {
  patterns: string[];
  matches: ((type: string) => boolean)[];
  handler: EventHandler<DB>;
  handleBatch: EventBatchHandler<DB> | undefined;
}

/** How an event fared in its transaction; a failure's effect and inbox row did not commit. */
type Verdict = 'applied' | 'duplicate' | { failure: unknown };

function isFailure(verdict: Verdict | undefined): verdict is { failure: unknown } {
  return typeof verdict === 'object';
}

// One name for every event's savepoint: an event's is released before the next one is set.
const SAVEPOINT = 'lessor_inbox_event';

// Handlers that may throw on a batch's one-savepoint path before the rest goes one savepoint each: each failure
// runs the events before it again, so a batch full of failures must not cost a pass per failure.
const OPTIMISTIC_FAILURES = 2;

/** True when `error` (or a cause of it) is PostgreSQL's "current transaction is aborted" (SQLSTATE 25P02). */
function inAbortedTransaction(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 10; depth++) {
    if ((cause as { code?: unknown }).code === '25P02') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Creates the consumer runtime of a service. Each delivery: a `validate` failure parks it at once; otherwise
 * its event id goes into `inbox` (on conflict nothing: a duplicate commits, is acked, and has no effect) and
 * the handler runs, in the same transaction; after the commit the delivery is acked. A handler that throws
 * rolls back and asks the transport to retry later; with no retry left, the event is parked and acked.
 * A type nothing subscribed to (a queue binding left from an older version) is acked and logged, not parked:
 * no handler exists that a replay could run.
 * Deliveries that arrive together share one transaction (up to `batchSize`), each event in a savepoint of its
 * own: a handler that throws rolls back its savepoint and its inbox row, the others commit together. Events
 * whose subscriptions have batch handlers go to those at once, in one savepoint, and take the per-event path
 * only when a batch handler throws.
 * Deliveries of one subject are handled one after the other in delivery order; other subjects in parallel.
 */
export function createConsumer<DB = unknown>(options: ConsumerOptions<DB>): Consumer<DB> {
  const { service, transport } = options;
  const db = options.db;
  const raw = db.withoutPlugins();
  const prefetch = options.prefetch ?? 50;
  const batchSize = options.batchSize ?? 50;
  const retryDelaysMs = [...(options.retryDelaysMs ?? [1000, 5000, 30000])];
  const logger = options.logger ?? silentLogger();
  const retention = inboxRetentionSettings(options);
  const subscriptions: Subscribed<DB>[] = [];
  let subscription: Subscription | undefined;
  let startedOnce = false;

  const metrics = options.metrics;
  const consumed = metrics
    ? counterIn(metrics, 'lessor_events_consumed_total', 'Deliveries settled, by event type and outcome.', [
        'type',
        'outcome',
      ] as const)
    : undefined;
  const duration = metrics
    ? histogramIn(
        metrics,
        'lessor_event_handler_duration_seconds',
        'Time to handle an event: the inbox transaction with its handler, until commit.',
        ['type'] as const,
        HANDLER_DURATION_BUCKETS_SECONDS,
      )
    : undefined;
  const lag = metrics
    ? histogramIn(
        metrics,
        'lessor_event_lag_seconds',
        "From an event's time (written by its publisher) to the commit of its effect here: the consumer's lag.",
        ['type'] as const,
        EVENT_LAG_BUCKETS_SECONDS,
      )
    : undefined;
  const batchFallbacks = metrics
    ? counterIn(
        metrics,
        'lessor_event_batch_fallbacks_total',
        'Batches whose batch handler threw, so that their events were handled again one savepoint each.',
      )
    : undefined;
  const parkedTotal = metrics
    ? counterIn(metrics, 'lessor_events_parked_total', 'Events parked (dead-lettered), by type.', [
        'type',
      ] as const)
    : undefined;
  if (metrics) {
    collectedGaugeIn(
      metrics,
      'lessor_parked_events',
      'Parked events waiting for an admin (status parked).',
      async () => {
        const { rows } = await sql<{
          n: string;
        }>`select count(*) as n from parked_events where status = 'parked'`.execute(raw);
        return Number(rows[0]?.n ?? 0);
      },
      (error) => logger.warn({ err: error }, 'could not count parked events for metrics'),
    );
    collectedGaugeIn(
      metrics,
      'lessor_consumer_queue_depth',
      "Events waiting in this service's queue for the consumer to take them (0 until it first started).",
      // Its queue exists once the consumer has started: RabbitMQ refuses to count a queue never declared.
      async () => (startedOnce ? transport.queueDepth(service) : 0),
      (error) => logger.warn({ err: error }, 'could not read the queue depth for metrics'),
    );
  }
  const inboxRetention = createInboxRetention({ db: raw, settings: retention, logger, metrics });
  const count = (type: string, outcome: Outcome) => consumed?.inc({ type: metricType(type), outcome });

  const subscribedTo = (type: string): Subscribed<DB>[] =>
    subscriptions.filter((entry) => entry.matches.some((matches) => matches(type)));
  const handlersOf = (type: string): EventHandler<DB>[] => subscribedTo(type).map((entry) => entry.handler);

  const logFor = (event: Partial<EventEnvelope>, attempt: number): Logger => {
    const traceId = traceIdOf(event.traceparent);
    return logger.child({
      eventId: event.id,
      type: event.type,
      ...(traceId ? { traceId } : {}),
      attempt,
    });
  };

  /**
   * The inbox transaction: records the event id and runs the handlers, or finds it recorded (a duplicate).
   * `extra` runs last in the same transaction (a replay marks its parked row there).
   */
  const applyOnce = async (
    event: EventEnvelope,
    handlers: readonly EventHandler<DB>[],
    attempt: number,
    log: Logger,
    extra?: (trx: Kysely<DB>) => Promise<void>,
  ): Promise<'applied' | 'duplicate'> => {
    const started = process.hrtime.bigint();
    try {
      return await db.transaction().execute(async (trx) => {
        const duplicate = !(await insertInbox(trx.withoutPlugins(), event));
        if (!duplicate) {
          for (const handler of handlers) await handler(event, { trx, log, attempt });
        }
        if (extra) await extra(trx);
        return duplicate ? 'duplicate' : 'applied';
      });
    } finally {
      // Failures too: a handler that times out slowly is what this histogram is for.
      duration?.observe({ type: metricType(event.type) }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };

  const park = async (event: EventEnvelope, reason: string, attempts: number): Promise<void> => {
    const eventId = isUuid(event?.id) ? event.id : null;
    const type = typeof event?.type === 'string' ? event.type : 'unknown';
    await sql`
      insert into parked_events (id, event_id, type, envelope, reason, attempts)
      values (${uuidv7()}::uuid, ${eventId}::uuid, ${type}, ${JSON.stringify(event ?? null)}::jsonb,
              ${reason.slice(0, 4000)}, ${attempts}::integer)
      on conflict (event_id) where status = 'parked'
      do update set reason = excluded.reason, attempts = greatest(parked_events.attempts, excluded.attempts),
        parked_at = now()`.execute(raw);
    parkedTotal?.inc({ type: metricType(type) });
  };

  /** A delivery's way out: retried later, or parked (and acked) when no retry is left. */
  const fail = async (delivery: Delivery, type: string, log: Logger, failure: unknown): Promise<void> => {
    const reason = errorMessage(failure);
    if (await delivery.retry(reason)) {
      log.warn(
        { err: failure, retryInMs: retryDelaysMs[delivery.attempt - 1] },
        'event handler failed; retrying later',
      );
      count(type, 'retried');
      return;
    }
    log.error({ err: failure }, 'event handler failed and no retry is left; parked');
    await park(delivery.event, reason, delivery.attempt);
    await delivery.ack();
    count(type, 'parked');
  };

  /**
   * Settles a delivery whose fate is known. Only parking or settling can fail here (the database or the
   * transport is down): the delivery then stays unsettled and the transport delivers it again.
   */
  const settle = (pending: Pending, action: () => Promise<void>): Promise<void> =>
    action().then(pending.resolve, (error: unknown) => {
      logFor(pending.delivery.event ?? {}, pending.delivery.attempt).error(
        { err: error },
        'could not settle the delivery',
      );
      pending.reject(error);
    });

  /** What a delivery needs before any transaction: parked when invalid, ignored without a handler. */
  const screen = (pending: Pending): Job<DB> | (() => Promise<void>) => {
    const { delivery } = pending;
    const event = delivery.event;
    const attempt = delivery.attempt;
    // Made when first used: a child logger costs ~10-25 µs, and an event handled without a word needs none.
    let made: Logger | undefined;
    const logOf = () => (made ??= logFor(event ?? {}, attempt));
    const type = typeof event?.type === 'string' ? event.type : 'unknown';
    let invalid: string | undefined;
    try {
      invalid = malformed(event) ?? options.validate?.(event) ?? undefined;
    } catch (error) {
      // A validator that throws has a bug or lacks something; that is no verdict on the event: retry it.
      return () => fail(delivery, type, logOf(), error);
    }
    if (invalid) {
      // An event that breaks its contract fails the same way every time: retrying only delays the admin.
      const reason = invalid;
      return async () => {
        logOf().error({ reason }, 'event is invalid; parked without retries');
        await park(event, `invalid: ${reason}`, attempt);
        await delivery.ack();
        count(type, 'parked');
      };
    }
    const subscribed = subscribedTo(event.type);
    const handlers = subscribed.map((entry) => entry.handler);
    if (handlers.length === 0) {
      return async () => {
        logOf().warn(
          'no subscription for this event type (a binding left from an older version?); acked and ignored',
        );
        await delivery.ack();
        count(type, 'ignored');
      };
    }
    // The retention job deletes the ids of events older than the retention: past it (less a margin for the
    // clocks of this process and its database), an id missing from the inbox proves nothing.
    if (Date.parse(event.time) < Date.now() - retention.retentionMs + INBOX_CLOCK_MARGIN_MS) {
      return () => settleStale(delivery, logOf());
    }
    return {
      pending,
      event,
      attempt,
      get log() {
        return logOf();
      },
      handlers,
      subscribed,
    };
  };

  /**
   * An event as old as the inbox retention: a duplicate when its id is still in the inbox; otherwise it may be a
   * copy of an event applied and purged since (a publisher down for weeks with a batch published but not marked,
   * a consumer down for weeks with a commit not acked), so it is parked for an admin rather than applied again.
   */
  const settleStale = async (delivery: Delivery, log: Logger): Promise<void> => {
    const { event } = delivery;
    const { rows } = await sql`select 1 from inbox where event_id = ${event.id}::uuid`.execute(raw);
    if (rows.length > 0) {
      await delivery.ack();
      count(event.type, 'duplicate');
      log.debug('event already handled; acked as a duplicate');
      return;
    }
    const days = Math.round((retention.retentionMs / 86_400_000) * 10) / 10;
    const reason =
      `stale: the event is from ${event.time}, older than the ${days} days the inbox keeps event ids, so it ` +
      'may have been applied already; check its effect, then replay or discard it';
    log.error({ time: event.time }, 'event is older than the inbox retention and unknown to it; parked');
    await park(event, reason, delivery.attempt);
    await delivery.ack();
    count(event.type, 'parked');
  };

  /** One delivery in its own inbox transaction (no savepoint). */
  const applyAlone = async (job: Job<DB>): Promise<Verdict> => {
    try {
      return await applyOnce(job.event, job.handlers, job.attempt, job.log);
    } catch (error) {
      return { failure: error };
    }
  };

  /**
   * Several deliveries in ONE transaction. The inbox rows of all of them go in first, in one statement. The
   * fresh events that batch handlers can take go to them at once, in one savepoint; if one throws, that
   * savepoint is rolled back and those events join the per-event path. On it, each event's handlers run in a
   * savepoint of their own, in arrival order. A handler that throws rolls back to
   * its savepoint, and its event's inbox row is deleted again, so neither its effect nor its row commits; the
   * others do, with one commit. A copy of an event already recorded (before this batch, or earlier in it) is a
   * duplicate and runs nothing. Never rejects: when the transaction itself fails, nothing of it committed (or,
   * for a failed commit, the inbox tells), and its events are handled again one transaction each.
   */
  const applyBatch = async (jobs: readonly Job<DB>[]): Promise<Verdict[]> => {
    if (jobs.length === 1) return [await applyAlone(jobs[0]!)];
    const verdicts: (Verdict | undefined)[] = jobs.map(() => undefined);
    const spent = jobs.map(() => 0n);
    const started = process.hrtime.bigint();
    try {
      await db.transaction().execute(async (trx) => {
        const rawTrx = trx.withoutPlugins();
        const types = new Map<string, { type: string; time: string }>();
        for (const job of jobs) {
          types.set(job.event.id.toLowerCase(), { type: job.event.type, time: job.event.time });
        }
        const { rows } = await sql<{ event_id: string }>`
          insert into inbox (event_id, type, event_time)
          select e.id, e.type, e.time
          from jsonb_to_recordset(${JSON.stringify([...types].map(([id, row]) => ({ id, ...row })))}::jsonb)
            as e(id uuid, type text, time timestamptz)
          on conflict (event_id) do nothing
          returning event_id`.execute(rawTrx);
        const inserted = new Set(rows.map((row) => row.event_id.toLowerCase()));
        // claimed: its row went in with this batch, no copy handled yet; done: recorded (before or in this
        // batch), so a copy is a duplicate; absent: a copy failed in this batch and its row was deleted.
        const state = new Map<string, 'claimed' | 'done' | 'absent'>();
        for (const id of types.keys()) state.set(id, inserted.has(id) ? 'claimed' : 'done');
        let savepoint = false;
        let groupFailed = false;
        // The optimistic path: the fresh events whose every subscription has a batch handler, in one savepoint.
        const group = batchable(jobs, state);
        if (group.length > 0) {
          const from = process.hrtime.bigint();
          await sql.raw(`savepoint ${SAVEPOINT}`).execute(rawTrx);
          savepoint = true;
          try {
            await handleTogether(group, trx, jobs);
            for (const index of group) {
              state.set(jobs[index]!.event.id.toLowerCase(), 'done');
              verdicts[index] = 'applied';
            }
          } catch (error) {
            // Undone, inbox rows excepted (they went in before the savepoint): the loop below handles each
            // event of the group in a savepoint of its own, so the one that throws is found and no other fails.
            await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(rawTrx);
            groupFailed = true;
            batchFallbacks?.inc();
            logger.warn(
              { err: error, eventIds: group.map((index) => jobs[index]!.event.id) },
              'a batch handler failed; handling its events one savepoint each',
            );
          } finally {
            // The group's time, shared out evenly: the histogram keeps one observation per event.
            const share = (process.hrtime.bigint() - from) / BigInt(group.length);
            for (const index of group) spent[index] = share;
          }
        }
        // The optimistic per-event path: the fresh events left, each one's handlers in turn, in ONE savepoint
        // instead of one each (a round trip per event saved). When a handler throws, the savepoint is rolled back
        // and that event fails as it would have in a savepoint of its own (its inbox row out, retried or parked);
        // the others run again, in a new savepoint. A failure that is the transaction's (a handler before swallowed
        // a database error), a second failure, or a batch handler that threw sends the rest to the loop below,
        // one savepoint each, where the event at fault is found.
        let rest = groupFailed ? [] : freshLeft(jobs, state, verdicts);
        for (let failures = 0; rest.length > 1 && failures < OPTIMISTIC_FAILURES;) {
          const from = process.hrtime.bigint();
          await sql
            .raw(
              savepoint ? `release savepoint ${SAVEPOINT}; savepoint ${SAVEPOINT}` : `savepoint ${SAVEPOINT}`,
            )
            .execute(rawTrx);
          savepoint = true;
          let current: number | undefined;
          try {
            for (const index of rest) {
              current = index;
              const job = jobs[index]!;
              for (const handler of job.handlers) {
                await handler(job.event, contextOf(job, trx));
              }
              state.set(job.event.id.toLowerCase(), 'done');
              verdicts[index] = 'applied';
            }
            break;
          } catch (error) {
            failures += 1;
            // Undone, inbox rows excepted (they went in before the savepoint).
            await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(rawTrx);
            for (const index of rest) {
              verdicts[index] = undefined;
              state.set(jobs[index]!.event.id.toLowerCase(), 'claimed');
            }
            if (current === undefined || inAbortedTransaction(error)) break;
            const failed = jobs[current]!;
            await sql`delete from inbox where event_id = ${failed.event.id}::uuid`.execute(rawTrx);
            state.set(failed.event.id.toLowerCase(), 'absent');
            verdicts[current] = { failure: error };
            rest = rest.filter((index) => index !== current);
          } finally {
            const share = (process.hrtime.bigint() - from) / BigInt(rest.length || 1);
            for (const index of rest) spent[index]! += share;
          }
        }
        for (const [index, job] of jobs.entries()) {
          if (verdicts[index] !== undefined) continue; // applied by its batch handler or on the optimistic path
          const id = job.event.id.toLowerCase();
          const before = state.get(id);
          if (before === 'done') {
            verdicts[index] = 'duplicate';
            continue;
          }
          const from = process.hrtime.bigint();
          // The previous event's savepoint is released in the same round trip as this one is set.
          await sql
            .raw(
              savepoint ? `release savepoint ${SAVEPOINT}; savepoint ${SAVEPOINT}` : `savepoint ${SAVEPOINT}`,
            )
            .execute(rawTrx);
          savepoint = true;
          try {
            if (before === 'absent') {
              // An earlier copy of this event failed in this batch: this copy records it itself.
              const again = await insertInbox(rawTrx, job.event);
              if (!again) {
                state.set(id, 'done');
                verdicts[index] = 'duplicate';
                continue;
              }
            }
            for (const handler of job.handlers) {
              await handler(job.event, contextOf(job, trx));
            }
            state.set(id, 'done');
            verdicts[index] = 'applied';
          } catch (error) {
            await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(rawTrx);
            // Its row went in before the savepoint: out with it, so it commits no more than the effect.
            if (before === 'claimed') {
              await sql`delete from inbox where event_id = ${job.event.id}::uuid`.execute(rawTrx);
            }
            state.set(id, 'absent');
            verdicts[index] = { failure: error };
          } finally {
            spent[index]! += process.hrtime.bigint() - from;
          }
        }
      });
    } catch (error) {
      // Not one handler's failure (those roll back to their savepoint): a statement of the batch or its commit
      // failed. Whatever the cause, one transaction per event isolates it and behaves as without batching.
      logger.warn(
        { err: error, eventIds: jobs.map((job) => job.event.id) },
        'the transaction of a batch of events failed; handling them one transaction each',
      );
      const results: Verdict[] = [];
      for (const [index, job] of jobs.entries()) {
        const verdict = verdicts[index];
        if (isFailure(verdict)) {
          observe(job, spent[index]!);
          results.push(verdict);
        } else {
          results.push(await applyAlone(job));
        }
      }
      return results;
    }
    // Each event's own part, plus what the batch spent around them (begin, inbox rows, commit).
    const overhead = process.hrtime.bigint() - started - spent.reduce((sum, part) => sum + part, 0n);
    for (const [index, job] of jobs.entries()) observe(job, spent[index]! + overhead);
    return verdicts as Verdict[];
  };

  /**
   * The indexes of the jobs for the batch handlers: the first copy of each event whose inbox row this batch
   * inserted, when every subscription matching it has a batch handler — and none of its subject's events in
   * the batch lacks one, so a subject's events all run on one path, in arrival order.
   */
  const batchable = (jobs: readonly Job<DB>[], state: ReadonlyMap<string, string>): number[] => {
    const fresh: number[] = [];
    const seen = new Set<string>();
    const perEvent = new Set<string>();
    for (const [index, job] of jobs.entries()) {
      const id = job.event.id.toLowerCase();
      if (state.get(id) !== 'claimed' || seen.has(id)) continue;
      seen.add(id);
      if (job.subscribed.every((entry) => entry.handleBatch !== undefined)) fresh.push(index);
      else perEvent.add(job.event.subject);
    }
    return fresh.filter((index) => !perEvent.has(jobs[index]!.event.subject));
  };

  /** The first copy of each event this batch recorded and nobody has handled yet, in arrival order. */
  const freshLeft = (
    jobs: readonly Job<DB>[],
    state: ReadonlyMap<string, string>,
    verdicts: readonly (Verdict | undefined)[],
  ): number[] => {
    const fresh: number[] = [];
    const seen = new Set<string>();
    for (const [index, job] of jobs.entries()) {
      const id = job.event.id.toLowerCase();
      if (verdicts[index] !== undefined || state.get(id) !== 'claimed' || seen.has(id)) continue;
      seen.add(id);
      fresh.push(index);
    }
    return fresh;
  };

  /** Each subscription's batch handler with the events of the group it matches, in subscription order. */
  const handleTogether = async (group: readonly number[], trx: Kysely<DB>, jobs: readonly Job<DB>[]) => {
    for (const entry of subscriptions) {
      if (!entry.handleBatch) continue;
      const events: BatchedEvent[] = [];
      for (const index of group) {
        const job = jobs[index]!;
        if (job.subscribed.includes(entry))
          events.push({
            event: job.event,
            attempt: job.attempt,
            get log() {
              return job.log;
            },
          });
      }
      if (events.length > 0) {
        await entry.handleBatch(events, { trx, log: logger.child({ batchSize: events.length }) });
      }
    }
  };

  /** The clocks of publisher and consumer may differ a little: an event "from the future" counts as no lag. */
  const observeLag = (event: EventEnvelope) => {
    const occurred = Date.parse(event.time);
    if (Number.isFinite(occurred))
      lag?.observe({ type: metricType(event.type) }, Math.max(0, Date.now() - occurred) / 1000);
  };

  const observe = (job: Job<DB>, nanoseconds: bigint) =>
    duration?.observe({ type: metricType(job.event.type) }, Number(nanoseconds) / 1e9);

  /** Ack after the commit (an ack that fails is no handler failure: the inbox absorbs the copy), or fail. */
  const conclude = async (job: Job<DB>, verdict: Verdict): Promise<void> => {
    const { delivery } = job.pending;
    if (isFailure(verdict)) {
      await fail(delivery, job.event.type, job.log, verdict.failure);
      return;
    }
    await delivery.ack();
    count(job.event.type, verdict === 'applied' ? 'handled' : 'duplicate');
    if (verdict === 'applied') observeLag(job.event);
    else if (logger.isLevelEnabled('debug')) job.log.debug('event already handled; acked as a duplicate');
  };

  const runBatch = async (batch: Pending[]): Promise<void> => {
    try {
      const jobs: Job<DB>[] = [];
      const settling: Promise<void>[] = [];
      for (const pending of batch) {
        const screened = screen(pending);
        if (typeof screened === 'function') settling.push(settle(pending, screened));
        else jobs.push(screened);
      }
      // No transaction is open while a delivery is settled: acks and retries take a connection of their own.
      const verdicts = jobs.length > 0 ? await applyBatch(jobs) : [];
      for (const [index, job] of jobs.entries()) {
        settling.push(settle(job.pending, () => conclude(job, verdicts[index]!)));
      }
      await Promise.all(settling);
    } catch (error) {
      // A bug of the runtime: leave what is not settled to the transport, which delivers it again.
      logger.error({ err: error }, 'could not handle a batch of deliveries');
      for (const pending of batch) pending.reject(error);
    }
  };

  const queue = new SubjectBatchQueue<Pending>({
    maxBatchSize: batchSize,
    maxBatchesInFlight: options.batchesInFlight ?? (batchSize === 1 ? prefetch : 8),
    maxWaitMs: options.batchWaitMs ?? 0,
    keyOf: (pending) =>
      typeof pending.delivery.event?.subject === 'string' ? pending.delivery.event.subject : '',
    run: runBatch,
  });

  const onDelivery = (delivery: Delivery): Promise<void> =>
    new Promise<void>((resolve, reject) => queue.add({ delivery, resolve, reject }));

  const parked = createParkedEvents({
    raw,
    handlersOf,
    logFor,
    validate: (event) => malformed(event) ?? options.validate?.(event) ?? undefined,
    applyOnce,
    onOutcome: count,
  });

  return {
    subscribe(types, handler, options) {
      if (subscription) throw new Error('subscribe() must be called before start()');
      if (types.length === 0) throw new Error('subscribe() needs at least one event type');
      subscriptions.push({
        patterns: [...types],
        matches: types.map(topicMatcher),
        handler,
        handleBatch: options?.handleBatch,
      });
    },
    async start() {
      if (subscription) return;
      if (subscriptions.length === 0) throw new Error(`Consumer ${service} has no subscription to start`);
      const types = [...new Set(subscriptions.flatMap((entry) => entry.patterns))];
      subscription = await transport.consume(
        { consumer: service, types, prefetch, retryDelaysMs },
        onDelivery,
      );
      startedOnce = true;
      inboxRetention.start();
      logger.info({ types, prefetch, batchSize }, 'event consumer started');
    },
    async stop() {
      const current = subscription;
      if (!current) return;
      await inboxRetention.stop();
      await current.close();
      await queue.idle();
      subscription = undefined;
      logger.info('event consumer stopped');
    },
    purgeInbox: () => inboxRetention.purge(),
    parked,
  };
}

/** A handler's context for a job of a batch; its logger is made only if the handler uses it. */
function contextOf<DB>(job: Job<DB>, trx: Kysely<DB>): EventContext<DB> {
  return {
    trx,
    attempt: job.attempt,
    get log() {
      return job.log;
    },
  };
}

/** Records the event in the inbox; false when it was recorded already (a duplicate). */
async function insertInbox<DB>(trx: Kysely<DB>, event: EventEnvelope): Promise<boolean> {
  const { rows } = await sql`
    insert into inbox (event_id, type, event_time)
    values (${event.id}::uuid, ${event.type}, ${event.time}::timestamptz)
    on conflict (event_id) do nothing
    returning event_id`.execute(trx);
  return rows.length > 0;
}

/** Why an envelope cannot even be recorded in the inbox, or undefined when its frame is sound. */
function malformed(event: EventEnvelope | undefined): string | undefined {
  if (typeof event !== 'object' || event === null) return 'the message is not a JSON object';
  if (!isUuid(event.id)) return `id ${JSON.stringify(event.id)} is not a UUID`;
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    // Also the RabbitMQ transport's marker for an unreadable body (type `invalid`): parked, never ignored.
    return `type ${JSON.stringify(event.type)} is not a Lessor event type`;
  }
  if (typeof event.subject !== 'string') return 'the envelope has no subject';
  if (event.specversion !== '1.0') return `specversion ${JSON.stringify(event.specversion)} is not 1.0`;
  // The inbox keeps an id as long as its event is young: an event without a readable time cannot be deduplicated.
  if (typeof event.time !== 'string' || !isRfc3339(event.time)) {
    return `time ${JSON.stringify(event.time)} is not an RFC 3339 timestamp`;
  }
  return undefined;
}

// What both JavaScript and PostgreSQL read the same way (CloudEvents' `time` is RFC 3339): date and time, an
// optional fraction, then Z or an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}/;
const FRACTION = /^\.\d{1,9}/;
const ZONE = /^(?:[Zz]|[+-]\d{2}:\d{2})$/;

function isRfc3339(text: string): boolean {
  if (!DATE_TIME.test(text)) return false;
  const rest = text.slice(19);
  const fraction = FRACTION.exec(rest)?.[0] ?? '';
  return ZONE.test(rest.slice(fraction.length)) && !Number.isNaN(Date.parse(text));
}

// A broken envelope could carry any string as its type: keep the label set bounded.
function metricType(type: string): string {
  return /^[a-z0-9.-]{1,200}$/.test(type) ? type : 'invalid';
}

const PARKED_COLUMNS = sql`id, event_id as "eventId", type, envelope, reason, attempts, parked_at as "parkedAt",
  status, resolved_at as "resolvedAt", resolved_by as "resolvedBy"`;

function createParkedEvents<DB>(deps: {
  raw: Kysely<DB>;
  handlersOf: (type: string) => EventHandler<DB>[];
  logFor: (event: Partial<EventEnvelope>, attempt: number) => Logger;
  validate: (event: EventEnvelope) => string | undefined;
  applyOnce: (
    event: EventEnvelope,
    handlers: readonly EventHandler<DB>[],
    attempt: number,
    log: Logger,
    extra?: (trx: Kysely<DB>) => Promise<void>,
  ) => Promise<'applied' | 'duplicate'>;
  onOutcome: (type: string, outcome: Outcome) => void;
}): ParkedEvents {
  const { raw } = deps;

  const get = async (id: string): Promise<ParkedEvent | undefined> => {
    if (!isUuid(id)) return undefined;
    const { rows } =
      await sql<ParkedEvent>`select ${PARKED_COLUMNS} from parked_events where id = ${id}::uuid`.execute(raw);
    return rows[0];
  };

  const recordFailure = async (id: string, reason: string): Promise<void> => {
    await sql`update parked_events set attempts = attempts + 1, reason = ${reason.slice(0, 4000)}
      where id = ${id}::uuid and status = 'parked'`.execute(raw);
  };

  return {
    async list({ limit, cursor, status, type }) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new EventsError('INVALID_CURSOR', 'limit must be an integer from 1 to 1000');
      }
      const after = cursor === undefined || cursor === '' ? undefined : decodeCursor(cursor);
      const conditions = [sql`true`];
      if (status !== undefined) conditions.push(sql`status = ${status}`);
      if (type !== undefined) conditions.push(sql`type = ${type}`);
      // UUIDv7 ids grow with parking time: ordering by id alone is newest first and a total order for keysets.
      if (after !== undefined) conditions.push(sql`id < ${after}::uuid`);
      const { rows } = await sql<ParkedEvent>`
        select ${PARKED_COLUMNS} from parked_events
        where ${sql.join(conditions, sql` and `)}
        order by id desc
        limit ${limit + 1}`.execute(raw);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    get,

    async replay(id, actor) {
      const row = await get(id);
      if (!row) throw new EventsError('NOT_FOUND', `No parked event ${id}`);
      if (row.status === 'discarded') throw new EventsError('CONFLICT', `Parked event ${id} was discarded`);
      const event = row.envelope;
      const attempt = row.attempts + 1;
      const log = deps.logFor(event ?? {}, attempt).child({ parkedId: id, replayedBy: actor });
      const invalid = deps.validate(event);
      if (invalid) {
        await recordFailure(id, `invalid: ${invalid}`);
        throw new EventsError('HANDLER_FAILED', `Parked event ${id} is still invalid: ${invalid}`);
      }
      const handlers = deps.handlersOf(event.type);
      if (handlers.length === 0) {
        throw new EventsError(
          'NO_HANDLER',
          `No subscription handles ${event.type}; nothing to replay it with`,
        );
      }
      try {
        const outcome = await deps.applyOnce(event, handlers, attempt, log, async (trx) => {
          // In the inbox transaction: the row is marked replayed if and only if the effect commits. A row
          // replayed before keeps its first resolution.
          const marked = await sql`
            update parked_events set status = 'replayed', resolved_at = now(), resolved_by = ${actor}
            where id = ${id}::uuid and status = 'parked'`.execute(trx.withoutPlugins());
          if (Number(marked.numAffectedRows ?? 0) === 0) {
            const current = await sql<{ status: ParkedStatus }>`
              select status from parked_events where id = ${id}::uuid`.execute(trx.withoutPlugins());
            const status = current.rows[0]?.status;
            if (status !== 'replayed') {
              throw new EventsError('CONFLICT', `Parked event ${id} is ${status ?? 'gone'}, not parked`);
            }
          }
        });
        deps.onOutcome(event.type, outcome === 'applied' ? 'handled' : 'duplicate');
        log.info({ outcome }, 'parked event replayed');
        return outcome;
      } catch (error) {
        if (error instanceof EventsError && error.code === 'CONFLICT') throw error;
        await recordFailure(id, errorMessage(error));
        log.warn({ err: error }, 'replay of a parked event failed; it stays parked');
        throw new EventsError(
          'HANDLER_FAILED',
          `Replay of parked event ${id} failed: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    },

    async discard(id, actor) {
      const row = await get(id);
      if (!row) throw new EventsError('NOT_FOUND', `No parked event ${id}`);
      const result = await sql`
        update parked_events set status = 'discarded', resolved_at = now(), resolved_by = ${actor}
        where id = ${id}::uuid and status = 'parked'`.execute(raw);
      if (Number(result.numAffectedRows ?? 0) === 0) {
        throw new EventsError('CONFLICT', `Parked event ${id} is ${row.status}, not parked`);
      }
    },
  };
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (isUuid(decoded?.id)) return decoded.id;
  } catch {
    // fall through: any unreadable cursor is the same error
  }
  throw new EventsError('INVALID_CURSOR', 'The cursor is not one this list gave');
}
