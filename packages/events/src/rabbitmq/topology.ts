import type { MethodParams, Cmd } from 'rabbitmq-client';

/** The one topic exchange every Lessor event is published to (ARCHITECTURE.md §4, Events). */
export const DEFAULT_EXCHANGE = 'lessor.events';

type ExchangeDeclaration = MethodParams[Cmd.ExchangeDeclare];
type QueueDeclaration = MethodParams[Cmd.QueueDeclare];

/** The durable queue of one consuming service: `lessor.<consumer>`. */
export function consumerQueueName(consumer: string): string {
  return `lessor.${consumer}`;
}

/** The queue a failed delivery waits in before it returns to its consumer: `lessor.<consumer>.retry.<delayMs>`. */
export function retryQueueName(consumer: string, delayMs: number): string {
  return `lessor.${consumer}.retry.${delayMs}`;
}

/** The topic exchange, declared the same way by every publisher and consumer (declaring is idempotent). */
export function exchangeDeclaration(exchange: string): ExchangeDeclaration {
  return { exchange, type: 'topic', durable: true };
}

/** A consumer's queue: durable quorum (replicated, and faster than classic durable on our broker, STACK.md). */
export function consumerQueueDeclaration(consumer: string): QueueDeclaration {
  return { queue: consumerQueueName(consumer), durable: true, arguments: { 'x-queue-type': 'quorum' } };
}

/**
 * A retry queue: nobody consumes it; a message expires after `delayMs` and is dead-lettered through the default
 * exchange straight to `lessor.<consumer>`, so only the consumer that failed sees the copy again (routing it
 * back through the topic exchange would hand it to every subscriber of the type).
 *
 * Quorum with `at-least-once` dead-lettering: the message leaves the retry queue only once the consumer's
 * queue has confirmed it, so a broker crash during the hop duplicates rather than loses (classic queues and
 * the default `at-most-once` strategy can drop it). That strategy requires `x-overflow: reject-publish`.
 */
export function retryQueueDeclaration(consumer: string, delayMs: number): QueueDeclaration {
  return {
    queue: retryQueueName(consumer, delayMs),
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': consumerQueueName(consumer),
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  };
}

/** Throws when the consumer name or retry delays would make invalid or clashing queues. */
export function assertConsumerTopology(
  consumer: string,
  types: readonly string[],
  retryDelaysMs: readonly number[],
): void {
  // Queue names are at most 255 bytes; leave room for `.retry.<delay>`.
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/.test(consumer)) {
    throw new Error(
      `invalid consumer name ${JSON.stringify(consumer)}: letters, digits, '.', '_', '-' (max 200)`,
    );
  }
  if (types.length === 0) throw new Error(`consumer ${consumer}: no event types to bind`);
  for (const type of types) {
    if (type.length === 0 || type.length > 255)
      throw new Error(`consumer ${consumer}: invalid type ${JSON.stringify(type)}`);
  }
  for (const delay of retryDelaysMs) {
    // x-message-ttl is an integer of milliseconds; 0 would skip the wait altogether.
    if (!Number.isInteger(delay) || delay < 1) {
      throw new Error(
        `consumer ${consumer}: retry delays must be positive integers of milliseconds, got ${delay}`,
      );
    }
  }
}
