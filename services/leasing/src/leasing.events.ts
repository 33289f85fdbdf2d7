import { leasingEvents } from '@lessor/event-catalog';
import type { EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { CalculationRow } from './calculations/calculation.repository.ts';
import type { ContractRow } from './contracts/contract.repository.ts';
import type { ProductRow } from './products/product.repository.ts';

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
    status: contract.status as 'draft',
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

type Action = 'created' | 'updated' | 'deleted' | 'restored';
type TransitionEvent = keyof typeof leasingEvents &
  `contract${'Approved' | 'Rejected' | 'Signed' | 'Activated' | 'Restructured' | 'Terminated' | 'Closed' | 'Defaulted'}`;

/** leasing's publishing, one method per kind of fact, always inside the transaction of the change. */
export class LeasingEvents {
  constructor(private readonly events: ServiceEvents) {}

  productChanged(trx: EventTransaction, action: Action, before: ProductRow | null, after: ProductRow) {
    return this.events.publishChange(trx, {
      entity: 'product',
      action,
      entityId: after.id,
      before: before && productSnapshot(before),
      after: productSnapshot(after),
    });
  }

  calculationChanged(
    trx: EventTransaction,
    action: Action,
    before: CalculationRow | null,
    after: CalculationRow,
  ) {
    return this.events.publishChange(trx, {
      entity: 'calculation',
      action,
      entityId: after.id,
      before: before && calculationSnapshot(before),
      after: calculationSnapshot(after),
    });
  }

  contractChanged(trx: EventTransaction, action: Action, before: ContractRow | null, after: ContractRow) {
    return this.events.publishChange(trx, {
      entity: 'contract',
      action,
      entityId: after.id,
      before: before && contractSnapshot(before),
      after: contractSnapshot(after),
    });
  }

  /** A status transition (or a restructuring), with the fields its event type adds. */
  contractTransitioned(
    trx: EventTransaction,
    event: TransitionEvent,
    from: string,
    contract: ContractRow,
    businessDate: string,
    extra: Record<string, unknown> = {},
  ) {
    return this.events.publish(trx, {
      type: leasingEvents[event].type,
      subject: contract.id,
      data: {
        contractId: contract.id,
        from,
        to: contract.status,
        businessDate,
        contract: contractSnapshot(contract),
        ...extra,
      },
    });
  }
}
