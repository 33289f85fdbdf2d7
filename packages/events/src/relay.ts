import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from './envelope.ts';
import {
  Wakeup,
  collectedGaugeIn,
  counterIn,
  errorMessage,
  silentLogger,
  yieldToEventLoop,
} from './internal.ts';
import type { Transport } from './transport.ts';

/** The outbox's publisher: claims pending rows, publishes them through the transport, marks them published. */
export interface Relay {
  /** Starts polling (no-op when running). State lives in the table only, so a restart resumes where it was. */
  start(): void;
  /** Polls now instead of at the next interval (call it after a transaction that wrote events committed). */
  wake(): void;
  /** Stops after the batch in flight is published and marked (or released); resolves when stopped. */
  stop(): Promise<void>;
  /** Rows not yet published and the age of the oldest, in seconds (0 when none). */
  backlog(): Promise<{ pending: number; oldestAgeSeconds: number }>;
  /** Deletes published rows older than `olderThanMs` (a periodic job); returns how many. */
  purgePublished(options: { olderThanMs: number }): Promise<number>;
}

export interface RelayOptions<DB> {
  /** The service's database handle (its schema holds `outbox`). */
  db: Kysely<DB>;
  transport: Transport;
  /** Rows claimed and published at once (default 500: the transport's confirm window does the rest). */
  batchSize?: number;
  /** How often to look for rows when nobody calls `wake()` (default 250 ms). */
  pollIntervalMs?: number;
  /**
   * How long a claim holds without a heartbeat (default 30 s). A relay that dies between publishing and marking
   * leaves its claim to expire, then any relay publishes the rows again. While a publish runs, the relay extends
   * its claim every `claimTtlMs / 3`, so a slow broker does not let a second relay publish the same rows.
   */
  claimTtlMs?: number;
  /**
   * How long the heartbeat keeps a claim alive while one publish runs (default 5 min). A publish still running
   * then is taken for hung (the transport's own timeouts are far shorter): the claim is left to expire, so
   * another relay can publish the rows (copies the inboxes absorb, with no order across the two relays).
   */
  maxPublishMs?: number;
  /** The longest wait between two attempts after publishing failed (default 10 s; it starts at pollIntervalMs). */
  maxBackoffMs?: number;
  logger?: Logger;
  /** The service's registry; the relay adds its series to it. */
  metrics?: Registry;
}

interface ClaimedRow {
  id: string;
  seq: string;
  envelope: EventEnvelope;
}

/**
 * Creates the relay of a service's outbox. Each round: (a) claims a batch in a short transaction — serialised
 * by an advisory lock, refused while another relay holds a live claim (one active relay per outbox keeps the
 * order per subject), rows in `seq` order; (b) publishes it with no transaction open (no session held while the
 * in-process transport writes to the same database, or a broker takes its time), extending the claim
 * every claimTtlMs / 3 while the publish runs (up to maxPublishMs); (c) marks the rows published where still
 * claimed by this relay. A failed publish records the error, releases the claim and backs off (doubling from
 * pollIntervalMs up to maxBackoffMs).
 */
