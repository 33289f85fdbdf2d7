import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository } from '@lessor/service-kit';
import type { LeasingDatabase, ProductsTable } from '../database.ts';
import type { ProductListQuery } from './product.schemas.ts';

export type ProductRow = Selectable<ProductsTable>;

/** The SQL of lease products. */
export class ProductRepository extends BusinessRepository<LeasingDatabase, 'products'> {
  constructor(db: Kysely<LeasingDatabase>) {
    super(db, 'products', {
      sortable: ['code', 'name', 'createdAt'],
      fallback: { column: 'code', direction: 'asc' },
    });
  }

  /** A product by code, case-insensitively, deleted ones included (codes stay taken). */
  findByCode(code: string): Promise<ProductRow | undefined> {
    return this.db
      .selectFrom('products')
      .selectAll()
      .where(sql`upper(code)`, '=', code.toUpperCase())
      .executeTakeFirst();
  }

  search(query: ProductListQuery) {
    return this.list(
      { deleted: query.deleted ?? 'exclude', sort: query.sort, cursor: query.cursor, limit: query.limit },
      (q) => {
        let narrowed = q;
        if (query.active !== undefined) narrowed = narrowed.where('active', '=', query.active);
        if (query.currency !== undefined)
          narrowed = narrowed.where(sql<boolean>`${query.currency} = any(currencies)`);
        return narrowed;
      },
    );
  }
}
