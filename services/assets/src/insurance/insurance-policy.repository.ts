import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, paginate, type ListFilter, type Page } from '@lessor/service-kit';
import type { AssetsDatabase, InsurancePoliciesTable } from '../database.ts';

export type InsurancePolicyRow = Selectable<InsurancePoliciesTable>;

export interface ExpiringFilter {
  /** `YYYY-MM-DD`: policies whose last day is before this one. */
  expiringBefore: string;
  /** `YYYY-MM-DD`: policies that ended before today are left out unless `includeExpired`. */
  today: string;
  includeExpired: boolean;
  limit: number;
  cursor?: string;
}

/** The SQL of insurance policies. */
export class InsurancePolicyRepository extends BusinessRepository<AssetsDatabase, 'insurancePolicies'> {
  constructor(db: Kysely<AssetsDatabase>) {
    super(db, 'insurancePolicies', {
      sortable: ['validFrom', 'validTo', 'createdAt'],
      fallback: { column: 'validFrom', direction: 'desc' },
    });
  }

  listOfAsset(assetId: string, filter: ListFilter) {
    return this.list(filter, (query) => query.where('assetId', '=', assetId));
  }

  /** The policy of this asset with this id (a deleted one when asked for). */
  async findOfAsset(
    assetId: string,
    id: string,
    includeDeleted = false,
  ): Promise<InsurancePolicyRow | undefined> {
    const policy = await this.find(id, { includeDeleted });
    return policy?.assetId === assetId ? policy : undefined;
  }

  /** The live policy of this insurer (regardless of case) with this number, other than `exceptId`. */
  async findLiveByNumber(
    insurer: string,
    policyNumber: string,
    exceptId?: string,
  ): Promise<InsurancePolicyRow | undefined> {
    let query = this.db
      .selectFrom('insurancePolicies')
      .selectAll()
      .where(sql`lower(insurer)`, '=', insurer.toLowerCase())
      .where('policyNumber', '=', policyNumber)
      .where('deletedAt', 'is', null);
    if (exceptId) query = query.where('id', '!=', exceptId);
    return query.executeTakeFirst();
  }

  /**
   * The renewal worklist: live policies ending before `expiringBefore`, soonest first, of live assets not sold,
   * and not yet renewed — a policy is renewed when a later-ending live policy covers the same asset.
   */
  async expiring(filter: ExpiringFilter): Promise<Page<InsurancePolicyRow>> {
    let query = this.db
      .selectFrom('insurancePolicies')
      .selectAll()
      .where('deletedAt', 'is', null)
      .where('validTo', '<', filter.expiringBefore)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('assets')
            .select('assets.id')
            .whereRef('assets.id', '=', 'insurancePolicies.assetId')
            .where('assets.deletedAt', 'is', null)
            .where('assets.status', '!=', 'sold'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('insurancePolicies as later')
              .select('later.id')
              .whereRef('later.assetId', '=', 'insurancePolicies.assetId')
              .whereRef('later.validTo', '>', 'insurancePolicies.validTo')
              .where('later.deletedAt', 'is', null),
          ),
        ),
      );
    if (!filter.includeExpired) query = query.where('validTo', '>=', filter.today);
    return paginate(query, {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: { column: 'validTo', direction: 'asc' },
    });
  }
}
