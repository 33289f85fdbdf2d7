import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { AssetsDatabase } from '../database.ts';
import type { AssetsEvents } from '../assets.events.ts';
import { isCountryCode } from '@lessor/reference-data';
import { SupplierRepository, type SupplierRow } from './supplier.repository.ts';
import type { CreateSupplier, SupplierListQuery, UpdateSupplier } from './supplier.schemas.ts';

/**
 * Suppliers: the dealers and manufacturers assets are bought from. Deleting one keeps its assets' reference
 * (history stays true); a deleted supplier just cannot be given to an asset any more.
 */
export class SupplierService {
  constructor(
    private readonly db: Kysely<AssetsDatabase>,
    private readonly events: AssetsEvents,
  ) {}

  list(query: SupplierListQuery) {
    return new SupplierRepository(this.db).search(query);
  }

  async get(id: string, includeDeleted = false): Promise<SupplierRow> {
    return this.#find(new SupplierRepository(this.db), id, includeDeleted);
  }

  async create(input: CreateSupplier, actor: string): Promise<SupplierRow> {
    refuseUnknownCountry(input.country);
    return this.db.transaction().execute(async (trx) => {
      const supplier = await new SupplierRepository(trx).insert(
        {
          name: input.name.trim(),
          country: input.country,
          taxId: input.taxId ?? null,
          contactName: input.contactName ?? null,
          contactEmail: input.contactEmail ?? null,
          contactPhone: input.contactPhone ?? null,
        },
        actor,
      );
      await this.events.supplierChanged(trx, 'created', null, supplier, actor);
      return supplier;
    });
  }

  async update(id: string, version: number, changes: UpdateSupplier, actor: string): Promise<SupplierRow> {
    if (changes.country !== undefined) refuseUnknownCountry(changes.country);
    return this.db.transaction().execute(async (trx) => {
      const suppliers = new SupplierRepository(trx);
      const before = await this.#find(suppliers, id);
      const after = await suppliers.update(
        id,
        version,
        { ...changes, ...(changes.name === undefined ? {} : { name: changes.name.trim() }) },
        actor,
      );
      await this.events.supplierChanged(trx, 'updated', before, after, actor);
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<SupplierRow> {
    return this.db.transaction().execute(async (trx) => {
      const suppliers = new SupplierRepository(trx);
      const before = await this.#find(suppliers, id);
      const after = await suppliers.softDelete(id, version, actor);
      await this.events.supplierChanged(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<SupplierRow> {
    return this.db.transaction().execute(async (trx) => {
      const suppliers = new SupplierRepository(trx);
      const before = await this.#find(suppliers, id, true);
      const after = await suppliers.restore(id, actor);
      await this.events.supplierChanged(trx, 'restored', before, after, actor);
      return after;
    });
  }

  async #find(suppliers: SupplierRepository, id: string, includeDeleted = false): Promise<SupplierRow> {
    const supplier = await suppliers.find(id, { includeDeleted });
    if (!supplier) throw kitErrors.create.NOT_FOUND(`No supplier ${id}`);
    return supplier;
  }
}

function refuseUnknownCountry(country: string): void {
  if (!isCountryCode(country)) {
    throw kitErrors.create.VALIDATION_FAILED('1 field(s) failed validation', {
      errors: [{ field: '/body/country', message: 'is not an assigned ISO 3166-1 alpha-2 code' }],
    });
  }
}
