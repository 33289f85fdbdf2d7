import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Wakeup, counterIn, yieldToEventLoop } from './internal.ts';

const DAY_MS = 86_400_000;

/**
 * How far the consumer process's clock (which judges a delivery stale) and its database's clock (which the
 * retention job deletes by) may disagree: a delivery is judged stale this much before its id may be deleted.
 */
export const INBOX_CLOCK_MARGIN_MS = 3_600_000;

/** The inbox retention of one consumer, as configured. */
export interface InboxRetentionSettings {
  /** Ids of events older than this (by the event's `time`) are deleted. */
  retentionMs: number;
  intervalMs: number;
  batchSize: number;
}

/**
 * Reads and checks the retention options: 14 days by default, at least one day (an id must outlive every
 * redelivery of normal operation by far, and the stale check needs room for the clock margin).
 */
export function inboxRetentionSettings(options: {
  inboxRetentionMs?: number;
  inboxPurgeIntervalMs?: number;
  inboxPurgeBatchSize?: number;
}): InboxRetentionSettings {
  const retentionMs = options.inboxRetentionMs ?? 14 * DAY_MS;
  const intervalMs = options.inboxPurgeIntervalMs ?? 3_600_000;
  const batchSize = options.inboxPurgeBatchSize ?? 1000;
  if (!Number.isFinite(retentionMs) || retentionMs < DAY_MS) {
    throw new Error(`inboxRetentionMs must be at least one day (${DAY_MS}), got ${retentionMs}`);
  }
  if (!Number.isFinite(intervalMs) || intervalMs < 1) {
    throw new Error(`inboxPurgeIntervalMs must be a positive number, got ${intervalMs}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`inboxPurgeBatchSize must be a positive integer, got ${batchSize}`);
  }
  return { retentionMs, intervalMs, batchSize };
}

/** The job that keeps a consumer's inbox from growing without bound. */
export interface InboxRetention {
  /** Runs `purge` every intervalMs (the first within a minute) until `stop`; no-op when running. */
  start(): void;
  /** Stops the job; a sweep in progress ends after its current statement. */
  stop(): Promise<void>;
  /** Deletes, batch by batch, the inbox rows whose event is older than the retention; returns how many. */
  purge(): Promise<number>;
}

/**
 * Creates the inbox retention job of a consumer. Each sweep deletes the rows whose `event_time` is older than
 * `retentionMs`, `batchSize` rows per statement (`for update skip locked`, so replicas sweeping at once do
 * not wait on each other) until fewer than a batch are left. Deleting by the event's own time is what makes it
 * safe together with the consumer's stale check: see the README, "Inbox retention".
 */
export function createInboxRetention<DB>(options: {
  db: Kysely<DB>;
  settings: InboxRetentionSettings;
  logger: Logger;
  metrics?: Registry | undefined;
}): InboxRetention {
  const { db, logger } = options;
  const { retentionMs, intervalMs, batchSize } = options.settings;
  const purged = options.metrics
    ? counterIn(
        options.metrics,
        'lessor_inbox_purged_total',
        'Inbox rows deleted by the retention job (events older than the retention).',
      )
    : undefined;
  const wakeup = new Wakeup();
  let loop: Promise<void> | undefined;
  let stopping = false;

  const deleteBatch = async (): Promise<number> => {
    const result = await sql`
      delete from inbox where event_id in (
        select event_id from inbox
        where event_time < now() - ${Math.floor(retentionMs)}::bigint * interval '1 millisecond'
        order by event_time
        limit ${batchSize}
        for update skip locked)`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  };

  const purge = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const deleted = await deleteBatch();
      total += deleted;
      purged?.inc(deleted);
      if (deleted < batchSize || stopping) break;
      // A big first sweep must not keep the consumer's own transactions waiting for the pool.
      await yieldToEventLoop();
    }
    return total;
  };

  const run = async (): Promise<void> => {
    // Soon after start, not an interval later: a service restarted more often than intervalMs still purges.
    let delay = Math.min(intervalMs, 60_000);
    while (!stopping) {
      await wakeup.wait(delay);
      if (stopping) break;
      delay = intervalMs;
      try {
        const deleted = await purge();
        if (deleted > 0) logger.info({ deleted, retentionMs }, 'old inbox rows deleted');
      } catch (error) {
        logger.warn({ err: error }, 'could not delete old inbox rows; trying again at the next interval');
      }
    }
  };

  return {
    start() {
      if (loop) return;
      stopping = false;
      loop = run();
    },
    async stop() {
      if (!loop) return;
      stopping = true;
      wakeup.wake();
      await loop;
      loop = undefined;
    },
    purge,
  };
}
