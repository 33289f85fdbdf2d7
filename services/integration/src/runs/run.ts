import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { ConnectorRuntime } from '../connectors/connector.service.ts';
import type { IntegrationDatabase, RunOutcome, RunRecordsTable, SyncRunsTable } from '../database.ts';
import type { ODataClient } from '../odata/index.ts';

export type SyncRun = Selectable<SyncRunsTable>;
export type RunRecord = Selectable<RunRecordsTable>;

/** What became of one outside record in a run, and why (the run's report). */
export interface RunRecordInput {
  remoteId: string;
  outcome: RunOutcome;
  partyId?: string | null;
  reason?: string | null;
}

/** One page as a job hands it over: its records' outcomes, and where the next page is. */
export interface RunPage {
  /** The next page's link; null after the last page (the run then completes when the job returns). */
  cursor: string | null;
  /** The highest outside modified time seen so far: the connector's watermark once the run completes. */
  watermark?: string | null;
  /** How many records the outside system says the run will read ($count), when it says. */
  total?: number | null;
  records: RunRecordInput[];
}

/** What a job gets for one run: the run (with the cursor to resume from), its connector and client. */
export interface RunContext {
  /** The run as it was taken up: `cursor` set when it resumes, `watermarkFrom` null for a full run. */
  run: SyncRun;
  connector: ConnectorRuntime;
  client: ODataClient;
  db: Kysely<IntegrationDatabase>;
  log: Logger;
  /**
   * Writes a page's report and the run's progress (counts derived from the outcomes) in the job's transaction,
   * with the cursor after it: a run that stops resumes after the last page saved. Throws when this replica has
   * lost the run (another took it over), so the transaction rolls back.
   */
  savePage(trx: Transaction<IntegrationDatabase>, page: RunPage): Promise<void>;
  /** The service is closing (or the run was lost): end after the current page; the run resumes at the next start. */
  stopping(): boolean;
}

/** The work of a run, per connector kind (`runs.registerJob('crm', job)`); it returns when it has read everything. */
export type RunJob = (context: RunContext) => Promise<void>;

/** The share of the run done, when the total is known (100 once completed). */
export function percentOf(run: Pick<SyncRun, 'status' | 'read' | 'total'>): number | null {
  if (run.status === 'completed') return 100;
  if (run.total === null || run.total <= 0) return null;
  return Math.min(99, Math.floor((run.read / run.total) * 100));
}
