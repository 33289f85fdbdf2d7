import type { Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';
import type { ConnectorMapping } from './connectors/mapping.ts';

export type ConnectorKind = 'crm' | 'accounting';
export type ConnectorProtocol = 'odata-v4' | 'odata-v2';
/** How a connector signs in, without its secret (the password or client secret is in `credentialsSealed`). */
export type ConnectorAuthSettings =
  | { kind: 'none' }
  | { kind: 'basic'; username: string }
  | { kind: 'oauth2'; tokenUrl: string; clientId: string; scope?: string };

/** An outside system integration talks to: where, how it signs in, how its records map, when it runs. */
export interface ConnectorsTable extends BusinessColumns {
  name: string;
  kind: ConnectorKind;
  protocol: ConnectorProtocol;
  baseUrl: string;
  auth: ConnectorAuthSettings;
  /** The key that sealed the credentials (src/crypto); null when there are none. */
  credentialsKeyId: string | null;
  /** AES-256-GCM: base64 of iv ‖ tag ‖ ciphertext of the credentials' JSON; never leaves the service. */
  credentialsSealed: string | null;
  mapping: ConnectorMapping;
  /** A cron expression (croner: 5 or 6 fields), null when the connector runs on demand only. */
  schedule: string | null;
  enabled: boolean;
  /** The outside modified time the last completed run reached (ISO): where an incremental run starts. */
  watermark: string | null;
  /** When the schedule fires next; set from `schedule` on every change, advanced by the replica that fires it. */
  nextRunAt: Date | null;
  lastRunId: string | null;
  lastRunStatus: RunStatus | null;
  lastRunFinishedAt: Date | null;
}

export type RunMode = 'incremental' | 'full';
export type RunTrigger = 'manual' | 'schedule';
export type RunStatus = 'queued' | 'running' | 'completed' | 'failed';
export type RunOutcome = 'created' | 'updated' | 'unchanged' | 'conflict' | 'duplicate' | 'error';

/** One sync run of a connector and its progress; at most one queued or running per connector. */
export interface SyncRunsTable {
  id: string;
  connectorId: string;
  mode: RunMode;
  trigger: RunTrigger;
  status: RunStatus;
  startedBy: string;
  queuedAt: Generated<Date>;
  /** When a replica first took it up. */
  startedAt: Date | null;
  /** The running replica's last sign of life; a run whose heartbeat is stale is taken over. */
  heartbeatAt: Date | null;
  finishedAt: Date | null;
  /** The replica running it (fences its writes: a replica that lost the run writes nothing more). */
  owner: string | null;
  /** How many times a replica took it up (1, or more after restarts and takeovers). */
  attempts: Generated<number>;
  /** The next page's link after the last page written; null before the first and after the last. */
  cursor: string | null;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  /** How many records the outside system said it has for this run ($count), when it said. */
  total: number | null;
  pages: Generated<number>;
  read: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  conflicts: Generated<number>;
  duplicates: Generated<number>;
  errors: Generated<number>;
  /** Why a failed run failed. */
  error: string | null;
}

/** The report of a run: what became of each record read, and why. */
export interface RunRecordsTable {
  runId: string;
  seq: number;
  remoteId: string;
  outcome: RunOutcome;
  partyId: string | null;
  reason: string | null;
  recordedAt: Generated<Date>;
}

/** The tables of integration's own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface IntegrationDatabase {
  connectors: ConnectorsTable;
  syncRuns: SyncRunsTable;
  runRecords: RunRecordsTable;
}
