import type { Kysely } from 'kysely';
import { Decimal } from 'decimal.js';
import { kitErrors, type FieldError, type ServiceEvents } from '@lessor/service-kit';
import type { LeasingDatabase } from '../database.ts';
import { leasingErrors } from '../leasing.errors.ts';
import { productChange } from '../leasing.events.ts';
import { ProductRepository, type ProductRow } from './product.repository.ts';
import type { CreateProduct, ProductListQuery, UpdateProduct } from './product.schemas.ts';

/** Lease products: the frame (terms, rates, currencies, schedule types) a calculation must fit. */
export class ProductService {
  constructor(
    private readonly db: Kysely<LeasingDatabase>,
    private readonly events: ServiceEvents,
  ) {}

  list(query: ProductListQuery) {
    return new ProductRepository(this.db).search(query);
  }

  async get(id: string, includeDeleted = false): Promise<ProductRow> {
    const product = await new ProductRepository(this.db).find(id, { includeDeleted });
    if (!product) throw kitErrors.create.NOT_FOUND(`No product ${id}`);
    return product;
  }

  async create(input: CreateProduct, actor: string): Promise<ProductRow> {
    const values = {
      code: input.code,
      name: input.name,
      description: input.description ?? '',
      currencies: input.currencies,
      scheduleTypes: input.scheduleTypes,
      minTermMonths: input.minTermMonths,
      maxTermMonths: input.maxTermMonths,
      minRate: input.minRate,
      maxRate: input.maxRate,
      maxAdvancePercent: input.maxAdvancePercent ?? '50',
      maxResidualPercent: input.maxResidualPercent ?? '50',
      fees: JSON.stringify(input.fees ?? []),
      penaltyRate: input.penaltyRate ?? '0.05',
      active: input.active ?? true,
    };
    assertConsistent(values);
    return this.db.transaction().execute(async (trx) => {
      const products = new ProductRepository(trx);
      if (await products.findByCode(input.code))
        throw leasingErrors.create.PRODUCT_CODE_TAKEN(`Product ${input.code} exists`);
      const product = await products.insert(values, actor);
      await this.events.publishChange(trx, productChange('created', null, product));
      return product;
    });
  }

  async update(id: string, version: number, changes: UpdateProduct, actor: string): Promise<ProductRow> {
    return this.db.transaction().execute(async (trx) => {
      const products = new ProductRepository(trx);
      const before = await products.find(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No product ${id}`);
      const { fees, ...rest } = changes;
      assertConsistent({ ...before, ...rest });
      const after = await products.update(
        id,
        version,
        { ...rest, ...(fees === undefined ? {} : { fees: JSON.stringify(fees) }) },
        actor,
      );
      await this.events.publishChange(trx, productChange('updated', before, after));
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<ProductRow> {
    return this.db.transaction().execute(async (trx) => {
      const products = new ProductRepository(trx);
      const before = await products.find(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No product ${id}`);
      const after = await products.softDelete(id, version, actor);
      await this.events.publishChange(trx, productChange('deleted', before, after));
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<ProductRow> {
    return this.db.transaction().execute(async (trx) => {
      const products = new ProductRepository(trx);
      const before = await products.find(id, { includeDeleted: true });
      if (!before) throw kitErrors.create.NOT_FOUND(`No product ${id}`);
      const after = await products.restore(id, actor);
      await this.events.publishChange(trx, productChange('restored', before, after));
      return after;
    });
  }
}

/** Ranges must be ranges: the lower bound at most the upper one, named by field when not. */
function assertConsistent(product: {
  minTermMonths: number;
  maxTermMonths: number;
  minRate: string;
  maxRate: string;
}): void {
  const errors: FieldError[] = [];
  if (product.minTermMonths > product.maxTermMonths)
    errors.push({ field: '/body/maxTermMonths', message: 'must be at least minTermMonths' });
  if (new Decimal(product.minRate).gt(product.maxRate))
    errors.push({ field: '/body/maxRate', message: 'must be at least minRate' });
  if (errors.length > 0)
    throw leasingErrors.create.LEASE_TERMS_INVALID('The product’s ranges are inverted', { errors });
}
