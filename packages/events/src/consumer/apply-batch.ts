import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { BatchedEvent } from './consumer.types.ts';
import type { ConsumerMetrics } from './consumer-metrics.ts';
import { batchable, freshLeft, inAbortedTransaction } from './batch-paths.ts';
import type { InboxState } from './batch-paths.ts';
import { deleteInboxRow, insertInboxRow, insertInboxRows } from './inbox.ts';
import type { ApplyOnce } from './inbox.ts';
import { contextOf, isFailure } from './job.ts';
import type { InboxJob, Verdict } from './job.ts';
import type { Subscribed } from './subscriptions.ts';

// Batch application (ADR 23): the events of a batch in ONE transaction, their handlers in one savepoint, falling
// back to a savepoint each, and to a transaction each when the transaction itself fails.

// One name for every event's savepoint: an event's is released before the next one is set.
const SAVEPOINT = 'lessor_inbox_event';

// Handlers that may throw on a batch's one-savepoint path before the rest goes one savepoint each: each failure
// runs the events before it again, so a batch full of failures must not cost a pass per failure.
const OPTIMISTIC_FAILURES = 2;

/** What applying a batch needs of the consumer. */
export interface BatchDeps<DB> {
  db: Kysely<DB>;
  /** Every subscription in subscription order: the batch handlers run in that order. */
  subscriptions: readonly Subscribed<DB>[];
  /** The inbox transaction of one event: a batch of one, and the fallback when a batch's transaction fails. */
  applyOnce: ApplyOnce<DB>;
  logger: Logger;
  metrics: Pick<ConsumerMetrics, 'handled' | 'batchFellBack'>;
}

/**
 * Several deliveries in ONE transaction. The inbox rows of all of them go in first, in one statement. The
 * fresh events that batch handlers can take go to them at once, in one savepoint; if one throws, that
 * savepoint is rolled back and those events join the per-event path. On it, the fresh events' handlers run
 * one after another in one savepoint; a handler that throws rolls back that savepoint, its event's inbox row is
 * deleted again (so neither its effect nor its row commits) and the others run again. After a second failure,
 * a failure that is the transaction's, or a batch handler that threw, the events left run one savepoint each.
 * The others commit with one commit. A copy of an event already recorded (before this batch, or earlier in it)
 * is a duplicate and runs nothing. Never rejects: when the transaction itself fails, nothing of it committed (or,
 * for a failed commit, the inbox tells), and its events are handled again one transaction each.
 * Returns each job's verdict, in order, and records each one's handling time.
 */
export async function applyBatch<DB>(jobs: readonly InboxJob<DB>[], deps: BatchDeps<DB>): Promise<Verdict[]> {
  if (jobs.length === 1) return [await applyAlone(jobs[0]!, deps.applyOnce)];
  const verdicts: (Verdict | undefined)[] = jobs.map(() => undefined);
  const spent = jobs.map(() => 0n);
  const started = process.hrtime.bigint();
  try {
    await deps.db
      .transaction()
      .execute((trx) => new BatchTransaction(jobs, trx, { verdicts, spent }, deps).run());
  } catch (error) {
    // Not one handler's failure (those roll back to their savepoint): a statement of the batch or its commit
    // failed. Whatever the cause, one transaction per event isolates it and behaves as without batching.
    deps.logger.warn(
      { err: error, eventIds: jobs.map((job) => job.event.id) },
      'the transaction of a batch of events failed; handling them one transaction each',
    );
    const results: Verdict[] = [];
    for (const [index, job] of jobs.entries()) {
      const verdict = verdicts[index];
      if (isFailure(verdict)) {
        deps.metrics.handled(job.event.type, spent[index]!);
        results.push(verdict);
      } else {
        results.push(await applyAlone(job, deps.applyOnce));
      }
    }
    return results;
  }
  // Each event's own part, plus what the batch spent around them (begin, inbox rows, commit).
  const overhead = process.hrtime.bigint() - started - spent.reduce((sum, part) => sum + part, 0n);
  for (const [index, job] of jobs.entries()) deps.metrics.handled(job.event.type, spent[index]! + overhead);
  return verdicts as Verdict[];
}

