import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventEnvelope } from '../envelope.ts';
import {
  EVENT_LAG_BUCKETS_SECONDS,
  HANDLER_DURATION_BUCKETS_SECONDS,
  collectedGaugeIn,
  counterIn,
  histogramIn,
} from '../internal.ts';

/** How a delivery was settled: the `outcome` label of `lessor_events_consumed_total`. */
export type Outcome = 'handled' | 'duplicate' | 'retried' | 'parked' | 'ignored';

/** What a consumer counts and times; without a registry every method does nothing. */
export interface ConsumerMetrics {
  /** A delivery (or a replay) settled with this outcome. */
  settled(type: string, outcome: Outcome): void;
  /** Time spent handling an event, failures too (in a batch: its share of the batch). */
  handled(type: string, nanoseconds: bigint): void;
  /** Runs `handle` and records its time with `handled`, whether it resolves or throws. */
  timed<T>(type: string, handle: () => Promise<T>): Promise<T>;
  /** An event's effect committed: its lag since the event's `time`. */
  applied(event: EventEnvelope): void;
  parked(type: string): void;
  /** A batch handler threw and its events went the per-event way. */
  batchFellBack(): void;
}

/** What the two gauges read at scrape time. */
export interface ConsumerGaugeSources {
  /** Parked events waiting for an admin. */
  countParked(): Promise<number>;
  /** Events waiting in the service's queue. */
  queueDepth(): Promise<number>;
  /** Where a failed read is reported (the gauge keeps its last value). */
  logger: Logger;
}

/**
 * Registers the consumer's metrics in `registry` (shared with any other consumer of that registry) or, without
 * one, returns metrics that record nothing.
 */
export function createConsumerMetrics(
  registry: Registry | undefined,
  sources: ConsumerGaugeSources,
): ConsumerMetrics {
  if (!registry) return unrecorded;
  const consumed = counterIn(
    registry,
    'lessor_events_consumed_total',
    'Deliveries settled, by event type and outcome.',
    ['type', 'outcome'] as const,
  );
  const duration = histogramIn(
    registry,
    'lessor_event_handler_duration_seconds',
    'Time to handle an event: the inbox transaction with its handler, until commit.',
    ['type'] as const,
    HANDLER_DURATION_BUCKETS_SECONDS,
  );
  const lag = histogramIn(
    registry,
    'lessor_event_lag_seconds',
    "From an event's time (written by its publisher) to the commit of its effect here: the consumer's lag.",
    ['type'] as const,
    EVENT_LAG_BUCKETS_SECONDS,
  );
  const batchFallbacks = counterIn(
    registry,
    'lessor_event_batch_fallbacks_total',
    'Batches whose batch handler threw, so that their events were handled again one savepoint each.',
  );
  const parkedTotal = counterIn(
    registry,
    'lessor_events_parked_total',
    'Events parked (dead-lettered), by type.',
    ['type'] as const,
  );
  registerGauges(registry, sources);

  const handled = (type: string, nanoseconds: bigint) =>
    duration.observe({ type: metricType(type) }, Number(nanoseconds) / 1e9);
  return {
    settled: (type, outcome) => consumed.inc({ type: metricType(type), outcome }),
    handled,
    async timed(type, handle) {
      const started = process.hrtime.bigint();
      try {
        return await handle();
      } finally {
        // Failures too: a handler that times out slowly is what this histogram is for.
        handled(type, process.hrtime.bigint() - started);
      }
    },
    applied(event) {
      const seconds = lagSeconds(event.time, Date.now());
      if (seconds !== undefined) lag.observe({ type: metricType(event.type) }, seconds);
    },
    parked: (type) => parkedTotal.inc({ type: metricType(type) }),
    batchFellBack: () => batchFallbacks.inc(),
  };
}

function registerGauges(registry: Registry, sources: ConsumerGaugeSources): void {
  const { logger } = sources;
  collectedGaugeIn(
    registry,
    'lessor_parked_events',
    'Parked events waiting for an admin (status parked).',
    () => sources.countParked(),
    (error) => logger.warn({ err: error }, 'could not count parked events for metrics'),
  );
  collectedGaugeIn(
    registry,
    'lessor_consumer_queue_depth',
    "Events waiting in this service's queue for the consumer to take them (0 until it first started).",
    () => sources.queueDepth(),
    (error) => logger.warn({ err: error }, 'could not read the queue depth for metrics'),
  );
}

const unrecorded: ConsumerMetrics = {
  settled: () => {},
  handled: () => {},
  timed: (_type, handle) => handle(),
  applied: () => {},
  parked: () => {},
  batchFellBack: () => {},
};

/**
 * Seconds from an event's `time` to `nowMs`, or undefined when the time is unreadable. The clocks of publisher
 * and consumer may differ a little: an event "from the future" counts as no lag.
 */
export function lagSeconds(time: string, nowMs: number): number | undefined {
  const occurred = Date.parse(time);
  return Number.isFinite(occurred) ? Math.max(0, nowMs - occurred) / 1000 : undefined;
}

/** The `type` label of an event type. A broken envelope could carry any string as its type: the set stays bounded. */
export function metricType(type: string): string {
  return /^[a-z0-9.-]{1,200}$/.test(type) ? type : 'invalid';
}
