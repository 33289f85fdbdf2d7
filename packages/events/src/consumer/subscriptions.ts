import { topicMatcher } from '../topic.ts';
import type { EventBatchHandler, EventHandler, SubscribeOptions } from './consumer.types.ts';

/** One `subscribe` call: its type patterns and handlers. */
export interface Subscribed<DB> {
  patterns: string[];
  matches: ((type: string) => boolean)[];
  handler: EventHandler<DB>;
  handleBatch: EventBatchHandler<DB> | undefined;
}

/**
 * A consumer's subscriptions in the order they were made: that order is the order in which the handlers of
 * one event run, in its one transaction.
 */
export class Subscriptions<DB> {
  readonly #entries: Subscribed<DB>[] = [];

  /** Every subscription, in subscription order. */
  get all(): readonly Subscribed<DB>[] {
    return this.#entries;
  }

  /** Adds a subscription to these types (exact types or AMQP patterns such as `lessor.sso.#`). */
  add(types: readonly string[], handler: EventHandler<DB>, options?: SubscribeOptions<DB>): void {
    if (types.length === 0) throw new Error('subscribe() needs at least one event type');
    this.#entries.push({
      patterns: [...types],
      matches: types.map(topicMatcher),
      handler,
      handleBatch: options?.handleBatch,
    });
  }

  /** The subscriptions with a pattern matching `type`, in subscription order. */
  matching(type: string): Subscribed<DB>[] {
    return this.#entries.filter((entry) => entry.matches.some((matches) => matches(type)));
  }

  /** The per-event handlers for `type`, in subscription order. */
  handlersOf(type: string): EventHandler<DB>[] {
    return this.matching(type).map((entry) => entry.handler);
  }

  /** Every pattern subscribed to, once each: what the service's queue is bound to. */
  patterns(): string[] {
    return [...new Set(this.#entries.flatMap((entry) => entry.patterns))];
  }
}
