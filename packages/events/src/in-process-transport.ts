import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';
import { Wakeup, errorMessage, silentLogger, yieldToEventLoop } from './internal.ts';
import { topicMatcher } from './topic.ts';
import type { ConsumeOptions, Delivery, Subscription, Transport } from './transport.ts';

/** The embedded-mode transport: a durable topic bus kept in tables of the process's one database. */
export interface InProcessTransport extends Transport {
  /**
   * Declares the consumer's queue and its bindings without consuming, as deploying a RabbitMQ queue would:
   * events published from then on wait in the queue for the consumer's first `consume`. (`consume` binds too;
   * this is for a consumer that starts after the publishers on the very first run.)
   */
  bind(consumer: string, types: readonly string[]): Promise<void>;
}

export interface InProcessTransportOptions<DB> {
  /** Any handle on the database that holds the bus (in embedded mode: `lessor_bus`, shared by every service). */
  db: Kysely<DB>;
  /**
   * How often a consumer looks for due messages when no signal came (default 100 ms). A publish in this
   * process wakes the queue's consumers at once and a retry wakes them when its delay is over, so polling only
   * matters for messages another transport object wrote.
   */
  pollIntervalMs?: number;
  logger?: Logger;
  /** The schema of the bus tables (default `lessor_bus`). */
  schema?: string;
  /**
   * Wake-ups from other processes: subscribes to a PostgreSQL notification channel on a session of its own
   * (LISTEN) and calls back with each payload. Every publish notifies the channel with the queues it filled
   * (`pg_notify`, delivered at its commit), so a consumer in another process wakes at once instead of at its
   * next poll. Without it, polling alone carries events between processes (ADR 21).
   */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<{ close(): Promise<void> }>;
  /**
   * How long a delivery handed to this process stays its own (default 30 s): another process consuming the same
   * queue skips it until then, and takes it over after (its consumer died with it in flight). Inside one
   * process the rows in flight are known and never handed out twice.
   */
  claimLeaseMs?: number;
  /** Who claims (default: one id per process). A test stands for a second process with another. */
  claimer?: string;
}

/** The channel every publish notifies with the queues it filled (one name per line). */
export const BUS_CHANNEL = 'lessor_bus';

/** Who claims in this process: a claim of another process holds until its lease runs out. */
const CLAIMER = randomUUID();

interface MessageRow {
  id: string;
  envelope: EventEnvelope;
  attempt: number;
  deliveries: number;
}

/** What every consumer of one queue in this transport shares. */
interface QueueState {
  /** Messages handed to a handler and not yet settled: never handed out twice at once. */
  outstanding: Set<string>;
  wakeups: Set<Wakeup>;
}

const SCHEMA_NAME = /^[a-z][a-z0-9_]*$/;
const INSERT_CHUNK = 1000;
// An unsettled delivery (its handler crashed, or settling failed) is offered again after this long, not at
// once: a database outage must not turn into a hot loop.
const UNSETTLED_RETRY_MS = 1000;

/**
 * Creates the in-process transport of embedded mode. It is durable, because a crash in embedded mode loses
 * nothing either: `<schema>.bindings(queue, pattern)` persists what each queue wants (so events published while
 * its consumer is down still reach it) and `<schema>.messages` holds every routed copy until it is acked.
 * `publish` inserts one row per event and matching queue (AMQP topic matching) in one transaction and resolves
 * after the commit — its confirm. `consume` delivers due rows of its queue in id order, at most `prefetch` at
 * once; `ack` deletes the row; `retry` bumps the attempt and sets `not_before` (a durable delay, no sleeping
 * consumer) or answers false when no retry is left. Create ONE per process and give it to every service: the
 * in-process wake-up signals reach the consumers of the same object only; other processes wake through
 * `listen` (LISTEN/NOTIFY) or their poll. A due row is claimed with `FOR UPDATE SKIP LOCKED` and marked with
 * this process and a lease, so two processes consuming one queue never hold the same row at once (ADR 21).
 */
