import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { EventEnvelope } from './envelope.ts';
import { sleep } from './internal.ts';
import type { Transport } from './transport.ts';

/** Hooks around a transport's publish, to count, refuse or "crash" in tests. */
export interface PublishHooks {
  /** Runs before the inner publish; throwing refuses the batch (the broker is down). */
  beforePublish?(events: readonly EventEnvelope[]): void | Promise<void>;
  /**
   * Runs after the inner publish confirmed; throwing makes the relay believe it failed although the events
   * went out (the process died between publish and mark-sent).
   */
  afterPublish?(events: readonly EventEnvelope[]): void | Promise<void>;
}

/** A transport that behaves as `inner` with `hooks` around each publish; consume and close pass through. */
export function wrapTransport(inner: Transport, hooks: PublishHooks): Transport {
  return {
    async publish(events) {
      await hooks.beforePublish?.(events);
      await inner.publish(events);
      await hooks.afterPublish?.(events);
    },
    consume: (options, handle) => inner.consume(options, handle),
    bind: (consumer, types) => inner.bind(consumer, types),
    close: () => inner.close(),
  };
}

/**
 * Waits until `check` returns something other than false/undefined (or stops throwing) and returns it; throws
 * the last failure after `timeoutMs` (default 30 s). For waiting on asynchronous delivery without timed
 * assertions: the timeout is a safety net, not the thing tested.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== undefined) return result as Exclude<T, false | undefined>;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${options.message ?? 'condition'} not reached in ${options.timeoutMs ?? 30_000} ms`, {
        cause: last,
      });
    }
    await sleep(options.intervalMs ?? 20);
  }
}

/** The envelopes in a service's outbox in publication order (published or not), optionally of one type. */
export async function readOutbox<DB>(
  db: Kysely<DB>,
  options: { type?: string } = {},
): Promise<EventEnvelope[]> {
  const filter = options.type === undefined ? sql`true` : sql`type = ${options.type}`;
  const { rows } = await sql<{ envelope: EventEnvelope }>`
    select envelope from outbox where ${filter} order by seq`.execute(db.withoutPlugins());
  return rows.map((row) => row.envelope);
}

// The RabbitMQ test helpers (maintained in ./rabbitmq/), so `@lessor/events/testing` offers both.
export { deleteTestNamespace, testAmqpUrl } from './rabbitmq/testing.ts';