/** One event in its own inbox transaction (no savepoint). */
async function applyAlone<DB>(job: InboxJob<DB>, applyOnce: ApplyOnce<DB>): Promise<Verdict> {
  try {
    return await applyOnce(job.event, job.handlers, job.attempt, job.log);
  } catch (error) {
    return { failure: error };
  }
}

/** What a batch's transaction leaves behind for after it, even when it fails: verdicts and time per job. */
interface BatchRecord {
  verdicts: (Verdict | undefined)[];
  /** Each job's own time in the transaction, in nanoseconds. */
  spent: bigint[];
}

/** The inside of one batch transaction: its paths in order, the state of each event's inbox row, the savepoint. */
class BatchTransaction<DB> {
  readonly #jobs: readonly InboxJob<DB>[];
  readonly #trx: Kysely<DB>;
  readonly #raw: Kysely<DB>;
  readonly #record: BatchRecord;
  readonly #deps: BatchDeps<DB>;
  readonly #inbox = new Map<string, InboxState>();
  #savepointSet = false;

  constructor(jobs: readonly InboxJob<DB>[], trx: Kysely<DB>, record: BatchRecord, deps: BatchDeps<DB>) {
    this.#jobs = jobs;
    this.#trx = trx;
    this.#raw = trx.withoutPlugins();
    this.#record = record;
    this.#deps = deps;
  }

  async run(): Promise<void> {
    const recorded = await insertInboxRows(
      this.#raw,
      this.#jobs.map((job) => job.event),
    );
    for (const [id, inserted] of recorded) this.#inbox.set(id, inserted ? 'claimed' : 'done');
    const batchHandlerFailed = await this.#runBatchHandlers();
    if (!batchHandlerFailed) await this.#runInOneSavepoint();
    await this.#runOneSavepointEach();
  }

  /**
   * The optimistic path for batch handlers: the fresh events whose every subscription has one, in one savepoint.
   * True when a batch handler threw: the group is then undone and goes the per-event way.
   */
  async #runBatchHandlers(): Promise<boolean> {
    const group = batchable(this.#jobs, this.#inbox);
    if (group.length === 0) return false;
    const from = process.hrtime.bigint();
    await this.#setSavepoint();
    try {
      await this.#handleTogether(group);
      for (const index of group) this.#applied(index);
      return false;
    } catch (error) {
      // Undone, inbox rows excepted (they went in before the savepoint): the per-event path handles each event of
      // the group in a savepoint of its own, so the one that throws is found and no other fails.
      await this.#rollback();
      this.#deps.metrics.batchFellBack();
      this.#deps.logger.warn(
        { err: error, eventIds: group.map((index) => this.#jobs[index]!.event.id) },
        'a batch handler failed; handling its events one savepoint each',
      );
      return true;
    } finally {
      // The group's time, shared out evenly: the histogram keeps one observation per event.
      const share = (process.hrtime.bigint() - from) / BigInt(group.length);
      for (const index of group) this.#record.spent[index] = share;
    }
  }

  /** Each subscription's batch handler with the events of the group it matches, in subscription order. */
  async #handleTogether(group: readonly number[]): Promise<void> {
    for (const entry of this.#deps.subscriptions) {
      if (!entry.handleBatch) continue;
      const events: BatchedEvent[] = [];
      for (const index of group) {
        const job = this.#jobs[index]!;
        if (job.subscribed.includes(entry))
          events.push({
            event: job.event,
            attempt: job.attempt,
            get log() {
              return job.log;
            },
          });
      }
      if (events.length > 0) {
        await entry.handleBatch(events, {
          trx: this.#trx,
          log: this.#deps.logger.child({ batchSize: events.length }),
        });
      }
    }
  }