export function createInProcessTransport<DB>(options: InProcessTransportOptions<DB>): InProcessTransport {
  const db = options.db.withoutPlugins();
  const schema = options.schema ?? 'lessor_bus';
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`Bus schema ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  const claimLeaseMs = options.claimLeaseMs ?? 30_000;
  const claimer = options.claimer ?? CLAIMER;
  const logger = options.logger ?? silentLogger();
  const bindings = sql.id(schema, 'bindings');
  const messages = sql.id(schema, 'messages');
  const matchers = new Map<string, (type: string) => boolean>();
  const queues = new Map<string, QueueState>();
  const subscriptions = new Set<Subscription>();
  const publishing = new Set<Promise<unknown>>();
  let ready: Promise<void> | undefined;
  let closed = false;
  let listening: Promise<{ close(): Promise<void> } | undefined> | undefined;

  // One LISTEN session per transport, opened by the first consumer: a publish in another process wakes the
  // consumers of the queues it names. A session that cannot be opened leaves the consumers polling.
  const startListening = () => {
    if (!options.listen || listening) return;
    listening = options
      .listen(BUS_CHANNEL, (payload) => {
        for (const queue of payload.split('\n')) signal(queue);
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'cannot listen for the bus’s notifications; consumers poll');
        return undefined;
      });
  };

  const ensureTables = (): Promise<void> =>
    (ready ??= createTables().catch((error: unknown) => {
      ready = undefined; // the next call tries again
      throw error;
    }));

  const createTables = async (): Promise<void> => {
    await db.transaction().execute(async (trx) => {
      // Two processes on one PostgreSQL database could both pass "if not exists" and collide on the catalogue.
      await sql`select pg_advisory_xact_lock(hashtext(${`${schema}.lessor_bus_tables`}))`.execute(trx);
      await sql`create schema if not exists ${sql.id(schema)}`.execute(trx);
      await sql`create table if not exists ${bindings} (
        queue text not null,
        pattern text not null,
        bound_at timestamptz not null default now(),
        primary key (queue, pattern)
      )`.execute(trx);
      await sql`create table if not exists ${messages} (
        id bigserial primary key,
        queue text not null,
        envelope jsonb not null,
        attempt integer not null default 1,
        deliveries integer not null default 0,
        not_before timestamptz not null default now(),
        published_at timestamptz not null default now(),
        last_error text
      )`.execute(trx);
      await sql`create index if not exists messages_queue_id on ${messages} (queue, id)`.execute(trx);
      // Claims across processes (a bus of an earlier release gets the columns here).
      await sql`alter table ${messages} add column if not exists claimed_by text,
        add column if not exists claimed_until timestamptz`.execute(trx);
    });
  };

  // Acks of deliveries settled in the same turn of the event loop are deleted in one statement: an ack costs a
  // statement otherwise, as much as the handler's own insert. Each ack still resolves only after its delete.
  const acks = new Batcher(async (ids: readonly string[]) => {
    await sql`delete from ${messages} where id = any(string_to_array(${ids.join(',')}, ',')::bigint[])`.execute(
      db,
    );
  });

  const queueState = (queue: string): QueueState => {
    let state = queues.get(queue);
    if (!state) {
      state = { outstanding: new Set(), wakeups: new Set() };
      queues.set(queue, state);
    }
    return state;
  };

  const signal = (queue: string) => {
    for (const wakeup of queues.get(queue)?.wakeups ?? []) wakeup.wake();
  };

  const matcherOf = (pattern: string) => {
    let matches = matchers.get(pattern);
    if (!matches) {
      matches = topicMatcher(pattern);
      matchers.set(pattern, matches);
    }
    return matches;
  };

  const bindQueue = async (queue: string, types: readonly string[]): Promise<void> => {
    await ensureTables();
    const patterns = [...new Set(types)];
    // The queue's bindings become exactly these: a type the service no longer subscribes to stops being
    // routed to it (what is already queued is still delivered; the consumer acks what it does not handle).
    await db.transaction().execute(async (trx) => {
      // Every service process declares every consumer's queue at its start: one at a time per queue.
      await sql`select pg_advisory_xact_lock(hashtext(${`${schema}.bind.${queue}`}))`.execute(trx);
      await sql`delete from ${bindings} where queue = ${queue}`.execute(trx);
      await sql`
        insert into ${bindings} (queue, pattern)
        select ${queue}, value from jsonb_array_elements_text(${JSON.stringify(patterns)}::jsonb)`.execute(
        trx,
      );
    });
  };

  const publish = async (events: readonly EventEnvelope[]): Promise<void> => {
    if (closed) throw new Error('The in-process transport is closed');
    if (events.length === 0) return;
    await ensureTables();
    const work = db.transaction().execute(async (trx) => {
      const { rows: bound } = await sql<{ queue: string; pattern: string }>`
        select queue, pattern from ${bindings}`.execute(trx);
      const copies: { q: string; e: EventEnvelope }[] = [];
      for (const event of events) {
        // One copy per queue, however many of its patterns match (as RabbitMQ does).
        const targets = new Set(
          bound.filter((binding) => matcherOf(binding.pattern)(event.type)).map((b) => b.queue),
        );
        for (const queue of [...targets].sort()) copies.push({ q: queue, e: event });
      }
      for (let start = 0; start < copies.length; start += INSERT_CHUNK) {
        // `with ordinality … order by n`: ids follow the publish order, and consumers deliver in id order.
        await sql`
          insert into ${messages} (queue, envelope)
          select c.value->>'q', c.value->'e'
          from jsonb_array_elements(${JSON.stringify(copies.slice(start, start + INSERT_CHUNK))}::jsonb)
            with ordinality as c(value, n)
          order by c.n`.execute(trx);
      }
      const touched = new Set(copies.map((copy) => copy.q));
      // Consumers in other processes wake at the commit (NOTIFY is transactional); a few bytes per publish.
      if (touched.size > 0)
        await sql`select pg_notify(${BUS_CHANNEL}, ${[...touched].join('\n')})`.execute(trx);
      return touched;
    });
    publishing.add(work);
    try {
      const touched = await work;
      for (const queue of touched) signal(queue);
    } finally {
      publishing.delete(work);
    }
  };

  const consume = async (
    consumeOptions: ConsumeOptions,
    handle: (delivery: Delivery) => Promise<void>,
  ): Promise<Subscription> => {
    if (closed) throw new Error('The in-process transport is closed');
    const { prefetch, retryDelaysMs } = consumeOptions;
    if (!Number.isInteger(prefetch) || prefetch < 1) throw new Error('prefetch must be a positive integer');
    const queue = `lessor.${consumeOptions.consumer}`;
    await bindQueue(queue, consumeOptions.types);

    startListening();
    const state = queueState(queue);
    const wakeup = new Wakeup();
    state.wakeups.add(wakeup);
    const inflight = new Set<Promise<void>>();
    const log = logger.child({ queue });
    let closing = false;

    const fetchDue = async (limit: number): Promise<MessageRow[]> => {
      const { rows } = await sql<MessageRow>`
        update ${messages} as m set deliveries = m.deliveries + 1, claimed_by = ${claimer},
          claimed_until = now() + ${claimLeaseMs}::integer * interval '1 millisecond'
        from (
          select id from ${messages}
          where queue = ${queue} and not_before <= now()
            and (claimed_until is null or claimed_until <= now() or claimed_by = ${claimer})
            and id <> all(string_to_array(${[...state.outstanding].join(',')}, ',')::bigint[])
          order by id
          limit ${limit}
          for update skip locked
        ) as due
        where m.id = due.id
        returning m.id, m.envelope, m.attempt, m.deliveries`.execute(db);
      // UPDATE … RETURNING promises no order.
      return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    };

    const deliver = (row: MessageRow) => {
      state.outstanding.add(row.id);
      const delivery = new InProcessDelivery(row, retryDelaysMs, {
        ack: () => acks.add(row.id),
        retry: async (delayMs, reason) => {
          await sql`
            update ${messages}
            set attempt = attempt + 1, deliveries = 0, last_error = ${reason.slice(0, 2000)},
              claimed_by = null, claimed_until = null,
              not_before = now() + ${delayMs}::integer * interval '1 millisecond'
            where id = ${row.id}::bigint`.execute(db);
          // Wake the queue when the delay is over instead of waiting for the next poll.
          setTimeout(() => signal(queue), delayMs + 1).unref();
        },
      });
      const done = (async () => {
        try {
          await handle(delivery);
        } catch (error) {
          log.error(
            { err: error, messageId: row.id },
            'the handler of a delivery failed without settling it',
          );
        }
        await delivery.settling;
        if (!delivery.settled) {
          log.warn(
            { messageId: row.id },
            `delivery left unsettled; offered again in ${UNSETTLED_RETRY_MS} ms`,
          );
          await sql`
            update ${messages} set not_before = now() + ${UNSETTLED_RETRY_MS}::integer * interval '1 millisecond',
              claimed_by = null, claimed_until = null
            where id = ${row.id}::bigint`
            .execute(db)
            .catch((error: unknown) => log.error({ err: error }, 'could not delay an unsettled delivery'));
        }
      })().finally(() => {
        state.outstanding.delete(row.id);
        inflight.delete(done);
        wakeup.wake();
      });
      inflight.add(done);
    };

    const loop = (async () => {
      while (!closing) {
        const capacity = prefetch - inflight.size;
        let fetched = 0;
        if (capacity > 0) {
          try {
            const rows = await fetchDue(capacity);
            // Rows fetched while closing stay in the table, unsettled and unclaimed: the next consumer gets them.
            if (closing) {
              if (rows.length > 0)
                await sql`update ${messages} set claimed_by = null, claimed_until = null
                  where id = any(string_to_array(${rows.map((row) => row.id).join(',')}, ',')::bigint[])`
                  .execute(db)
                  .catch(() => {});
              break;
            }
            rows.forEach(deliver);
            fetched = rows.length;
          } catch (error) {
            log.error({ err: error }, 'could not read the queue');
          }
        }
        if (fetched > 0) await yieldToEventLoop();
        // A full fetch means more may be due: fetch again at once (a full window waits for a settlement).
        if (capacity > 0 && fetched === capacity) continue;
        await wakeup.wait(pollIntervalMs);
      }
    })();

    const subscription: Subscription = {
      close: async () => {
        if (closing) return;
        closing = true;
        wakeup.wake();
        await loop;
        while (inflight.size > 0) await Promise.all([...inflight]);
        state.wakeups.delete(wakeup);
        subscriptions.delete(subscription);
        log.debug('in-process consumer closed');
      },
    };
    subscriptions.add(subscription);
    log.debug({ types: consumeOptions.types, prefetch }, 'in-process consumer started');
    return subscription;
  };

  return {
    publish,
    consume,
    bind: (consumer, types) => bindQueue(`lessor.${consumer}`, types),
    async queueDepth(consumer) {
      const queue = `lessor.${consumer}`;
      // As RabbitMQ's ready count: due and not handed out (by this process, or claimed by another).
      const outstanding = [...(queues.get(queue)?.outstanding ?? [])];
      const { rows } = await sql<{ n: string | number }>`
        select count(*) as n from ${messages}
        where queue = ${queue} and not_before <= now()
          and (claimed_until is null or claimed_until <= now() or claimed_by = ${claimer})
          and id <> all(string_to_array(${outstanding.join(',')}, ',')::bigint[])`.execute(db);
      return Number(rows[0]?.n ?? 0);
    },
    async close() {
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      await Promise.allSettled([...publishing]);
      await (await listening)?.close().catch(() => {});
    },
  };
}

/** One delivery: settled once, by ack or by a retry that was granted. */
class InProcessDelivery implements Delivery {
  readonly event: EventEnvelope;
  readonly attempt: number;
  readonly redelivered: boolean;
  /** True once the settlement is committed. */
  settled = false;
  /** The settlement in progress, if any (never rejects). */
  settling: Promise<void> = Promise.resolve();
  #busy = false;

  constructor(
    row: MessageRow,
    private readonly retryDelaysMs: readonly number[],
    private readonly store: {
      ack(): Promise<void>;
      retry(delayMs: number, reason: string): Promise<void>;
    },
  ) {
    this.event = row.envelope;
    this.attempt = row.attempt;
    // Handed out before and never settled: the previous consumer stopped or crashed while it was in flight.
    this.redelivered = row.deliveries > 1;
  }

  async ack(): Promise<void> {
    await this.#settle(() => this.store.ack());
  }

  async retry(reason: string): Promise<boolean> {
    if (this.settled || this.#busy) throw new Error('This delivery is already settled');
    const delayMs = this.retryDelaysMs[this.attempt - 1];
    if (delayMs === undefined) return false;
    await this.#settle(() => this.store.retry(delayMs, reason));
    return true;
  }

  #settle(action: () => Promise<void>): Promise<void> {
    if (this.settled || this.#busy) return Promise.reject(new Error('This delivery is already settled'));
    this.#busy = true;
    const result = action()
      .then(() => {
        this.settled = true;
      })
      .finally(() => {
        this.#busy = false;
      });
    this.settling = result.catch(() => undefined);
    return result.catch((error: unknown) => {
      throw new Error(`Could not settle the delivery: ${errorMessage(error)}`, { cause: error });
    });
  }
}

/** Collects calls made in one turn of the event loop and runs them as one batch, each caller awaiting it. */
class Batcher {
  #waiting: { id: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;

  constructor(private readonly run: (ids: readonly string[]) => Promise<void>) {}

  add(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ id, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const batch = this.#waiting.splice(0);
    try {
      await this.run(batch.map((entry) => entry.id));
      for (const entry of batch) entry.resolve();
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
