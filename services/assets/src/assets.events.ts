import { assetsEvents } from '@lessor/event-catalog';
import type { ChangeAction, EventTransaction, ServiceEvents } from '@lessor/service-kit';
import { STATUS_EVENT_VERB } from './assets/asset-status.ts';
import type { AssetStatus } from './assets/asset.ts';
import type { AssetRow } from './assets/asset.repository.ts';
import type { InsurancePolicyRow } from './insurance/insurance-policy.repository.ts';
import { money } from '@lessor/domain-values';
import type { SupplierRow } from './suppliers/supplier.repository.ts';

/**
 * What assets tells the rest of Lessor, always from inside the transaction of the change (through the
 * outbox). Snapshots list their fields one by one: a column added later does not leak into events unseen.
 */
export function assetSnapshot(asset: AssetRow) {
  return {
    id: asset.id,
    type: asset.type,
    make: asset.make,
    model: asset.model,
    vin: asset.vin,
    serialNumber: asset.serialNumber,
    year: asset.year,
    price: money(asset.priceAmount, asset.priceCurrency),
    supplierId: asset.supplierId,
    locationText: asset.locationText,
    status: asset.status,
    contractId: asset.contractId,
  };
}

export function supplierSnapshot(supplier: SupplierRow) {
  return {
    id: supplier.id,
    name: supplier.name,
    country: supplier.country,
    taxId: supplier.taxId,
    contactName: supplier.contactName,
    contactEmail: supplier.contactEmail,
    contactPhone: supplier.contactPhone,
  };
}

export function insurancePolicySnapshot(policy: InsurancePolicyRow) {
  return {
    id: policy.id,
    assetId: policy.assetId,
    insurer: policy.insurer,
    policyNumber: policy.policyNumber,
    coverage: policy.coverage,
    insuredAmount: money(policy.insuredAmount, policy.insuredCurrency),
    premium: money(policy.premiumAmount, policy.premiumCurrency),
    validFrom: policy.validFrom,
    validTo: policy.validTo,
  };
}

const STATUS_EVENTS = {
  released: assetsEvents.assetReleased,
  reserved: assetsEvents.assetReserved,
  leased: assetsEvents.assetLeased,
  returned: assetsEvents.assetReturned,
  sold: assetsEvents.assetSold,
} as const;

/**
 * The publishing of assets where it makes a snapshot from a row: the change events of each business object,
 * and the status event (chosen by the status reached). Use cases read as what happened.
 */
export class AssetsEvents {
  constructor(private readonly events: ServiceEvents) {}

  assetChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: AssetRow | null,
    after: AssetRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'asset',
      action,
      entityId: after.id,
      before: before && assetSnapshot(before),
      after: assetSnapshot(after),
      actor,
    });
  }

  supplierChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: SupplierRow | null,
    after: SupplierRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'supplier',
      action,
      entityId: after.id,
      before: before && supplierSnapshot(before),
      after: supplierSnapshot(after),
      actor,
    });
  }

  insurancePolicyChanged(
    trx: EventTransaction,
    action: ChangeAction,
    before: InsurancePolicyRow | null,
    after: InsurancePolicyRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'insurance-policy',
      action,
      entityId: after.id,
      before: before && insurancePolicySnapshot(before),
      after: insurancePolicySnapshot(after),
      actor,
    });
  }

  /** `lessor.assets.asset.<reserved|leased|returned|sold|released>.v1`, named by the status reached. */
  statusChanged(
    trx: EventTransaction,
    change: { from: AssetStatus; reason: string; contractId: string | null; asset: AssetRow },
    actor: string,
  ) {
    return this.events.publish(trx, STATUS_EVENTS[STATUS_EVENT_VERB[change.asset.status]], {
      data: {
        assetId: change.asset.id,
        from: change.from,
        to: change.asset.status,
        reason: change.reason,
        contractId: change.contractId,
        asset: assetSnapshot(change.asset),
      },
      actor,
    });
  }
}