  /**
   * The optimistic per-event path: the fresh events left, each one's handlers in turn, in ONE savepoint instead of
   * one each (a round trip per event saved). When a handler throws, the savepoint is rolled back and that event
   * fails as it would have in a savepoint of its own (its inbox row out, retried or parked); the others run again,
   * in a new savepoint. A failure that is the transaction's (a handler before swallowed a database error) or a
   * second failure leaves the rest to the one-savepoint-each path, where the event at fault is found.
   */
  async #runInOneSavepoint(): Promise<void> {
    const { verdicts, spent } = this.#record;
    let rest = freshLeft(this.#jobs, this.#inbox, verdicts);
    for (let failures = 0; rest.length > 1 && failures < OPTIMISTIC_FAILURES;) {
      const from = process.hrtime.bigint();
      await this.#setSavepoint();
      let current: number | undefined;
      try {
        for (const index of rest) {
          current = index;
          await this.#runHandlers(index);
          this.#applied(index);
        }
        break;
      } catch (error) {
        failures += 1;
        // Undone, inbox rows excepted (they went in before the savepoint).
        await this.#rollback();
        for (const index of rest) {
          verdicts[index] = undefined;
          this.#inbox.set(this.#idOf(index), 'claimed');
        }
        if (current === undefined || inAbortedTransaction(error)) break;
        await deleteInboxRow(this.#raw, this.#jobs[current]!.event.id);
        this.#inbox.set(this.#idOf(current), 'absent');
        verdicts[current] = { failure: error };
        rest = rest.filter((index) => index !== current);
      } finally {
        const share = (process.hrtime.bigint() - from) / BigInt(rest.length || 1);
        for (const index of rest) spent[index]! += share;
      }
    }
  }

  /** Every event still without a verdict, in arrival order, in a savepoint of its own. */
  async #runOneSavepointEach(): Promise<void> {
    for (const index of this.#jobs.keys()) {
      if (this.#record.verdicts[index] !== undefined) continue; // applied by its batch handler or in one savepoint
      if (this.#inbox.get(this.#idOf(index)) === 'done') {
        this.#record.verdicts[index] = 'duplicate';
        continue;
      }
      const from = process.hrtime.bigint();
      try {
        await this.#runInOwnSavepoint(index);
      } finally {
        this.#record.spent[index]! += process.hrtime.bigint() - from;
      }
    }
  }

  async #runInOwnSavepoint(index: number): Promise<void> {
    const job = this.#jobs[index]!;
    const before = this.#inbox.get(this.#idOf(index));
    // The previous event's savepoint is released in the same round trip as this one is set.
    await this.#setSavepoint();
    try {
      // An earlier copy of this event failed in this batch: this copy records it itself.
      if (before === 'absent' && !(await insertInboxRow(this.#raw, job.event))) {
        this.#inbox.set(this.#idOf(index), 'done');
        this.#record.verdicts[index] = 'duplicate';
        return;
      }
      await this.#runHandlers(index);
      this.#applied(index);
    } catch (error) {
      await this.#rollback();
      // Its row went in before the savepoint: out with it, so it commits no more than the effect.
      if (before === 'claimed') await deleteInboxRow(this.#raw, job.event.id);
      this.#inbox.set(this.#idOf(index), 'absent');
      this.#record.verdicts[index] = { failure: error };
    }
  }

  async #runHandlers(index: number): Promise<void> {
    const job = this.#jobs[index]!;
    for (const handler of job.handlers) await handler(job.event, contextOf(job, this.#trx));
  }

  #applied(index: number): void {
    this.#inbox.set(this.#idOf(index), 'done');
    this.#record.verdicts[index] = 'applied';
  }

  #idOf(index: number): string {
    return this.#jobs[index]!.event.id.toLowerCase();
  }

  /** Sets the savepoint; a savepoint set before is released in the same round trip. */
  async #setSavepoint(): Promise<void> {
    await sql
      .raw(
        this.#savepointSet
          ? `release savepoint ${SAVEPOINT}; savepoint ${SAVEPOINT}`
          : `savepoint ${SAVEPOINT}`,
      )
      .execute(this.#raw);
    this.#savepointSet = true;
  }

  async #rollback(): Promise<void> {
    await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(this.#raw);
  }
}
