import type { Kysely, Selectable } from 'kysely';
import { BusinessRepository } from '@lessor/service-kit';
import type { CalculationsTable, LeasingDatabase } from '../database.ts';
import type { CalculationListQuery } from './calculation.schemas.ts';

export type CalculationRow = Selectable<CalculationsTable>;

/** The SQL of saved calculations. */
export class CalculationRepository extends BusinessRepository<LeasingDatabase, 'calculations'> {
  constructor(db: Kysely<LeasingDatabase>) {
    super(db, 'calculations', {
      sortable: ['createdAt'],
      fallback: { column: 'createdAt', direction: 'desc' },
    });
  }

  search(query: CalculationListQuery) {
    return this.list(
      { deleted: query.deleted ?? 'exclude', sort: query.sort, cursor: query.cursor, limit: query.limit },
      (q) => (query.productId === undefined ? q : q.where('productId', '=', query.productId)),
    );
  }
}
