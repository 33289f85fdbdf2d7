import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, parseSort, Type, type Page } from '@lessor/service-kit';
import { Value } from 'typebox/value';
import type { IntegrationDatabase, OutboundLogTable, OutboundStatus } from '../database.ts';
import type { ContractChange } from './outbound.ts';

export type OutboundLogRow = Selectable<OutboundLogTable>;

/** One outcome of a contract change in one CRM, as the log keeps it. */
export interface OutboundOutcome {
  connectorId: string | null;
  remoteId: string | null;
  status: OutboundStatus;
  fields: Record<string, unknown> | null;
  httpStatus?: number | null;
  reason?: string | null;
  etag?: string | null;
}

export interface OutboundListQuery {
  limit: number;
  cursor?: string | undefined;
  connectorId?: string | undefined;
  status?: OutboundStatus | undefined;
  contractId?: string | undefined;
  contractNumber?: string | undefined;
}

/** The SQL of the outbound log, and the read of inbound's links (`party_links`, written by src/inbound only). */
export class OutboundRepository {
  constructor(private readonly db: Kysely<IntegrationDatabase>) {}

  /** The lessee's records in each CRM connector that has some: connector id → the CRM's keys of the records. */
  async linksOf(trx: Kysely<IntegrationDatabase>, partyId: string): Promise<Map<string, string[]>> {
    const rows = await trx
      .selectFrom('partyLinks')
      .select(['connectorId', 'remoteId'])
      .where('partyId', '=', partyId)
      .orderBy('connectorId')
      .orderBy('remoteId')
      .execute();
    const links = new Map<string, string[]>();
    for (const row of rows) links.set(row.connectorId, [...(links.get(row.connectorId) ?? []), row.remoteId]);
    return links;
  }

  /** The contract's statuses this CRM record was brought to (updated, or found holding them). */
  async appliedStatuses(
    trx: Kysely<IntegrationDatabase>,
    connectorId: string,
    remoteId: string,
    contractId: string,
  ): Promise<string[]> {
    const rows = await trx
      .selectFrom('outboundLog')
      .select('contractStatus')
      .where('connectorId', '=', connectorId)
      .where('remoteId', '=', remoteId)
      .where('contractId', '=', contractId)
      .where('status', 'in', ['updated', 'unchanged'])
      .execute();
    return rows.map((row) => row.contractStatus);
  }

  /**
   * Writes what became of the change in one CRM record: its row for the event, connector and record, or that row again on
   * a later delivery (`attempts`: the delivery's number). `executor` is the handler's transaction for an outcome that commits
   * with the inbox row, the service's database for a failure (the transaction is rolled back, its row stays).
   */
  async record(
    executor: Kysely<IntegrationDatabase>,
    change: ContractChange,
    outcome: OutboundOutcome,
  ): Promise<void> {
    const values = {
      connectorId: outcome.connectorId,
      remoteId: outcome.remoteId,
      status: outcome.status,
      fields: outcome.fields,
      httpStatus: outcome.httpStatus ?? null,
      reason: outcome.reason?.slice(0, 2000) ?? null,
      etag: outcome.etag ?? null,
      attempts: change.attempt,
    };
    await executor
      .insertInto('outboundLog')
      .values({
        id: newId(),
        eventId: change.eventId,
        eventType: change.eventType,
        contractId: change.contractId,
        contractNumber: change.contractNumber,
        contractStatus: change.contractStatus,
        statusDate: change.statusDate,
        partyId: change.partyId,
        ...values,
      })
      .onConflict((conflict) =>
        conflict.columns(['eventId', 'connectorId', 'remoteId']).doUpdateSet({
          ...values,
          updatedAt: sql<Date>`now()`,
        }),
      )
      .execute();
  }

  async list(query: OutboundListQuery): Promise<Page<OutboundLogRow>> {
    let q = this.selectRows();
    if (query.connectorId !== undefined) q = q.where('connectorId', '=', query.connectorId);
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.contractId !== undefined) q = q.where('contractId', '=', query.contractId);
    if (query.contractNumber !== undefined) q = q.where('contractNumber', '=', query.contractNumber);
    const page = await paginate(q, {
      limit: query.limit,
      cursor: query.cursor,
      sort: parseSort(undefined, ['createdAt'], { column: 'createdAt', direction: 'desc' }),
    });
    return { items: page.items.map(rowOf), nextCursor: page.nextCursor };
  }

  async find(id: string): Promise<OutboundLogRow | undefined> {
    const row = await this.selectRows().where('id', '=', id).executeTakeFirst();
    return row && rowOf(row);
  }

  // The fields are read as text: the CamelCasePlugin would rename the CRM's field names inside the jsonb.
  private selectRows() {
    return this.db
      .selectFrom('outboundLog')
      .selectAll()
      .select(sql<string | null>`outbound_log.fields::text`.as('fieldsText'));
  }
}

const Fields = Type.Record(Type.String(), Type.Unknown());

function rowOf({ fieldsText, ...row }: OutboundLogRow & { fieldsText: string | null }): OutboundLogRow {
  return { ...row, fields: fieldsText === null ? null : Value.Parse(Fields, JSON.parse(fieldsText)) };
}
