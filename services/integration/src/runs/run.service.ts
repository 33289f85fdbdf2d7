import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { integrationEvents } from '@lessor/event-catalog';
import { isPostgresError, kitErrors, newId, paginate, type ServiceEvents } from '@lessor/service-kit';
import type { ConnectorService } from '../connectors/connector.service.ts';
import type {
  ConnectorKind,
  IntegrationDatabase,
  RunMode,
  RunOutcome,
  RunStatus,
  RunTrigger,
} from '../database.ts';
import { integrationErrors } from '../integration.errors.ts';
import { nextFire } from './schedule.ts';
import type { RunJob, RunPage, RunRecord, SyncRun } from './run.ts';

export interface RunServiceOptions {
  log: Logger;
  /** A run whose heartbeat is older than this is taken over by any replica (its runner died). */
  staleMs: number;
  /** How often the scheduler looks for due schedules and queued runs. */
  tickMs: number;
  /** Runs this replica executes at once. */
  concurrency: number;
  /** This replica's name in `owner` (default: host, pid and a random part). */
  replicaId?: string;
  clock?: () => Date;
}

const UNIQUE_VIOLATION = '23505';
const SCHEDULER = 'system:scheduler';
const ACTIVE: RunStatus[] = ['queued', 'running'];
const COUNTER: Record<
  RunOutcome,
  'created' | 'updated' | 'unchanged' | 'conflicts' | 'duplicates' | 'errors'
> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
  conflict: 'conflicts',
  duplicate: 'duplicates',
  error: 'errors',
};

/** Thrown into a job's transaction when another replica has taken the run over: nothing of the page is kept. */
export class RunLostError extends Error {
  constructor(runId: string) {
    super(`run ${runId} was taken over by another replica`);
    this.name = 'RunLostError';
  }
}

/**
 * Sync runs: queued by "run now" or a connector's schedule, taken up by one replica, executed by the job of the
 * connector's kind page by page, each page saved with the cursor after it.
 *
 * - One run per connector: a unique partial index allows one queued or running run per connector, so two
 *   starts (two replicas, a schedule and a person) cannot both queue one.
 * - One replica per run: a replica takes a run up by a conditional update (`FOR UPDATE SKIP LOCKED`), stamps
 *   this taking (replica and a counter) as `owner` and beats a heartbeat; every write of the run is fenced by
 *   `owner`, so an execution that lost the run (it stalled, another took it over) writes nothing more.
 * - Resume: a replica that closes ends the run's job after the page under way and queues the run again with its
 *   cursor; a replica that dies leaves a stale heartbeat, and any replica takes the run over after `staleMs`,
 *   resuming from the cursor of the last page saved.
 */
export class RunService {
  readonly #jobs = new Map<ConnectorKind, RunJob>();
  readonly #executing = new Map<string, Promise<void>>();
  readonly #replica: string;
  readonly #clock: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  #tickAgain = false;
  #stopping = false;
  #takings = 0;

  constructor(
    private readonly db: Kysely<IntegrationDatabase>,
    private readonly events: ServiceEvents,
    private readonly connectors: ConnectorService,
    private readonly options: RunServiceOptions,
  ) {
    this.#replica = options.replicaId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** This replica's name, as runs' `owner` shows it. */
  get replica(): string {
    return this.#replica;
  }

  /** The job runs of connectors of this kind execute; registering again replaces it. */
  registerJob(kind: ConnectorKind, job: RunJob): void {
    this.#jobs.set(kind, job);
  }

  /** Starts the scheduler: a tick now (taking up runs a stopped replica left), then every `tickMs`. */
  start(): void {
    this.#stopping = false;
    this.kick();
    this.#timer = setInterval(() => this.kick(), this.options.tickMs);
    this.#timer.unref();
  }

  /** Stops taking up runs; the runs under way end after their page and are queued again (resumed at the next start). */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#ticking;
    await Promise.allSettled(this.#executing.values());
  }

  /** "Run now": queues a run of the connector (409 while one is queued or running) and takes it up at once. */
  async startRun(connectorId: string, mode: RunMode, actor: string): Promise<SyncRun> {
    const connector = await this.connectors.runtime(connectorId);
    if (!this.#jobs.has(connector.kind))
      throw integrationErrors.create.INTEGRATION_RUNS_NOT_SUPPORTED(
        `${connector.kind} connectors have no sync runs`,
      );
    if (!connector.enabled)
      throw integrationErrors.create.INTEGRATION_CONNECTOR_DISABLED(
        `Connector ${connector.name} is disabled`,
      );
    let run: SyncRun;
    try {
      run = await this.db.transaction().execute(async (trx) => {
        const queued = await this.#queue(trx, {
          connectorId,
          mode,
          trigger: 'manual',
          startedBy: actor,
          watermarkFrom: mode === 'incremental' ? connector.watermark : null,
        });
        return queued!;
      });
    } catch (error) {
      if (isPostgresError(error, UNIQUE_VIOLATION))
        throw integrationErrors.create.INTEGRATION_RUN_ACTIVE(
          `A run of connector ${connector.name} is under way`,
        );
      throw error;
    }
    this.kick();
    return run;
  }

