import type { EventEnvelope } from './envelope.ts';

/**
 * How events move between services. Two implementations share this interface: RabbitMQ (distributed mode)
 * and in-process (embedded mode). Both sit between an outbox (the relay publishes) and an inbox (the
 * consumer runtime records each event id in the same transaction as its effect), so delivery is at least
 * once and the effect exactly once either way.
 */
export interface Transport {
  /**
   * Publishes the events in the given order and resolves only when the broker has confirmed every one
   * (publisher confirms). Rejects if any was not confirmed: the relay then leaves them pending and retries.
   */
  publish(events: readonly EventEnvelope[]): Promise<void>;

  /**
   * Declares the consumer's queue (`lessor.<consumer>`), binds it to each type (routing key = type) and
   * starts delivering. `handle` is called with at most `prefetch` deliveries outstanding; every delivery must
   * be settled exactly once by one of its methods.
   */
  consume(options: ConsumeOptions, handle: (delivery: Delivery) => Promise<void>): Promise<Subscription>;

  /**
   * Declares a consumer's durable queue and its bindings without consuming, so events published before
   * that consumer first starts still reach it. Publishers call it for every consumer the event catalogue
   * declares (a broker routes an event only to queues that exist when it is published).
   */
  bind(consumer: string, types: readonly string[]): Promise<void>;

  /**
   * How many messages wait in the consumer's queue for a consumer to take them: RabbitMQ's ready count of
   * `lessor.<consumer>` (neither deliveries in flight nor retries waiting out their delay, which sit in the
   * retry queues). The consumer's backlog metric reads it; call it only after that consumer's `consume`.
   */
  queueDepth(consumer: string): Promise<number>;

  /** Stops consuming and publishing and closes connections (pending confirms are awaited). */
  close(): Promise<void>;
}

export interface ConsumeOptions {
  /** The consuming service's name: one durable queue per consuming service. */
  consumer: string;
  /** Event types to receive (exact routing keys; `#`/`*` wildcards allowed, e.g. `lessor.#`). */
  types: readonly string[];
  /** Deliveries in flight at once (RabbitMQ prefetch). */
  prefetch: number;
  /**
   * Delays before each retry, in order (e.g. [1000, 5000, 30000]): the first failure waits the first
   * delay, and so on. After the last, `retry` is refused and the runtime parks the event instead.
   */
  retryDelaysMs: readonly number[];
}

export interface Delivery {
  /** The envelope as received (already JSON-parsed; NOT yet validated against the catalogue). */
  readonly event: EventEnvelope;
  /** 1 on first delivery, 2 after one retry, … (carried in a header, `x-lessor-attempt`). */
  readonly attempt: number;
  /** True when the broker says this message may have been delivered before (redelivered flag). */
  readonly redelivered: boolean;
  /** The effect is committed: remove the message. */
  ack(): Promise<void>;
  /**
   * Handling failed; deliver again after `retryDelaysMs[attempt - 1]` with attempt + 1 — through the
   * broker's TTL/dead-letter retry queues, never a sleep in the consumer. Resolves false (and settles
   * nothing) when no retry is left: the caller must then park the event and `ack`.
   */
  retry(reason: string): Promise<boolean>;
}

export interface Subscription {
  /** Stops receiving; in-flight deliveries finish first. */
  close(): Promise<void>;
}
