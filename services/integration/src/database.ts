import type { ColumnType, Generated } from 'kysely';
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

export type ExportStatus = 'pending' | 'sent' | 'acknowledged' | 'refused';

/**
 * A journal entry finance posted, kept for the export to outside accounting (src/export): once per entry id,
 * `sent` while the accounting system's answer is not known (checked by a read before any resend).
 */
export interface ExportEntriesTable {
  entryId: string;
  legalEntity: string;
  /** The business date, `YYYY-MM-DD`. */
  entryDate: string;
  kind: string;
  description: string;
  sourceEventType: string | null;
  reversesEntryId: string | null;
  eventId: string;
  postedAt: Date;
  receivedAt: Generated<Date>;
  status: Generated<ExportStatus>;
  connectorId: string | null;
  attempts: Generated<number>;
  nextAttemptAt: Generated<Date>;
  firstSentAt: Date | null;
  lastSentAt: Date | null;
  acknowledgedAt: Date | null;
  /** `created` by our send, or `duplicate`: the accounting system had it already. */
  acknowledgedAs: 'created' | 'duplicate' | null;
  refusedAt: Date | null;
  /** The accounting system's reason for refusing it. */
  refusal: string | null;
  lastError: string | null;
  updatedAt: Generated<Date>;
}

/** A line of an exported entry; the amount is numeric (read as a decimal string). */
export interface ExportEntryLinesTable {
  entryId: string;
  lineNo: number;
  accountCode: string;
  accountName: string;
  side: 'debit' | 'credit';
  amount: string;
  currency: string;
  counterpartyId: string | null;
  contractId: string | null;
}

/** What became of a contract event in one CRM (src/outbound). */
export type OutboundStatus = 'updated' | 'unchanged' | 'skipped' | 'superseded' | 'refused' | 'failed';

/**
 * One leasing contract event as sent to one CRM connector (null: no CRM connector was enabled): the fields
 * written, the CRM's answer, the attempts. Unique by event and connector.
 */
export interface OutboundLogTable {
  id: string;
  eventId: string;
  eventType: string;
  contractId: string;
  contractNumber: string;
  /** The contract's status the CRM is told: `signed`, `active` or `terminated`. */
  contractStatus: string;
  /** The transition's business date, `YYYY-MM-DD`. */
  statusDate: string;
  partyId: string;
  connectorId: string | null;
  /** The lessee's record in the CRM (its key), null when it has none there. */
  remoteId: string | null;
  status: OutboundStatus;
  /** What was (or would have been) written, by the CRM's field names. */
  fields: Record<string, unknown> | null;
  attempts: Generated<number>;
  /** The CRM's HTTP status when it refused or failed. */
  httpStatus: number | null;
  reason: string | null;
  /** The record's ETag after the write. */
  etag: string | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

/** The fields of a CRM record that decide a party, as last read (src/inbound: `CrmSnapshot`). */
export type PartyLinkSnapshot = Record<string, unknown>;

/** Which party a CRM record became, and the CRM's values as last read (a conflict needs a change since). */
export interface PartyLinksTable {
  connectorId: string;
  remoteId: string;
  partyId: string;
  remoteSnapshot: ColumnType<PartyLinkSnapshot, string, string>;
  remoteModified: Date | null;
  runId: string | null;
  syncedAt: Generated<Date>;
}

export type ConflictStatus = 'open' | 'take-crm' | 'keep-lessor';
export type ConflictField = 'name' | 'legalForm' | 'taxId' | 'country' | 'registrationNumber';

/** A field Lessor keeps that the CRM changed to another value: shown until someone decides. */
export interface ConflictsTable {
  id: string;
  connectorId: string;
  remoteId: string;
  partyId: string;
  field: ConflictField;
  lessorValue: string | null;
  crmValue: string | null;
  status: Generated<ConflictStatus>;
  runId: string | null;
  raisedAt: Generated<Date>;
  updatedAt: Generated<Date>;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/** The tables of integration's own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface IntegrationDatabase {
  partyLinks: PartyLinksTable;
  conflicts: ConflictsTable;
  outboundLog: OutboundLogTable;
  exportEntries: ExportEntriesTable;
  exportEntryLines: ExportEntryLinesTable;
  connectors: ConnectorsTable;
  syncRuns: SyncRunsTable;
  runRecords: RunRecordsTable;
}
