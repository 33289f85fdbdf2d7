import type { Kysely, Selectable } from 'kysely';
import { BusinessRepository, type ListFilter } from '@lessor/service-kit';
import type { AssetsDatabase, SuppliersTable } from '../database.ts';

export type SupplierRow = Selectable<SuppliersTable>;

/** The SQL of suppliers. */
export class SupplierRepository extends BusinessRepository<AssetsDatabase, 'suppliers'> {
  constructor(db: Kysely<AssetsDatabase>) {
    super(db, 'suppliers', {
      sortable: ['name', 'createdAt'],
      fallback: { column: 'name', direction: 'asc' },
    });
  }

  /** Suppliers matching a search in name or tax id, and a country. */
  async search(filter: ListFilter & { q?: string; country?: string }) {
    return this.list(filter, (query) => {
      let narrowed = query;
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        narrowed = narrowed.where((eb) =>
          eb.or([eb('name', 'ilike', pattern), eb('taxId', 'ilike', pattern)]),
        );
      }
      if (filter.country) narrowed = narrowed.where('country', '=', filter.country);
      return narrowed;
    });
  }
}
