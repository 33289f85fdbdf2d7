import { Type } from 'typebox';
import { oneOfLiterals } from './literals.ts';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import type { PublisherOf } from './event-type.ts';
import { BusinessDate, Money } from './money.ts';

// The events of assets: the asset register (vehicles and equipment), its suppliers and insurance policies.
// An asset's status follows leasing's contract events; each status change publishes its own business event
// (reserved, leased, returned, sold, released) besides the asset's `updated` change event.

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const AssetType = oneOfLiterals(
  ['car', 'truck', 'van', 'trailer', 'construction', 'agricultural', 'medical', 'it', 'other'],
  { description: 'car, truck, van and trailer are road vehicles (they carry a VIN); the rest is equipment.' },
);

const AssetStatus = oneOfLiterals(['available', 'reserved', 'leased', 'returned', 'sold'], {
  description: 'available → reserved → leased → returned → available again, or sold.',
});

/** What another service may know of an asset. */
export const AssetSnapshot = Type.Object({
  id: Id('The asset id.'),
  type: AssetType,
  make: Type.String({ description: 'Manufacturer, e.g. `Volkswagen`.' }),
  model: Type.String({ description: 'Model, e.g. `Golf 1.5 TSI`.' }),
  vin: Nullable(Type.String({ description: 'ISO 3779 vehicle identification number (road vehicles).' })),
  serialNumber: Nullable(Type.String({ description: 'The manufacturer’s serial number (equipment).' })),
  year: Type.Integer({ description: 'Model year (vehicles) or year of manufacture (equipment).' }),
  price: Money,
  supplierId: Nullable(Id('The supplier it was bought from (in the assets service), if known.')),
  locationText: Nullable(Type.String({ description: 'Where the asset is, as free text.' })),
  status: AssetStatus,
  contractId: Nullable(
    Id('The contract that holds the asset (reserved, leased, or last returned or sold under it).'),
  ),
});

/** What another service may know of a supplier. */
export const SupplierSnapshot = Type.Object({
  id: Id('The supplier id.'),
  name: Type.String(),
  country: Type.String({ description: 'ISO 3166-1 alpha-2 country code.' }),
  taxId: Nullable(Type.String({ description: 'VAT number or other tax id, as given.' })),
  contactName: Nullable(Type.String()),
  contactEmail: Nullable(Type.String({ format: 'email' })),
  contactPhone: Nullable(Type.String()),
});

/** What another service may know of an insurance policy on an asset. */
export const InsurancePolicySnapshot = Type.Object({
  id: Id('The policy id.'),
  assetId: Id('The insured asset.'),
  insurer: Type.String(),
  policyNumber: Type.String({ description: 'The insurer’s policy number.' }),
  coverage: Type.String({ description: 'What the policy covers, as free text.' }),
  insuredAmount: Money,
  premium: Money,
  validFrom: BusinessDate('The first day covered.'),
  validTo: BusinessDate('The last day covered.'),
});

const assetChanges = defineChangeEvents({
  publisher: 'assets',
  entity: 'asset',
  snapshot: AssetSnapshot,
  description:
    'An asset is a vehicle or a piece of equipment the lessor owns and leases out. A status change publishes ' +
    'its own event (reserved, leased, returned, sold, released) besides this one.',
});
const supplierChanges = defineChangeEvents({
  publisher: 'assets',
  entity: 'supplier',
  snapshot: SupplierSnapshot,
  description: 'A supplier is a dealer or manufacturer the lessor buys assets from.',
});
const insurancePolicyChanges = defineChangeEvents({
  publisher: 'assets',
  entity: 'insurance-policy',
  snapshot: InsurancePolicySnapshot,
  description: 'An insurance policy covers one asset for a period.',
});

const StatusChange = Type.Object({
  assetId: Id('The asset.'),
  from: AssetStatus,
  to: AssetStatus,
  reason: Type.String({ description: 'Why, as the person typed it or as the contract event said.' }),
  contractId: Nullable(Id('The contract behind the change, when there is one.')),
  asset: AssetSnapshot,
});

const statusEvent = <const Verb extends 'reserved' | 'leased' | 'returned' | 'sold' | 'released'>(
  verb: Verb,
  description: string,
) =>
  defineEvent({
    type: `lessor.assets.asset.${verb}.v1`,
    publisher: 'assets' as PublisherOf<`lessor.assets.asset.${Verb}.v1`>,
    subject: 'assetId',
    description,
    data: StatusChange,
  });

/** Every event assets publishes, by name. */
export const assetsEvents = {
  assetCreated: assetChanges.created,
  assetUpdated: assetChanges.updated,
  assetDeleted: assetChanges.deleted,
  assetRestored: assetChanges.restored,
  supplierCreated: supplierChanges.created,
  supplierUpdated: supplierChanges.updated,
  supplierDeleted: supplierChanges.deleted,
  supplierRestored: supplierChanges.restored,
  insurancePolicyCreated: insurancePolicyChanges.created,
  insurancePolicyUpdated: insurancePolicyChanges.updated,
  insurancePolicyDeleted: insurancePolicyChanges.deleted,
  insurancePolicyRestored: insurancePolicyChanges.restored,

  assetReserved: statusEvent(
    'reserved',
    'Fires when an asset is reserved: by hand, or when a contract on it is signed (`contractId` says which).',
  ),
  assetLeased: statusEvent(
    'leased',
    'Fires when an asset goes out on lease: when its contract is activated (or by hand).',
  ),
  assetReturned: statusEvent(
    'returned',
    'Fires when a leased asset comes back: its contract closed without a buyout or was terminated (or by hand).',
  ),
  assetSold: statusEvent(
    'sold',
    'Fires when an asset is sold: the lessee bought it at the contract’s close, or it was sold by hand.',
  ),
  assetReleased: statusEvent(
    'released',
    'Fires when an asset becomes available again: a reservation released, or a returned asset made ready.',
  ),
};