  async get(id: string): Promise<SyncRun> {
    const run = await this.db.selectFrom('syncRuns').selectAll().where('id', '=', id).executeTakeFirst();
    if (!run) throw kitErrors.create.NOT_FOUND(`No run ${id}`);
    return run;
  }

  list(query: { connectorId?: string; status?: RunStatus; limit: number; cursor?: string }) {
    let runs = this.db.selectFrom('syncRuns').selectAll();
    if (query.connectorId) runs = runs.where('connectorId', '=', query.connectorId);
    if (query.status) runs = runs.where('status', '=', query.status);
    return paginate(runs, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      sort: { column: 'queuedAt', direction: 'desc' },
    });
  }

  /** The report of a run: each record read, its outcome and reason, in the order read. */
  async records(runId: string, query: { outcome?: RunOutcome; limit: number; cursor?: string }) {
    await this.get(runId);
    let records = this.db.selectFrom('runRecords').selectAll().where('runId', '=', runId);
    if (query.outcome) records = records.where('outcome', '=', query.outcome);
    return paginate<IntegrationDatabase, 'runRecords', RunRecord>(records, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
      sort: { column: 'seq', direction: 'asc' },
      idColumn: 'seq',
    });
  }

  /** A tick soon: fires due schedules, takes up queued and abandoned runs. Ticks never overlap. */
  kick(): void {
    if (this.#stopping) return;
    if (this.#ticking) {
      this.#tickAgain = true;
      return;
    }
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'the run scheduler’s tick failed'))
      .finally(() => {
        this.#ticking = undefined;
        if (this.#tickAgain) {
          this.#tickAgain = false;
          this.kick();
        }
      });
  }

  async #tick(): Promise<void> {
    await this.#fireSchedules();
    while (!this.#stopping && this.#executing.size < this.options.concurrency) {
      const run = await this.#takeUp();
      if (!run) return;
      const execution = this.#execute(run).finally(() => {
        this.#executing.delete(run.id);
        this.kick();
      });
      this.#executing.set(run.id, execution);
    }
  }

  /** Queues a run of each connector whose schedule is due, once across replicas (the one that moves `nextRunAt`). */
  async #fireSchedules(): Promise<void> {
    const now = this.#clock();
    const due = await this.db
      .selectFrom('connectors')
      .select(['id', 'kind', 'schedule', 'nextRunAt', 'watermark'])
      .where('deletedAt', 'is', null)
      .where('enabled', '=', true)
      .where('nextRunAt', '<=', now)
      .execute();
    for (const connector of due) {
      await this.db.transaction().execute(async (trx) => {
        const moved = await trx
          .updateTable('connectors')
          .set({ nextRunAt: nextFire(connector.schedule, now) })
          .where('id', '=', connector.id)
          .where('nextRunAt', '=', connector.nextRunAt)
          .executeTakeFirst();
        if (moved.numUpdatedRows === 0n || !this.#jobs.has(connector.kind)) return;
        // A run still under way: this firing is skipped (the schedule fires again at its next time).
        await this.#queue(trx, {
          connectorId: connector.id,
          mode: 'incremental',
          trigger: 'schedule',
          startedBy: SCHEDULER,
          watermarkFrom: connector.watermark,
        });
      });
    }
  }

  async #queue(
    trx: Transaction<IntegrationDatabase>,
    run: {
      connectorId: string;
      mode: RunMode;
      trigger: RunTrigger;
      startedBy: string;
      watermarkFrom: string | null;
    },
  ): Promise<SyncRun | undefined> {
    const values = {
      id: newId(),
      ...run,
      status: 'queued' as const,
      startedAt: null,
      heartbeatAt: null,
      finishedAt: null,
      owner: null,
      cursor: null,
      watermarkTo: null,
      total: null,
      error: null,
    };
    const insert = trx.insertInto('syncRuns').values(values);
    const queued =
      run.trigger === 'schedule'
        ? await insert
            .onConflict((conflict) =>
              conflict.column('connectorId').where('status', 'in', ACTIVE).doNothing(),
            )
            .returningAll()
            .executeTakeFirst()
        : await insert.returningAll().executeTakeFirstOrThrow();
    if (queued)
      await trx
        .updateTable('connectors')
        .set({ lastRunId: queued.id, lastRunStatus: 'queued', lastRunFinishedAt: null })
        .where('id', '=', run.connectorId)
        .execute();
    return queued;
  }

  /** Takes up the oldest run that is queued, or running with a stale heartbeat (its replica died). */
  async #takeUp(): Promise<SyncRun | undefined> {
    // The owner names this taking, not only this replica: a replica that retakes its own stalled run fences out
    // its first execution too.
    const owner = `${this.#replica}/${++this.#takings}`;
    const executing = [...this.#executing.keys()];
    const staleBefore = sql<Date>`now() - make_interval(secs => ${this.options.staleMs / 1000})`;
    return this.db
      .updateTable('syncRuns')
      .set((eb) => ({
        status: 'running',
        owner,
        heartbeatAt: sql<Date>`now()`,
        startedAt: sql<Date>`coalesce(started_at, now())`,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('syncRuns as candidate')
          .select('candidate.id')
          .where((where) =>
            where.or([
              where('candidate.status', '=', 'queued'),
              where.and([
                where('candidate.status', '=', 'running'),
                where('candidate.heartbeatAt', '<', staleBefore),
              ]),
            ]),
          )
          .$if(executing.length > 0, (query) => query.where('candidate.id', 'not in', executing))
          .orderBy('candidate.queuedAt')
          .limit(1)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .executeTakeFirst();
  }

  async #execute(run: SyncRun): Promise<void> {
    const log = this.options.log.child({ runId: run.id, connectorId: run.connectorId });
    let lost = false;
    let readEverything = false;
    const heartbeat = setInterval(
      () => {
        this.#beat(run)
          .then((alive) => {
            if (!alive) lost = true;
          })
          .catch((error: unknown) => log.warn({ err: error }, 'a run’s heartbeat failed'));
      },
      Math.max(50, Math.floor(this.options.staleMs / 3)),
    );
    heartbeat.unref();
    try {
      if (run.attempts > 1) log.info({ cursor: run.cursor, attempts: run.attempts }, 'resuming a run');
      await this.db
        .updateTable('connectors')
        .set({ lastRunStatus: 'running' })
        .where('id', '=', run.connectorId)
        .where('lastRunId', '=', run.id)
        .execute();
      const connector = await this.connectors.runtime(run.connectorId);
      const job = this.#jobs.get(connector.kind);
      if (!job) throw new Error(`no job runs ${connector.kind} connectors`);
      await job({
        run,
        connector,
        client: await this.connectors.client(run.connectorId),
        db: this.db,
        log,
        stopping: () => this.#stopping || lost,
        savePage: async (trx, page) => {
          if (!(await this.#savePage(trx, run, page))) {
            lost = true;
            throw new RunLostError(run.id);
          }
          if (page.cursor === null) readEverything = true;
        },
      });
      if (lost) return;
      if (this.#stopping && !readEverything) await this.#requeue(run, log);
      else await this.#complete(run, log);
    } catch (error) {
      if (lost || error instanceof RunLostError) {
        log.warn('the run was taken over by another replica; this one stops it');
        return;
      }
      await this.#fail(run, error, log);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** True while this replica still owns the run. */
  async #beat(run: SyncRun): Promise<boolean> {
    const result = await this.db
      .updateTable('syncRuns')
      .set({ heartbeatAt: sql<Date>`now()` })
      .where('id', '=', run.id)
      .where('owner', '=', run.owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #savePage(trx: Transaction<IntegrationDatabase>, run: SyncRun, page: RunPage): Promise<boolean> {
    const runId = run.id;
    const counts = { created: 0, updated: 0, unchanged: 0, conflicts: 0, duplicates: 0, errors: 0 };
    for (const record of page.records) counts[COUNTER[record.outcome]] += 1;
    const read = page.records.length;
    const progress = await trx
      .updateTable('syncRuns')
      .set((eb) => ({
        cursor: page.cursor,
        heartbeatAt: sql<Date>`now()`,
        pages: eb('pages', '+', 1),
        read: eb('read', '+', read),
        created: eb('created', '+', counts.created),
        updated: eb('updated', '+', counts.updated),
        unchanged: eb('unchanged', '+', counts.unchanged),
        conflicts: eb('conflicts', '+', counts.conflicts),
        duplicates: eb('duplicates', '+', counts.duplicates),
        errors: eb('errors', '+', counts.errors),
        ...(page.watermark ? { watermarkTo: page.watermark } : {}),
        ...(page.total === undefined || page.total === null ? {} : { total: page.total }),
      }))
      .where('id', '=', runId)
      .where('owner', '=', run.owner)
      .where('status', '=', 'running')
      .returning('read')
      .executeTakeFirst();
    if (!progress) return false;
    if (read > 0) {
      const first = progress.read - read + 1;
      await trx
        .insertInto('runRecords')
        .values(
          page.records.map((record, index) => ({
            runId,
            seq: first + index,
            remoteId: record.remoteId,
            outcome: record.outcome,
            partyId: record.partyId ?? null,
            reason: record.reason ?? null,
          })),
        )
        .execute();
    }
    return true;
  }

  async #complete(taken: SyncRun, log: Logger): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const run = await trx
        .updateTable('syncRuns')
        .set({ status: 'completed', finishedAt: sql<Date>`now()`, cursor: null })
        .where('id', '=', taken.id)
        .where('owner', '=', taken.owner)
        .where('status', '=', 'running')
        .returningAll()
        .executeTakeFirst();
      if (!run) return;
      const connector = await trx
        .updateTable('connectors')
        .set((eb) => ({
          watermark: eb.fn.coalesce(eb.val(run.watermarkTo), eb.ref('watermark')),
          lastRunId: run.id,
          lastRunStatus: 'completed',
          lastRunFinishedAt: run.finishedAt,
        }))
        .where('id', '=', run.connectorId)
        .returning('watermark')
        .executeTakeFirstOrThrow();
      await this.events.publish(trx, integrationEvents.runCompleted, {
        data: {
          runId: run.id,
          connectorId: run.connectorId,
          mode: run.mode,
          trigger: run.trigger,
          read: run.read,
          created: run.created,
          updated: run.updated,
          unchanged: run.unchanged,
          conflicts: run.conflicts,
          duplicates: run.duplicates,
          errors: run.errors,
          watermark: connector.watermark,
        },
        actor: run.startedBy,
      });
      log.info({ read: run.read, errors: run.errors }, 'run completed');
    });
  }

  async #fail(taken: SyncRun, error: unknown, log: Logger): Promise<void> {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    log.warn({ err: error }, 'run failed');
    await this.db.transaction().execute(async (trx) => {
      const run = await trx
        .updateTable('syncRuns')
        .set({ status: 'failed', finishedAt: sql<Date>`now()`, error: reason })
        .where('id', '=', taken.id)
        .where('owner', '=', taken.owner)
        .where('status', '=', 'running')
        .returning(['id', 'connectorId', 'finishedAt'])
        .executeTakeFirst();
      if (!run) return;
      await trx
        .updateTable('connectors')
        .set({ lastRunId: run.id, lastRunStatus: 'failed', lastRunFinishedAt: run.finishedAt })
        .where('id', '=', run.connectorId)
        .execute();
    });
  }

  /** Back to the queue with its cursor: the next replica to tick (this one after a restart) resumes it. */
  async #requeue(run: SyncRun, log: Logger): Promise<void> {
    await this.db
      .updateTable('syncRuns')
      .set({ status: 'queued', owner: null, heartbeatAt: null })
      .where('id', '=', run.id)
      .where('owner', '=', run.owner)
      .where('status', '=', 'running')
      .execute();
    log.info('run queued again: the service is closing; it resumes from its cursor');
  }
}