export function createRelay<DB>(options: RelayOptions<DB>): Relay {
  const db = options.db.withoutPlugins();
  const { transport } = options;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const claimTtlMs = options.claimTtlMs ?? 30_000;
  const maxPublishMs = options.maxPublishMs ?? 300_000;
  // Three beats per TTL: a claim survives two lost or late heartbeats (a busy database, a GC pause).
  const heartbeatMs = Math.max(1, Math.floor(claimTtlMs / 3));
  const maxBackoffMs = Math.max(options.maxBackoffMs ?? 10_000, pollIntervalMs);
  const logger = options.logger ?? silentLogger();
  // A new id per relay object: a claim is "mine" only for this object, so a restarted process never mistakes
  // its predecessor's claim (whose publish may or may not have happened) for its own.
  const relayId = uuidv7();
  const wakeup = new Wakeup();
  let loop: Promise<void> | undefined;
  let stopping = false;

  const published = options.metrics
    ? counterIn(
        options.metrics,
        'lessor_events_published_total',
        'Events the relay published (confirmed by the transport).',
      )
    : undefined;
  const failures = options.metrics
    ? counterIn(
        options.metrics,
        'lessor_outbox_publish_failures_total',
        'Batches the transport refused or failed to confirm.',
      )
    : undefined;

  const backlog = async (): Promise<{ pending: number; oldestAgeSeconds: number }> => {
    const { rows } = await sql<{ pending: string | number; age: string | number | null }>`
      select count(*) as pending, extract(epoch from now() - min(created_at)) as age
      from outbox where published_at is null`.execute(db);
    const row = rows[0];
    return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.age ?? 0)) };
  };

  if (options.metrics) {
    const onError = (error: unknown) =>
      logger.warn({ err: error }, 'could not read the outbox backlog for metrics');
    collectedGaugeIn(
      options.metrics,
      'lessor_outbox_pending',
      'Events written to the outbox and not yet published.',
      async () => (await backlog()).pending,
      onError,
    );
    collectedGaugeIn(
      options.metrics,
      'lessor_outbox_oldest_pending_age_seconds',
      'Age of the oldest event not yet published (0 when none).',
      async () => (await backlog()).oldestAgeSeconds,
      onError,
    );
  }

  const claim = async (): Promise<ClaimedRow[]> =>
    db.transaction().execute(async (trx) => {
      // Serialises claims of all relays on this outbox. The claim below is a separate statement so that its
      // snapshot is taken after the lock: it sees the claims the previous holder committed.
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.outbox.relay'))`.execute(trx);
      const { rows } = await sql<ClaimedRow>`
        with busy as (
          select 1 from outbox
          where published_at is null and claimed_by is not null and claimed_by <> ${relayId}
            and claimed_until > now()
          limit 1
        ), picked as (
          select id from outbox
          where published_at is null and not exists (select 1 from busy)
          order by seq
          limit ${batchSize}
          for update skip locked
        )
        update outbox set claimed_by = ${relayId}, claimed_until = now() + ${claimTtlMs}::integer * interval '1 millisecond'
        from picked where outbox.id = picked.id
        returning outbox.id, outbox.seq, outbox.envelope`.execute(trx);
      // UPDATE … RETURNING promises no order.
      return rows.sort((a, b) => compareSeq(a.seq, b.seq));
    });

  const markPublished = async (ids: readonly string[]): Promise<number> => {
    const result = await sql`
      update outbox set published_at = now(), claimed_until = null
      where id = any(${uuidArray(ids)}) and claimed_by = ${relayId} and published_at is null`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  };

  /** Pushes the claim's expiry to now + claimTtlMs; returns the rows still claimed by this relay. */
  const extendClaim = async (ids: readonly string[]): Promise<number> => {
    const result = await sql`
      update outbox set claimed_until = now() + ${claimTtlMs}::integer * interval '1 millisecond'
      where id = any(${uuidArray(ids)}) and claimed_by = ${relayId} and published_at is null`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  };

  /**
   * Publishes the batch while a heartbeat extends its claim, so a publish slower than claimTtlMs (a slow or
   * flow-controlled broker) does not let a second relay take the rows over and publish them again. The
   * heartbeat stops at maxPublishMs: a publish that still runs is taken for hung and its claim may expire.
   */
  const publishWithHeartbeat = async (batch: readonly ClaimedRow[]): Promise<void> => {
    const ids = batch.map((row) => row.id);
    const started = Date.now();
    let beat: Promise<void> = Promise.resolve();
    let lost = false;
    const timer = setInterval(() => {
      if (Date.now() - started + heartbeatMs > maxPublishMs) {
        clearInterval(timer);
        logger.warn(
          { events: batch.length, firstSeq: batch[0]?.seq, maxPublishMs },
          'publishing a batch takes too long; its claim is no longer extended and may be taken over',
        );
        return;
      }
      // One beat at a time: a beat that waits for the database is not overtaken by the next.
      beat = beat.then(async () => {
        try {
          const held = await extendClaim(ids);
          if (held < ids.length && !lost) {
            lost = true;
            logger.warn(
              { events: ids.length, held },
              'the claim expired before the heartbeat extended it; another relay may publish these rows too',
            );
          }
        } catch (error) {
          logger.warn({ err: error }, 'could not extend the claim of the batch being published');
        }
      });
    }, heartbeatMs);
    try {
      await transport.publish(batch.map((row) => row.envelope));
    } finally {
      clearInterval(timer);
      // No beat may run after the batch is marked or released (nor after stop() returned).
      await beat;
    }
  };

  const release = async (ids: readonly string[], error: unknown): Promise<void> => {
    await sql`
      update outbox set claimed_by = null, claimed_until = null,
        publish_attempts = publish_attempts + 1, last_error = ${errorMessage(error).slice(0, 2000)}
      where id = any(${uuidArray(ids)}) and claimed_by = ${relayId} and published_at is null`.execute(db);
  };

  const run = async (): Promise<void> => {
    let failuresInARow = 0;
    while (!stopping) {
      let batch: ClaimedRow[];
      try {
        batch = await claim();
      } catch (error) {
        logger.error({ err: error }, 'could not claim outbox rows');
        failuresInARow += 1;
        await backOff(failuresInARow);
        continue;
      }
      if (batch.length === 0) {
        await wakeup.wait(pollIntervalMs);
        continue;
      }
      const ids = batch.map((row) => row.id);
      try {
        await publishWithHeartbeat(batch);
      } catch (error) {
        failuresInARow += 1;
        failures?.inc();
        logger.warn(
          { err: error, events: batch.length, firstSeq: batch[0]?.seq, attemptInARow: failuresInARow },
          'publishing outbox events failed; they stay pending',
        );
        await release(ids, error).catch((releaseError: unknown) =>
          // The claim then simply expires: the rows are published again after claimTtlMs.
          logger.error({ err: releaseError }, 'could not release the claim after a failed publish'),
        );
        await backOff(failuresInARow);
        continue;
      }
      failuresInARow = 0;
      published?.inc(batch.length);
      try {
        const marked = await markPublished(ids);
        if (marked < ids.length) {
          logger.warn(
            { events: ids.length, marked },
            'the claim expired while publishing and another relay took the rows over: they are published twice',
          );
        }
      } catch (error) {
        // Published but not marked: the claim expires and the rows go out again; the inboxes absorb the copy.
        logger.error({ err: error }, 'could not mark published outbox rows; they will be published again');
        await backOff(1);
      }
      // More may be waiting: go on at once, after letting the rest of the process breathe.
      await yieldToEventLoop();
    }
  };

  const backOff = async (failuresInARow: number): Promise<void> => {
    // wake() is called after every committed request: it must not cut a back-off short, or a broker outage
    // would be hammered at the request rate.
    const delay = Math.min(maxBackoffMs, pollIntervalMs * 2 ** Math.min(failuresInARow - 1, 20));
    const until = Date.now() + delay;
    while (!stopping && Date.now() < until) {
      wakeup.clear();
      await wakeup.wait(until - Date.now());
    }
    wakeup.clear();
  };

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run().catch((error: unknown) =>
        logger.error({ err: error }, 'the outbox relay stopped unexpectedly'),
      );
      logger.debug({ relayId }, 'outbox relay started');
    },
    wake() {
      wakeup.wake();
    },
    async stop() {
      if (!loop) return;
      stopping = true;
      wakeup.wake();
      await loop;
      loop = undefined;
      logger.debug({ relayId }, 'outbox relay stopped');
    },
    backlog,
    async purgePublished({ olderThanMs }) {
      const result = await sql`
        delete from outbox
        where published_at is not null
          and published_at < now() - ${Math.max(0, Math.floor(olderThanMs))}::bigint * interval '1 millisecond'`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

function compareSeq(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// A text parameter cast in SQL, whatever the driver's array serialiser does. UUIDs hold no commas.
function uuidArray(ids: readonly string[]) {
  return sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;
}
