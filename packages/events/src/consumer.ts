import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import { SubjectBatchQueue } from './batch-queue.ts';
import { silentLogger, traceIdOf } from './internal.ts';
import { createInboxRetention, inboxRetentionSettings } from './inbox-retention.ts';
import type { Delivery, Subscription } from './transport.ts';
import { applyBatch } from './consumer/apply-batch.ts';
import { createConsumerMetrics } from './consumer/consumer-metrics.ts';
import type { Consumer, ConsumerOptions } from './consumer/consumer.types.ts';
import { DEFAULT_RETRY_DELAYS_MS, invalidity, screenDelivery } from './consumer/delivery-policy.ts';
import type { ScreeningRules } from './consumer/delivery-policy.ts';
import { applyOnce } from './consumer/inbox.ts';
import type { ApplyOnce } from './consumer/inbox.ts';
import type { Job, Pending } from './consumer/job.ts';
import { countParked, createParkedEvents } from './consumer/parked-events.ts';
import { createDeliverySettlement } from './consumer/settle-delivery.ts';
import type { DeliverySettlement } from './consumer/settle-delivery.ts';
import { Subscriptions } from './consumer/subscriptions.ts';
import type { Subscribed } from './consumer/subscriptions.ts';

// The consumer is built from the modules in ./consumer/ (the package README, "How the consumer is built").
export type {
  BatchedEvent,
  Consumer,
  ConsumerOptions,
  EventBatchContext,
  EventBatchHandler,
  EventContext,
  EventHandler,
  SubscribeOptions,
} from './consumer/consumer.types.ts';
export type { ParkedEvent, ParkedEvents, ParkedStatus } from './consumer/parked-events.ts';

/**
 * Creates the consumer runtime of a service. Each delivery: a `validate` failure parks it at once; otherwise
 * its event id goes into `inbox` (on conflict nothing: a duplicate commits, is acked, and has no effect) and
 * the handler runs, in the same transaction; after the commit the delivery is acked. A handler that throws
 * rolls back and asks the transport to retry later; with no retry left, the event is parked and acked.
 * A type nothing subscribed to (a queue binding left from an older version) is acked and logged, not parked:
 * no handler exists that a replay could run.
 * Deliveries that arrive together share one transaction (up to `batchSize`), their handlers in one savepoint
 * (ADR 23): a handler that throws fails alone, its effect and inbox row rolled back, and the others commit
 * together. Events whose subscriptions have batch handlers go to those at once, in one savepoint, and take the
 * per-event path only when a batch handler throws.
 * Deliveries of one subject are handled one after the other in delivery order; other subjects in parallel.
 */
export function createConsumer<DB = unknown>(options: ConsumerOptions<DB>): Consumer<DB> {
  const { service, transport, db } = options;
  const raw = db.withoutPlugins();
  const prefetch = options.prefetch ?? 50;
  const batchSize = options.batchSize ?? 50;
  const retryDelaysMs = [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)];
  const logger = options.logger ?? silentLogger();
  const retention = inboxRetentionSettings(options);
  const subscriptions = new Subscriptions<DB>();
  let subscription: Subscription | undefined;
  let startedOnce = false;

  const metrics = createConsumerMetrics(options.metrics, {
    logger,
    countParked: () => countParked(raw),
    // Its queue exists once the consumer has started: RabbitMQ refuses to count a queue never declared.
    queueDepth: async () => (startedOnce ? transport.queueDepth(service) : 0),
  });
  const inboxRetention = createInboxRetention({
    db: raw,
    settings: retention,
    logger,
    metrics: options.metrics,
  });

  const logFor = (event: Partial<EventEnvelope>, attempt: number): Logger => {
    const traceId = traceIdOf(event.traceparent);
    return logger.child({ eventId: event.id, type: event.type, ...(traceId ? { traceId } : {}), attempt });
  };

  const applyTimed: ApplyOnce<DB> = (event, handlers, attempt, log, extra) =>
    metrics.timed(event.type, () => applyOnce(db, event, handlers, attempt, log, extra));

  const settlement = createDeliverySettlement<DB>({
    raw,
    retentionMs: retention.retentionMs,
    retryDelaysMs,
    logger,
    logFor,
    metrics,
  });

  const screeningRules: ScreeningRules<Subscribed<DB>> = {
    validate: options.validate,
    subscribedTo: (type) => subscriptions.matching(type),
    retentionMs: retention.retentionMs,
  };

  const runBatch = async (batch: Pending[]): Promise<void> => {
    try {
      const jobs: Job<DB>[] = [];
      const settling: Promise<void>[] = [];
      for (const pending of batch) {
        const screened = screen(pending, screeningRules, settlement, logFor);
        if (typeof screened === 'function') settling.push(settlement.settle(pending, screened));
        else jobs.push(screened);
      }
      // No transaction is open while a delivery is settled: acks and retries take a connection of their own.
      const verdicts =
        jobs.length > 0
          ? await applyBatch(jobs, {
              db,
              subscriptions: subscriptions.all,
              applyOnce: applyTimed,
              logger,
              metrics,
            })
          : [];
      for (const [index, job] of jobs.entries()) {
        settling.push(settlement.settle(job.pending, () => settlement.conclude(job, verdicts[index]!)));
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
    handlersOf: (type) => subscriptions.handlersOf(type),
    logFor,
    validate: (event) => invalidity(event, options.validate),
    applyOnce: applyTimed,
    onOutcome: (type, outcome) => metrics.settled(type, outcome),
  });

  return {
    subscribe(types, handler, options) {
      if (subscription) throw new Error('subscribe() must be called before start()');
      subscriptions.add(types, handler, options);
    },
    async start() {
      if (subscription) return;
      if (subscriptions.all.length === 0) throw new Error(`Consumer ${service} has no subscription to start`);
      const types = subscriptions.patterns();
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

/** What a delivery needs before any transaction: a job for the inbox transaction, or how it settles without. */
function screen<DB>(
  pending: Pending,
  rules: ScreeningRules<Subscribed<DB>>,
  settlement: DeliverySettlement<DB>,
  logFor: (event: Partial<EventEnvelope>, attempt: number) => Logger,
): Job<DB> | (() => Promise<void>) {
  const { delivery } = pending;
  const { event, attempt } = delivery;
  // Made when first used: a child logger costs ~10-25 µs, and an event handled without a word needs none.
  let made: Logger | undefined;
  const logOf = () => (made ??= logFor(event ?? {}, attempt));
  const screening = screenDelivery(event, rules, Date.now());
  switch (screening.fate) {
    case 'retry':
      return () => settlement.fail(delivery, logOf(), screening.error);
    case 'park':
      return () => settlement.parkInvalid(delivery, logOf(), screening.invalid);
    case 'ignore':
      return () => settlement.ignore(delivery, logOf());
    case 'stale':
      return () => settlement.settleStale(delivery, logOf());
    case 'apply': {
      const { subscribed } = screening;
      return {
        pending,
        event,
        attempt,
        get log() {
          return logOf();
        },
        handlers: subscribed.map((entry) => entry.handler),
        subscribed,
      };
    }
  }
}
