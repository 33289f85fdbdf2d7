import { sql, type Kysely, type Selectable } from 'kysely';
import { newId, paginate, type Page } from '@lessor/service-kit';
import type { ConflictStatus, ConflictsTable, IntegrationDatabase, PartyLinksTable } from '../database.ts';
import type { CrmSnapshot } from './crm-account.ts';
import type { FieldConflict } from './reconcile.ts';

export type PartyLinkRow = Selectable<PartyLinksTable>;
export type ConflictRow = Selectable<ConflictsTable>;

/** A link as the job writes it after a record was matched or created. */
export interface PartyLinkInput {
  remoteId: string;
  partyId: string;
  snapshot: CrmSnapshot;
  remoteModified: Date;
}

export interface ConflictFilter {
  connectorId?: string;
  partyId?: string;
  status?: ConflictStatus;
  limit: number;
  cursor?: string;
}

/** The SQL of the inbound sync: the links of CRM records to parties, and the conflicts. */
export class InboundRepository {
  constructor(private readonly db: Kysely<IntegrationDatabase>) {}

  /** The links of a page's records, by remote id. */
  async links(connectorId: string, remoteIds: readonly string[]): Promise<Map<string, PartyLinkRow>> {
    if (remoteIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('partyLinks')
      .selectAll()
      .where('connectorId', '=', connectorId)
      .where('remoteId', 'in', [...new Set(remoteIds)])
      .execute();
    return new Map(rows.map((row) => [row.remoteId, row]));
  }

  /** Writes the page's links (the CRM's values as now read), one statement. */
  async saveLinks(connectorId: string, runId: string, links: readonly PartyLinkInput[]): Promise<void> {
    if (links.length === 0) return;
    // A record read twice in one page (changed meanwhile) keeps its last reading: one row per key per statement.
    const byRemoteId = new Map(links.map((link) => [link.remoteId, link]));
    await this.db
      .insertInto('partyLinks')
      .values(
        [...byRemoteId.values()].map((link) => ({
          connectorId,
          remoteId: link.remoteId,
          partyId: link.partyId,
          remoteSnapshot: JSON.stringify(link.snapshot),
          remoteModified: link.remoteModified,
          runId,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['connectorId', 'remoteId']).doUpdateSet((eb) => ({
          partyId: eb.ref('excluded.partyId'),
          remoteSnapshot: eb.ref('excluded.remoteSnapshot'),
          remoteModified: eb.ref('excluded.remoteModified'),
          runId: eb.ref('excluded.runId'),
          syncedAt: sql<Date>`now()`,
        })),
      )
      .execute();
  }

  /** Raises conflicts, or brings an open one on the same record and field to the CRM's newest value. */
  async raiseConflicts(
    connectorId: string,
    runId: string | null,
    raised: readonly { remoteId: string; partyId: string; conflict: FieldConflict }[],
  ): Promise<void> {
    for (const { remoteId, partyId, conflict } of raised) {
      await this.db
        .insertInto('conflicts')
        .values({
          id: newId(),
          connectorId,
          remoteId,
          partyId,
          field: conflict.field,
          lessorValue: conflict.lessorValue,
          crmValue: conflict.crmValue,
          runId,
        })
        .onConflict((onConflict) =>
          onConflict
            .columns(['connectorId', 'remoteId', 'field'])
            .where('status', '=', 'open')
            .doUpdateSet((eb) => ({
              partyId: eb.ref('excluded.partyId'),
              lessorValue: eb.ref('excluded.lessorValue'),
              crmValue: eb.ref('excluded.crmValue'),
              runId: eb.ref('excluded.runId'),
              updatedAt: sql<Date>`now()`,
            })),
        )
        .execute();
    }
  }

  /** Conflicts, newest first. */
  async list(filter: ConflictFilter): Promise<Page<ConflictRow>> {
    let query = this.db.selectFrom('conflicts').selectAll();
    if (filter.connectorId) query = query.where('connectorId', '=', filter.connectorId);
    if (filter.partyId) query = query.where('partyId', '=', filter.partyId);
    if (filter.status) query = query.where('status', '=', filter.status);
    return paginate(query, {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: { column: 'raisedAt', direction: 'desc' },
    });
  }

  async find(id: string): Promise<ConflictRow | undefined> {
    return this.db.selectFrom('conflicts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the conflict until the transaction ends: two resolutions of one conflict run one after the other. */
  async findForUpdate(id: string): Promise<ConflictRow | undefined> {
    return this.db.selectFrom('conflicts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  async resolve(id: string, status: Exclude<ConflictStatus, 'open'>, actor: string): Promise<ConflictRow> {
    return this.db
      .updateTable('conflicts')
      .set({ status, resolvedAt: sql<Date>`now()`, resolvedBy: actor, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }
}
