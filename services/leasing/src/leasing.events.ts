import type { ChangeAction, ChangeEvent } from '@lessor/service-kit';
import type { CalculationRow } from './calculations/calculation.repository.ts';
import type { ContractStatus } from './contracts/contract.ts';
import type { ContractRow } from './contracts/contract.repository.ts';
import type { ProductRow } from './products/product.repository.ts';

// What leasing's events carry of its rows. The use cases publish, in the transaction of the change: change
// events through `publishChange` with these snapshots, status transitions through the catalogue's definitions.

/** What another service may know of a product (the catalogue's ProductSnapshot). */
export function productSnapshot(product: ProductRow) {
  return {
    id: product.id,
    code: product.code,
    name: product.name,
    currencies: product.currencies,
    scheduleTypes: product.scheduleTypes,
    minTermMonths: product.minTermMonths,
    maxTermMonths: product.maxTermMonths,
    minRate: product.minRate,
    maxRate: product.maxRate,
    active: product.active,
  };
}

export function calculationSnapshot(calculation: CalculationRow) {
  return {
    id: calculation.id,
    productId: calculation.productId,
    scheduleType: calculation.scheduleType,
    termMonths: calculation.termMonths,
    annualRate: calculation.annualRate,
    financedAmount: { amount: calculation.financedAmount, currency: calculation.currency },
    effectiveRate: calculation.effectiveRate,
  };
}

export function contractSnapshot(contract: ContractRow) {
  return {
    id: contract.id,
    number: contract.number,
    legalEntity: contract.legalEntity,
    status: contract.status,
    partyId: contract.partyId,
    assetId: contract.assetId,
    productId: contract.productId,
    calculationId: contract.calculationId,
    currency: contract.currency,
    assetPrice: contract.assetPrice,
    advance: contract.advance,
    financedAmount: contract.financedAmount,
    residualValue: contract.residualValue,
    termMonths: contract.termMonths,
    annualRate: contract.annualRate,
    vatRate: contract.vatRate,
    penaltyRate: contract.penaltyRate,
    scheduleType: contract.scheduleType,
    startDate: contract.startDate,
    scheduleVersion: contract.scheduleVersion,
    paymentReference: contract.paymentReference,
  };
}

export function productChange(
  action: ChangeAction,
  before: ProductRow | null,
  after: ProductRow,
): ChangeEvent<ReturnType<typeof productSnapshot>> {
  return {
    entity: 'product',
    action,
    entityId: after.id,
    before: before && productSnapshot(before),
    after: productSnapshot(after),
  };
}

export function calculationChange(
  action: ChangeAction,
  before: CalculationRow | null,
  after: CalculationRow,
): ChangeEvent<ReturnType<typeof calculationSnapshot>> {
  return {
    entity: 'calculation',
    action,
    entityId: after.id,
    before: before && calculationSnapshot(before),
    after: calculationSnapshot(after),
  };
}

export function contractChange(
  action: ChangeAction,
  before: ContractRow | null,
  after: ContractRow,
): ChangeEvent<ReturnType<typeof contractSnapshot>> {
  return {
    entity: 'contract',
    action,
    entityId: after.id,
    before: before && contractSnapshot(before),
    after: contractSnapshot(after),
  };
}

/** What every transition event (approved … defaulted, restructured) carries; each type adds its own fields. */
export function transitionOf(from: ContractStatus, contract: ContractRow, businessDate: string) {
  return {
    contractId: contract.id,
    from,
    to: contract.status,
    businessDate,
    contract: contractSnapshot(contract),
  };
}

export type ContractTransition = ReturnType<typeof transitionOf>;
