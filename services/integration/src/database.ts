import type { Generated } from 'kysely';

export type SyncStatus = 'running' | 'completed' | 'failed';

/** One sync run and its progress; the latest run's cursor is where the next one starts. */
export interface SyncRunsTable {
  id: string;
  status: SyncStatus;
  startedAt: Generated<Date>;
  startedBy: string;
  finishedAt: Date | null;
  /** The outside system's cursor after the last page written (null: from the beginning). */
  cursor: string | null;
  pages: Generated<number>;
  records: Generated<number>;
  /** Why a failed run failed, as the client said it. */
  error: string | null;
}

/** A record of the outside system as last brought in. */
export interface RemoteRecordsTable {
  remoteId: string;
  name: string;
  remoteUpdatedAt: Date;
  syncedAt: Generated<Date>;
  runId: string;
}

/** The tables of integration's own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface IntegrationDatabase {
  syncRuns: SyncRunsTable;
  remoteRecords: RemoteRecordsTable;
}
