import type { Insertable, Kysely, Selectable } from 'kysely';
import { newId, paginate, type Page } from '@lessor/service-kit';
import type { AssetStatusHistoryTable, AssetsDatabase } from '../database.ts';
import type { AssetStatus } from './asset.ts';

export type StatusChangeRow = Selectable<AssetStatusHistoryTable>;

/** The SQL of the status history: insert and read only; the table refuses anything else. */
export class StatusHistoryRepository {
  constructor(private readonly db: Kysely<AssetsDatabase>) {}

  async record(change: Omit<Insertable<AssetStatusHistoryTable>, 'id' | 'at'>): Promise<void> {
    await this.db
      .insertInto('assetStatusHistory')
      .values({ id: newId(), ...change })
      .execute();
  }

  /** An asset's status changes, newest first. */
  async list(assetId: string, page: { limit: number; cursor?: string }): Promise<Page<StatusChangeRow>> {
    return paginate(this.db.selectFrom('assetStatusHistory').selectAll().where('assetId', '=', assetId), {
      limit: page.limit,
      cursor: page.cursor,
      sort: { column: 'at', direction: 'desc' },
    });
  }

  /** The statuses the asset reached under a contract, by hand or by that contract's events. */
  async reachedUnder(assetId: string, contractId: string): Promise<AssetStatus[]> {
    const rows = await this.db
      .selectFrom('assetStatusHistory')
      .select('toStatus')
      .distinct()
      .where('assetId', '=', assetId)
      .where('contractId', '=', contractId)
      .execute();
    return rows.map((row) => row.toStatus);
  }
}
