import { PermanentFailure } from '@lessor/events';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { IntegrationDatabase, OutboundStatus } from '../database.ts';
import { ODataConflictError, ODataError, type ODataClient, type ODataKey } from '../odata/index.ts';
import {
  contractChangeOf,
  failureKind,
  holdsFields,
  isSuperseded,
  outboundFields,
  remoteKey,
  type ContractChange,
  type OutboundMapping,
} from './outbound.ts';
import type {
  OutboundListQuery,
  OutboundLogRow,
  OutboundOutcome,
  OutboundRepository,
} from './outbound.repository.ts';

/** A CRM connector as the outbound updates need it. */
export interface CrmConnector {
  id: string;
  name: string;
  protocol: 'odata-v4' | 'odata-v2';
  /** Which fields the updates write; a connector without it is not written to. */
  outbound: OutboundMapping | undefined;
}

/** The enabled CRM connectors and their clients (src/connectors). */
export interface CrmConnectors {
  enabled(): Promise<CrmConnector[]>;
  client(id: string): Promise<ODataClient>;
}

/**
 * A contract change one or more CRMs did not take. The consumer retries the event with its growing delays,
 * then parks it for an admin (the parked-events page); the outbound log shows each CRM's answer meanwhile.
 */
export class CrmUpdateFailedError extends Error {
  override readonly name = 'CrmUpdateFailedError';

  constructor(
    readonly failures: readonly { connector: string; outcome: OutboundOutcome }[],
    contractNumber: string,
  ) {
    super(
      `CRM update of contract ${contractNumber} not done: ` +
        failures
          .map(
            ({ connector, outcome }) =>
              `${connector} ${outcome.status}${outcome.httpStatus ? ` (${outcome.httpStatus})` : ''}: ${outcome.reason ?? ''}`,
          )
          .join('; '),
    );
  }
}

/** What became of contract changes in the CRMs, counted by connector and status. */
export function createOutboundMetrics(registry: Registry): Counter<'connector' | 'status'> {
  return new Counter({
    name: 'lessor_integration_outbound_updates_total',
    help: 'Contract changes sent to a CRM connector, by what became of them (updated, unchanged, skipped, superseded, refused, failed).',
    labelNames: ['connector', 'status'],
    registers: [registry],
  });
}

/**
 * Lessor → CRM: a contract signed, activated or terminated updates the lessee's records in every enabled CRM
 * connector where inbound sync linked the lessee (`party_links`). Runs in the consumer's transaction: the log
 * row of each record commits with the inbox row, so the event's effect is recorded once; the CRM's record is read
 * first and written only when it differs, so a retry after the CRM answered (and before the commit) changes
 * nothing there and is logged `unchanged`.
 */
export class OutboundService {
  constructor(
    private readonly db: Kysely<IntegrationDatabase>,
    private readonly repository: OutboundRepository,
    private readonly connectors: CrmConnectors,
    private readonly updates: Counter<'connector' | 'status'>,
  ) {}

  list(query: OutboundListQuery): Promise<{ items: OutboundLogRow[]; nextCursor: string | null }> {
    return this.repository.list(query);
  }

  find(id: string): Promise<OutboundLogRow | undefined> {
    return this.repository.find(id);
  }

