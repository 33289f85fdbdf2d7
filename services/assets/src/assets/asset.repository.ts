import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, type ListFilter } from '@lessor/service-kit';
import type { AssetsDatabase, AssetsTable } from '../database.ts';
import type { AssetStatus, AssetType } from './asset.ts';

export type AssetRow = Selectable<AssetsTable>;

export interface AssetSearch extends ListFilter {
  q?: string;
  status?: AssetStatus;
  type?: AssetType;
  supplierId?: string;
  /** true: a live policy covers `today`; false: none does. */
  insured?: boolean;
  /** `YYYY-MM-DD`: the day `insured` is judged on. */
  today: string;
}

/** The SQL of assets. */
export class AssetRepository extends BusinessRepository<AssetsDatabase, 'assets'> {
  constructor(db: Kysely<AssetsDatabase>) {
    super(db, 'assets', {
      sortable: ['createdAt', 'updatedAt', 'make', 'model', 'year', 'status'],
      fallback: { column: 'createdAt', direction: 'desc' },
    });
  }

  /** Assets matching a search in make, model, VIN or serial number, and the list's filters. */
  async search(filter: AssetSearch) {
    return this.list(filter, (query) => {
      let narrowed = query;
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        narrowed = narrowed.where((eb) =>
          eb.or([
            eb('make', 'ilike', pattern),
            eb('model', 'ilike', pattern),
            eb('vin', 'ilike', pattern),
            eb('serialNumber', 'ilike', pattern),
          ]),
        );
      }
      if (filter.status) narrowed = narrowed.where('status', '=', filter.status);
      if (filter.type) narrowed = narrowed.where('type', '=', filter.type);
      if (filter.supplierId) narrowed = narrowed.where('supplierId', '=', filter.supplierId);
      if (filter.insured !== undefined) {
        const { insured, today } = filter;
        narrowed = narrowed.where((eb) => {
          const covered = eb.exists(
            eb
              .selectFrom('insurancePolicies')
              .select('insurancePolicies.id')
              .whereRef('insurancePolicies.assetId', '=', 'assets.id')
              .where('insurancePolicies.deletedAt', 'is', null)
              .where('insurancePolicies.validFrom', '<=', today)
              .where('insurancePolicies.validTo', '>=', today),
          );
          return insured ? covered : eb.not(covered);
        });
      }
      return narrowed;
    });
  }

  /** The asset row, deleted or not, locked until the transaction ends: status changes take turns. */
  async lock(id: string): Promise<AssetRow | undefined> {
    return this.db.selectFrom('assets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** The live asset with this VIN, other than `exceptId`. */
  async findLiveByVin(vin: string, exceptId?: string): Promise<AssetRow | undefined> {
    let query = this.db
      .selectFrom('assets')
      .selectAll()
      .where('vin', '=', vin)
      .where('deletedAt', 'is', null);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return query.executeTakeFirst();
  }

  /** The live asset of this make (regardless of case) with this serial number, other than `exceptId`. */
  async findLiveBySerial(
    make: string,
    serialNumber: string,
    exceptId?: string,
  ): Promise<AssetRow | undefined> {
    let query = this.db
      .selectFrom('assets')
      .selectAll()
      .where(sql`lower(make)`, '=', make.toLowerCase())
      .where('serialNumber', '=', serialNumber)
      .where('deletedAt', 'is', null);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return query.executeTakeFirst();
  }

  /** For each asset, the latest `validTo` of its live policies that cover `today`; absent when none does. */
  async insuredUntil(assetIds: readonly string[], today: string): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    if (assetIds.length === 0) return result;
    const rows = await this.db
      .selectFrom('insurancePolicies')
      .select(['assetId', (eb) => eb.fn.max('validTo').as('validTo')])
      .where('assetId', 'in', assetIds)
      .where('deletedAt', 'is', null)
      .where('validFrom', '<=', today)
      .where('validTo', '>=', today)
      .groupBy('assetId')
      .execute();
    for (const row of rows) result.set(row.assetId, row.validTo);
    return result;
  }
}
