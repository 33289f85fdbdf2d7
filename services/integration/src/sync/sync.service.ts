import type { Kysely, Selectable } from 'kysely';
import type { Logger } from 'pino';
import { integrationEvents } from '@lessor/event-catalog';
import { isPostgresError, newId, type ServiceEvents } from '@lessor/service-kit';
import { integrationErrors } from '../integration.errors.ts';
import type { IntegrationDatabase, SyncRunsTable } from '../database.ts';
import type { RemoteClient } from './remote.client.ts';

export type SyncRun = Selectable<SyncRunsTable>;

const UNIQUE_VIOLATION = '23505';

/**
 * The sync: one run at a time pages through the outside system from the cursor the last run reached. Each page
 * is written in one transaction with the run's progress and its new cursor, so a run that fails leaves whole
 * pages only, and the next run goes on after the last of them. The last page's transaction also publishes
 * `sync.completed`.
 */
export class SyncService {
  #running: Promise<void> | undefined;
  #stopping = false;

  constructor(
    private readonly db: Kysely<IntegrationDatabase>,
    private readonly events: ServiceEvents,
    private readonly remote: RemoteClient | undefined,
    private readonly options: { pageSize: number; log: Logger },
  ) {}

  /** The latest run, with its progress; undefined before the first. */
  latest(): Promise<SyncRun | undefined> {
    return this.db
      .selectFrom('syncRuns')
      .selectAll()
      .orderBy('startedAt', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
  }

  /** Starts a run and answers at once with it; the pages are read in the background (GET shows the progress). */
  async start(actor: string): Promise<SyncRun> {
    const previous = await this.latest();
    let run: SyncRun;
    try {
      run = await this.db
        .insertInto('syncRuns')
        .values({
          id: newId(),
          status: 'running',
          startedBy: actor,
          cursor: previous?.cursor ?? null,
          finishedAt: null,
          error: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isPostgresError(error, UNIQUE_VIOLATION))
        throw integrationErrors.create.INTEGRATION_SYNC_RUNNING('Another sync run is under way');
      throw error;
    }
    this.#running = this.#run(run).finally(() => {
      this.#running = undefined;
    });
    return run;
  }

  async #run(run: SyncRun): Promise<void> {
    let { cursor } = run;
    try {
      if (!this.remote)
        throw new Error('INTEGRATION_REMOTE_URL is not set: there is no outside system to read');
      for (;;) {
        if (this.#stopping) throw new Error('interrupted: the service stopped during the run');
        const page = await this.remote.page(cursor, this.options.pageSize);
        const last = page.next === null;
        cursor = page.next ?? cursor;
        await this.db.transaction().execute(async (trx) => {
          for (const record of page.records) {
            const row = { name: record.name, remoteUpdatedAt: new Date(record.updatedAt), runId: run.id };
            await trx
              .insertInto('remoteRecords')
              .values({ remoteId: record.id, ...row })
              .onConflict((conflict) =>
                conflict.column('remoteId').doUpdateSet({ ...row, syncedAt: new Date() }),
              )
              .execute();
          }
          const progress = await trx
            .updateTable('syncRuns')
            .set((eb) => ({
              cursor,
              pages: eb('pages', '+', 1),
              records: eb('records', '+', page.records.length),
              ...(last ? { status: 'completed' as const, finishedAt: new Date() } : {}),
            }))
            .where('id', '=', run.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          if (last)
            await this.events.publish(trx, integrationEvents.syncCompleted, {
              data: { runId: run.id, pages: progress.pages, records: progress.records, cursor },
              actor: run.startedBy,
            });
        });
        if (last) return;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log.warn({ err: error, runId: run.id }, 'the sync run failed');
      await this.db
        .updateTable('syncRuns')
        .set({ status: 'failed', finishedAt: new Date(), error: reason })
        .where('id', '=', run.id)
        .execute();
    }
  }

  /** Marks failed a run a stopped process left under way (one process runs the sync: README). */
  async failInterrupted(): Promise<void> {
    await this.db
      .updateTable('syncRuns')
      .set({
        status: 'failed',
        finishedAt: new Date(),
        error: 'interrupted: the service stopped during the run',
      })
      .where('status', '=', 'running')
      .execute();
  }

  /** Lets the run under way end at its next page (failed, to be continued by the next run). */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#running;
  }
}
