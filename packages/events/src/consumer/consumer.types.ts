import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventEnvelope } from '../envelope.ts';
import type { Transport } from '../transport.ts';
import type { ParkedEvents } from './parked-events.ts';

// The consumer's public types (exported by `@lessor/events`): what a handler gets, and the consumer's options.

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
