import { formatAmountUnrounded } from '@lessor/domain-values';
import {
  ODataAuthError,
  ODataConflictError,
  ODataError,
  ODataNotFoundError,
  ODataRefusedError,
  type ODataVersion,
} from '../odata/index.ts';
import type { ExportEntriesTable, ExportEntryLinesTable, ExportStatus } from '../database.ts';

/** An exported entry as the export keeps it (its row, without the bookkeeping of the sending). */
export type ExportEntry = Pick<
  ExportEntriesTable,
  'entryId' | 'legalEntity' | 'entryDate' | 'kind' | 'description' | 'sourceEventType' | 'reversesEntryId'
>;

export type ExportLine = ExportEntryLinesTable;

export const EXPORT_STATUSES: readonly ExportStatus[] = ['pending', 'sent', 'acknowledged', 'refused'];

/** Where in the accounting system an entry goes: its entity set and the navigation property of its lines. */
export interface ExportTarget {
  entitySet: string;
  linesProperty: string;
}

export const DEFAULT_EXPORT_TARGET: ExportTarget = { entitySet: 'JournalEntries', linesProperty: 'Lines' };

/**
 * The journal entry as the accounting system's `JournalEntries` takes it, its lines inline (a deep insert: the
 * entry and its lines are created together or not at all). Amounts go as decimal strings, never numbers, with
 * at least the currency's decimals and none dropped; the business date is an `Edm.Date` on v4 and midnight of an
 * `Edm.DateTime` on v2.
 */
export function journalEntryBody(
  entry: ExportEntry,
  lines: readonly ExportLine[],
  target: ExportTarget,
  version: ODataVersion,
): Record<string, unknown> {
  return {
    EntryID: entry.entryId,
    LegalEntity: entry.legalEntity,
    PostingDate: version === 'v4' ? entry.entryDate : `${entry.entryDate}T00:00:00`,
    Description: entry.description,
    SourceType: entry.kind,
    [target.linesProperty]: lines.map((line) => ({
      EntryID: entry.entryId,
      LineNo: line.lineNo,
      AccountCode: line.accountCode,
      Side: line.side,
      Amount: formatAmountUnrounded(line.amount, line.currency),
      Currency: line.currency,
    })),
  };
}

/** `EntryID eq <id>`: the entry's key is a Guid, written bare on v4 and as `guid'…'` on v2. */
export function entryIdFilter(entryId: string, version: ODataVersion): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(entryId))
    throw new Error(`not an entry id: ${entryId}`);
  return version === 'v4' ? `EntryID eq ${entryId}` : `EntryID eq guid'${entryId}'`;
}

/**
 * What an answer to sending an entry means for it:
 * - `duplicate`: the accounting system has the entry already (409, or a refusal saying it exists) — it counts as
 *   acknowledged, as our earlier send evidently arrived;
 * - `refused`: the system refuses the entry as it is (another 4xx) — kept with the system's reason, sent again
 *   only when someone asks (`POST /v1/exports/:entryId/retry`);
 * - `uncertain`: the system is down, slow, throttling, or answered something unreadable — the entry may or may
 *   not have arrived, so it is looked up before it is sent again;
 * - `blocked`: the connector itself is refused (credentials, a wrong entity set) — nothing about the entry, which
 *   waits with the others until the connector is fixed.
 */
export type SendOutcome = 'duplicate' | 'refused' | 'uncertain' | 'blocked';

const ALREADY_EXISTS = /already exists|duplicate|unique constraint|ENTITY_ALREADY_EXISTS/i;

export function outcomeOf(error: unknown): SendOutcome {
  if (!(error instanceof ODataError)) return 'uncertain';
  if (error instanceof ODataConflictError) return error.status === 409 ? 'duplicate' : 'refused';
  if (error instanceof ODataAuthError || error instanceof ODataNotFoundError) return 'blocked';
  if (error instanceof ODataRefusedError) {
    const said = `${error.serverCode ?? ''} ${error.serverMessage ?? ''} ${error.message}`;
    return ALREADY_EXISTS.test(said) ? 'duplicate' : 'refused';
  }
  return 'uncertain';
}

/** The accounting system's reason for a refusal, as it said it (a line, never a stack). */
export function reasonOf(error: unknown): string {
  if (error instanceof ODataError) {
    const status = error.status === null ? '' : `${error.status} `;
    return `${status}${error.serverMessage ?? error.message}`.slice(0, 2000);
  }
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/**
 * The wait before the next attempt after `attempts` failed ones: doubling from `baseMs` up to `maxMs`, with the
 * upper half jittered so replicas and entries that failed together do not come back together.
 */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
