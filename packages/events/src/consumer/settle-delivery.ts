import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../envelope.ts';
import { isPermanentFailure } from '../errors.ts';
import { errorMessage } from '../internal.ts';
import type { Delivery } from '../transport.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { retryDelayAfter, staleReason, typeOf } from './delivery-policy.ts';
import { hasInboxRow } from './inbox.ts';
import type { Job, Pending, Verdict } from './job.ts';
import { isFailure } from './job.ts';
import { parkEvent } from './parked-events.ts';

// A delivery's way out once its fate is known: acked (applied, duplicate, ignored), retried later, or parked and
// acked. No transaction is open here: acks, retries and parking take a connection of their own.

export interface DeliverySettlement<DB> {
  /** Runs `action`, then settles the transport's promise of the delivery with its outcome. */
  settle(pending: Pending, action: () => Promise<void>): Promise<void>;
  /** After the commit: acks an applied or duplicate event, or takes a failed one down the failure path. */
  conclude(job: Job<DB>, verdict: Verdict): Promise<void>;
  /** A failure: retried later, or parked (and acked) when no retry is left or it is a PermanentFailure. */
  fail(delivery: Delivery, log: Logger, failure: unknown): Promise<void>;
  /** A malformed or invalid event: parked at once, without retries, and acked. */
  parkInvalid(delivery: Delivery, log: Logger, invalid: string): Promise<void>;
  /** An event no subscription handles: acked and counted, nothing else. */
  ignore(delivery: Delivery, log: Logger): Promise<void>;
  /** An event as old as the inbox retention: a duplicate when the inbox knows it, otherwise parked. */
  settleStale(delivery: Delivery, log: Logger): Promise<void>;
}

export interface DeliverySettlementDeps<DB> {
  /** The database handle without plugins: parking and the stale lookup. */
  raw: Kysely<DB>;
  retentionMs: number;
  retryDelaysMs: readonly number[];
  logger: Logger;
  logFor: (event: Partial<EventEnvelope>, attempt: number) => Logger;
  metrics: ConsumerMetrics;
}

export function createDeliverySettlement<DB>(deps: DeliverySettlementDeps<DB>): DeliverySettlement<DB> {
  const { raw, metrics } = deps;

  const park = async (event: EventEnvelope, reason: string, attempts: number): Promise<void> => {
    await parkEvent(raw, event, reason, attempts);
    metrics.parked(typeOf(event));
  };

  const fail = async (delivery: Delivery, log: Logger, failure: unknown): Promise<void> => {
    const type = typeOf(delivery.event);
    const reason = errorMessage(failure);
    // A permanent failure (the outside system refused the event) would fail the same way again: parked at once.
    const permanent = isPermanentFailure(failure);
    if (!permanent && (await delivery.retry(reason))) {
      log.warn(
        { err: failure, retryInMs: retryDelayAfter(deps.retryDelaysMs, delivery.attempt) },
        'event handler failed; retrying later',
      );
      metrics.settled(type, 'retried');
      return;
    }
    log.error(
      { err: failure },
      permanent
        ? 'event handler failed permanently; parked without retries'
        : 'event handler failed and no retry is left; parked',
    );
    await park(delivery.event, reason, delivery.attempt);
    await delivery.ack();
    metrics.settled(type, 'parked');
  };

  return {
    /**
     * Only parking or settling can fail here (the database or the transport is down): the delivery then stays
     * unsettled and the transport delivers it again.
     */
    settle: (pending, action) =>
      action().then(pending.resolve, (error: unknown) => {
        deps
          .logFor(pending.delivery.event ?? {}, pending.delivery.attempt)
          .error({ err: error }, 'could not settle the delivery');
        pending.reject(error);
      }),

    // An ack that fails after the commit is no handler failure: the delivery comes again and the inbox absorbs it.
    async conclude(job, verdict) {
      const { delivery } = job.pending;
      if (isFailure(verdict)) {
        await fail(delivery, job.log, verdict.failure);
        return;
      }
      await delivery.ack();
      metrics.settled(job.event.type, verdict === 'applied' ? 'handled' : 'duplicate');
      if (verdict === 'applied') metrics.applied(job.event);
      else if (deps.logger.isLevelEnabled('debug'))
        job.log.debug('event already handled; acked as a duplicate');
    },

    fail,

    // An event that breaks its contract fails the same way every time: retrying only delays the admin.
    async parkInvalid(delivery, log, invalid) {
      log.error({ reason: invalid }, 'event is invalid; parked without retries');
      await park(delivery.event, `invalid: ${invalid}`, delivery.attempt);
      await delivery.ack();
      metrics.settled(typeOf(delivery.event), 'parked');
    },

    async ignore(delivery, log) {
      log.warn(
        'no subscription for this event type (a binding left from an older version?); acked and ignored',
      );
      await delivery.ack();
      metrics.settled(typeOf(delivery.event), 'ignored');
    },

    // Not found, it may be a copy of an event applied and purged since (a publisher down for weeks with a batch
    // published but not marked, a consumer down for weeks with a commit not acked): an admin decides, not the code.
    async settleStale(delivery, log) {
      const { event } = delivery;
      if (await hasInboxRow(raw, event.id)) {
        await delivery.ack();
        metrics.settled(event.type, 'duplicate');
        log.debug('event already handled; acked as a duplicate');
        return;
      }
      log.error({ time: event.time }, 'event is older than the inbox retention and unknown to it; parked');
      await park(event, staleReason(event.time, deps.retentionMs), delivery.attempt);
      await delivery.ack();
      metrics.settled(event.type, 'parked');
    },
  };
}
