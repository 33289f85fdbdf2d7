import type { ConnectorMapping } from '../connectors/mapping.ts';
import {
  ODataConflictError,
  ODataError,
  parseODataDate,
  type ODataKey,
  type ODataVersion,
} from '../odata/index.ts';

// What a CRM is told of a contract, decided without I/O: the change an event carries, the fields it writes by a
// connector's mapping, whether the CRM's record holds them already, and what a CRM's failure means.

export type OutboundMapping = NonNullable<ConnectorMapping['outbound']>;

/** The contract's status after each event, in the order a contract goes through them. */
const STATUS_RANK: Readonly<Record<string, number>> = { signed: 1, active: 2, terminated: 3 };

/** A contract event as the CRM learns it. */
export interface ContractChange {
  eventId: string;
  eventType: string;
  contractId: string;
  contractNumber: string;
  /** `signed`, `active` or `terminated`: the status the event moved the contract to. */
  contractStatus: string;
  /** The transition's business date, `YYYY-MM-DD`. */
  statusDate: string;
  /** The lessee. */
  partyId: string;
  /** The delivery of the event (1 the first, 2 its first retry; a replay the parked attempts + 1). */
  attempt: number;
}

/** The change of a consumed contract event (`to` is the status it moved the contract to). */
export function contractChangeOf(
  event: {
    id: string;
    type: string;
    data: {
      contractId: string;
      to: string;
      businessDate: string;
      contract: { number: string; partyId: string };
    };
  },
  attempt: number,
): ContractChange {
  return {
    eventId: event.id,
    eventType: event.type,
    contractId: event.data.contractId,
    contractNumber: event.data.contract.number,
    contractStatus: event.data.to,
    statusDate: event.data.businessDate,
    partyId: event.data.contract.partyId,
    attempt,
  };
}

/**
 * True when a CRM already shows a later status of the same contract than this change: a change retried after
 * its successor was applied (signed retried while the CRM was down, activated applied meanwhile) must not
 * overwrite it.
 */
export function isSuperseded(change: ContractChange, appliedStatuses: readonly string[]): boolean {
  const rank = STATUS_RANK[change.contractStatus] ?? 0;
  return appliedStatuses.some((status) => (STATUS_RANK[status] ?? 0) > rank);
}

/**
 * The fields written to the lessee's CRM record, by the mapping's names. The status date is a timestamp on the
 * peers' shapes (Dataverse `DateTimeOffset`, v2 `Edm.DateTime`): midnight UTC of the business date.
 */
export function outboundFields(
  change: ContractChange,
  mapping: OutboundMapping,
  version: ODataVersion,
): Record<string, string> {
  const fields: Record<string, string> = {
    [mapping.fields.contractNumber]: change.contractNumber,
    [mapping.fields.status]: change.contractStatus,
  };
  if (mapping.fields.statusDate) {
    const midnight = Date.parse(`${change.statusDate}T00:00:00Z`);
    fields[mapping.fields.statusDate] =
      version === 'v4' ? new Date(midnight).toISOString() : `/Date(${midnight})/`;
  }
  return fields;
}

/**
 * True when the CRM's record holds every field as it would be written: then the write is left out, so a
 * retry after the CRM answered (and before our commit) changes nothing there. Timestamps compare as instants
 * (the CRM answers `2026-01-31T00:00:00Z` for what was sent as `…00.000Z`, v2 `/Date(ms)/`).
 */
export function holdsFields(record: Record<string, unknown>, fields: Record<string, string>): boolean {
  return Object.entries(fields).every(([name, wanted]) => sameValue(record[name], wanted));
}

function sameValue(actual: unknown, wanted: string): boolean {
  if (actual === wanted) return true;
  if (typeof actual !== 'string') return false;
  const [a, b] = [instantOf(actual), instantOf(wanted)];
  return a !== undefined && a === b;
}

/** The instant an OData date value stands for (v2 `/Date(ms)/`, ISO with or without offset), or undefined. */
function instantOf(value: string): number | undefined {
  try {
    return parseODataDate(value).getTime();
  } catch {
    return undefined;
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key of the lessee's CRM record from the id the inbound sync kept: a GUID (Dataverse's `accountid`) is an
 * `Edm.Guid` key, bare in v4; anything else a string key, quoted (SAP's `BusinessPartner`). The mapping names no
 * key type, and a string key shaped like a GUID is not known among the CRMs served.
 */
export function remoteKey(remoteId: string): ODataKey {
  return GUID.test(remoteId) ? { guid: remoteId } : remoteId;
}

/** What a CRM's failure means for the event: retried later (the CRM is down or busy) or refused for good. */
export type FailureKind = 'failed' | 'refused';

/**
 * A failure the consumer retries (network, timeout, 5xx, 429 after the client's own retries) is `failed`;
 * one the same request meets every time (400, 401/403, 404, 422, an answer that breaks the protocol) is
 * `refused`. A conflict (412/409) and anything but an OData error (a bug) count as failed: retried, then parked.
 */
export function failureKind(error: unknown): FailureKind {
  // A record changed again between the second read and write (412), or a 409: a later attempt may succeed.
  if (error instanceof ODataConflictError) return 'failed';
  return error instanceof ODataError && !error.retryable ? 'refused' : 'failed';
}
