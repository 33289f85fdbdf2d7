import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../envelope.ts';
import type { Delivery } from '../transport.ts';
import type { EventContext, EventHandler } from './consumer.types.ts';
import type { Subscribed } from './subscriptions.ts';

// A delivery on its way through the consumer: waiting for its batch (Pending), screened and ready for the inbox
// transaction (Job), and how it fared there (Verdict).

/** A delivery waiting for its batch; its promise (the transport's `handle`) settles with the delivery. */
export interface Pending {
  delivery: Delivery;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** An event ready for the inbox transaction: what applying it needs. */
export interface InboxJob<DB> {
  event: EventEnvelope;
  attempt: number;
  /** The event's logger; made when first read. */
  readonly log: Logger;
  handlers: readonly EventHandler<DB>[];
  /** The subscriptions matching its type, in subscription order. */
  subscribed: readonly Subscribed<DB>[];
}

/** A delivery that goes through the inbox transaction. */
export interface Job<DB> extends InboxJob<DB> {
  pending: Pending;
}

/** How an event fared in its transaction; a failure's effect and inbox row did not commit. */
export type Verdict = 'applied' | 'duplicate' | { failure: unknown };

export function isFailure(verdict: Verdict | undefined): verdict is { failure: unknown } {
  return typeof verdict === 'object';
}

/** A handler's context for a job of a batch; its logger is made only if the handler uses it. */
export function contextOf<DB>(job: InboxJob<DB>, trx: Kysely<DB>): EventContext<DB> {
  return {
    trx,
    attempt: job.attempt,
    get log() {
      return job.log;
    },
  };
}
