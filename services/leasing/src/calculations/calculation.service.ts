import type { Kysely } from 'kysely';
import { kitErrors, type ServiceEvents } from '@lessor/service-kit';
import { calculateSchedule, LeaseTermsError, type LeaseSchedule } from '@lessor/lease-math';
import type { LeasingDatabase } from '../database.ts';
import { leasingErrors } from '../leasing.errors.ts';
import { calculationChange } from '../leasing.events.ts';
import { ProductRepository } from '../products/product.repository.ts';
import { CalculationRepository, type CalculationRow } from './calculation.repository.ts';
import type { CalculationListQuery, CalculationRequest } from './calculation.schemas.ts';
import { fieldErrorsOf, leaseTermsOf } from './lease-terms.ts';

/** Calculations: a lease's terms in, its whole schedule out, saved so a contract can be made from it. */
export class CalculationService {
  constructor(
    private readonly db: Kysely<LeasingDatabase>,
    private readonly events: ServiceEvents,
  ) {}

  list(query: CalculationListQuery) {
    return new CalculationRepository(this.db).search(query);
  }

  async get(id: string, includeDeleted = false): Promise<CalculationRow> {
    const calculation = await new CalculationRepository(this.db).find(id, { includeDeleted });
    if (!calculation) throw kitErrors.create.NOT_FOUND(`No calculation ${id}`);
    return calculation;
  }

  async create(request: CalculationRequest, actor: string): Promise<CalculationRow> {
    const product = request.productId
      ? await new ProductRepository(this.db).find(request.productId)
      : undefined;
    if (request.productId && !product)
      throw leasingErrors.create.REFERENCE_NOT_FOUND(`No product ${request.productId}`, {
        errors: [{ field: '/body/productId', message: 'no such product' }],
      });
    if (product && !product.active)
      throw leasingErrors.create.PRODUCT_INACTIVE(`Product ${product.code} takes no new calculations`, {
        errors: [{ field: '/body/productId', message: 'the product is inactive' }],
      });
    const { terms, errors } = leaseTermsOf(request, product);
    let schedule: LeaseSchedule | undefined;
    try {
      schedule = calculateSchedule(terms);
    } catch (error) {
      if (!(error instanceof LeaseTermsError)) throw error;
      errors.push(
        ...fieldErrorsOf(error).filter((issue) => !errors.some((known) => known.field === issue.field)),
      );
    }
    if (errors.length > 0 || !schedule)
      throw leasingErrors.create.LEASE_TERMS_INVALID('The lease cannot be calculated with these terms', {
        errors: errors.map((error) => ({ ...error, field: `/body${error.field}` })),
      });
    const calculated = schedule;
    return this.db.transaction().execute(async (trx) => {
      const calculation = await new CalculationRepository(trx).insert(
        {
          productId: product?.id ?? null,
          currency: calculated.currency,
          scheduleType: calculated.scheduleType,
          termMonths: calculated.termMonths,
          annualRate: calculated.annualRate,
          financedAmount: calculated.financedAmount,
          effectiveRate: calculated.effectiveRate,
          terms: JSON.stringify(terms),
          schedule: JSON.stringify(calculated),
        },
        actor,
      );
      await this.events.publishChange(trx, calculationChange('created', null, calculation));
      return calculation;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<CalculationRow> {
    return this.db.transaction().execute(async (trx) => {
      const calculations = new CalculationRepository(trx);
      const before = await calculations.find(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No calculation ${id}`);
      const after = await calculations.softDelete(id, version, actor);
      await this.events.publishChange(trx, calculationChange('deleted', before, after));
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<CalculationRow> {
    return this.db.transaction().execute(async (trx) => {
      const calculations = new CalculationRepository(trx);
      const before = await calculations.find(id, { includeDeleted: true });
      if (!before) throw kitErrors.create.NOT_FOUND(`No calculation ${id}`);
      const after = await calculations.restore(id, actor);
      await this.events.publishChange(trx, calculationChange('restored', before, after));
      return after;
    });
  }
}