  /** The handler of a contract event: every CRM updated (or skipped, with the reason), or it throws. */
  async contractChanged(
    trx: Kysely<IntegrationDatabase>,
    event: Parameters<typeof contractChangeOf>[0],
    { log, attempt }: { log: Logger; attempt: number },
  ): Promise<void> {
    const change = contractChangeOf(event, attempt);
    const crms = await this.connectors.enabled();
    if (crms.length === 0) {
      await this.repository.record(trx, change, {
        connectorId: null,
        remoteId: null,
        status: 'skipped',
        fields: null,
        reason: 'no CRM connector is enabled',
      });
      return;
    }
    const links = await this.repository.linksOf(trx, change.partyId);
    const failures: { connector: string; outcome: OutboundOutcome }[] = [];
    // One record after the other: each write is followed by its log row, and a CRM down does not stop the others.
    // A lessee may have several records in one CRM (duplicates the inbound sync matched by tax id): each is told.
    const targets = crms.flatMap((crm): { crm: CrmConnector; remoteId: string | undefined }[] => {
      const remoteIds = links.get(crm.id) ?? [];
      if (remoteIds.length === 0) return [{ crm, remoteId: undefined }];
      return remoteIds.map((remoteId) => ({ crm, remoteId }));
    });
    for (const { crm, remoteId } of targets) {
      const outcome = await this.send(trx, crm, change, remoteId);
      this.updates.inc({ connector: crm.name, status: outcome.status });
      const failed = outcome.status === 'failed' || outcome.status === 'refused';
      log[failed ? 'warn' : 'info'](
        {
          connector: crm.name,
          remoteId: outcome.remoteId,
          status: outcome.status,
          httpStatus: outcome.httpStatus,
          reason: outcome.reason,
        },
        `contract ${change.contractNumber} ${change.contractStatus}: CRM ${outcome.status}`,
      );
      if (failed) {
        // The transaction is rolled back when the handler throws: the failure's row is written beside it.
        await this.repository.record(this.db, change, outcome);
        failures.push({ connector: crm.name, outcome });
      } else await this.repository.record(trx, change, outcome);
    }
    if (failures.length === 0) return;
    const failure = new CrmUpdateFailedError(failures, change.contractNumber);
    // Every CRM that failed refused (4xx): the same event would be refused again, so it is parked at once for an
    // admin; one down or throttling is retried by the consumer with its growing delays.
    if (failures.every(({ outcome }) => outcome.status === 'refused'))
      throw new PermanentFailure(failure.message, { cause: failure });
    throw failure;
  }

  private async send(
    trx: Kysely<IntegrationDatabase>,
    crm: CrmConnector,
    change: ContractChange,
    remoteId: string | undefined,
  ): Promise<OutboundOutcome> {
    const base = { connectorId: crm.id, remoteId: remoteId ?? null };
    if (!crm.outbound) {
      return { ...base, status: 'skipped', fields: null, reason: 'the connector maps no outbound fields' };
    }
    if (remoteId === undefined) {
      return {
        ...base,
        status: 'skipped',
        fields: null,
        reason: 'the lessee has no record in this CRM (no link from the inbound sync)',
      };
    }
    const fields = outboundFields(change, crm.outbound, crm.protocol === 'odata-v4' ? 'v4' : 'v2');
    if (
      isSuperseded(change, await this.repository.appliedStatuses(trx, crm.id, remoteId, change.contractId))
    ) {
      return {
        ...base,
        status: 'superseded',
        fields,
        reason: 'the CRM was given a later status of this contract already; not written',
      };
    }
    try {
      const client = await this.connectors.client(crm.id);
      const key = remoteKey(remoteId);
      return { ...base, fields, ...(await writeFields(client, crm.outbound.entitySet, key, fields)) };
    } catch (error) {
      return {
        ...base,
        status: failureKind(error),
        fields,
        httpStatus: error instanceof ODataError ? error.status : null,
        reason: error instanceof Error ? error.message : String(error),
      };
    }
  }
}

/**
 * Reads the record (its ETag) and writes the fields with `If-Match` when they differ. A 412 — the record
 * changed between the read and the write — reads it again and writes once more; a second 412 throws.
 */
async function writeFields(
  client: ODataClient,
  entitySet: string,
  key: ODataKey,
  fields: Record<string, string>,
): Promise<{ status: OutboundStatus; etag: string | null; reason: string | null }> {
  for (let read = 1; ; read += 1) {
    const { record, etag } = await client.get(entitySet, key, { select: Object.keys(fields) });
    if (holdsFields(record, fields)) {
      return {
        status: 'unchanged',
        etag,
        reason:
          'the record holds these fields already (written by an earlier attempt, or in the CRM); not written again',
      };
    }
    try {
      const written = await client.update(entitySet, key, fields, etag === null ? {} : { etag });
      return {
        status: 'updated',
        etag: written.etag,
        reason:
          read > 1 ? 'the record changed between the read and the write (412): read again and written' : null,
      };
    } catch (error) {
      if (!(error instanceof ODataConflictError) || read === 2) throw error;
    }
  }
}
