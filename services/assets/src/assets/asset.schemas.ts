import {
  AuditFields,
  BusinessListQuery,
  ListQuery,
  PageOf,
  Type,
  Uuid,
  type Static,
} from '@lessor/service-kit';
import { MoneyInput, MoneyOutput } from '../money.schemas.ts';
import { EARLIEST_YEAR, VIN_PATTERN } from './asset.ts';

export const AssetType = Type.Union(
  [
    Type.Literal('car'),
    Type.Literal('truck'),
    Type.Literal('van'),
    Type.Literal('trailer'),
    Type.Literal('construction'),
    Type.Literal('agricultural'),
    Type.Literal('medical'),
    Type.Literal('it'),
    Type.Literal('other'),
  ],
  { description: 'car, truck, van and trailer are vehicles (VIN); the rest is equipment (serial number).' },
);
export const AssetStatus = Type.Union(
  [
    Type.Literal('available'),
    Type.Literal('reserved'),
    Type.Literal('leased'),
    Type.Literal('returned'),
    Type.Literal('sold'),
  ],
  { description: 'available → reserved → leased → returned → available, or sold.' },
);

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });
const Vin = Type.String({
  pattern: VIN_PATTERN,
  description:
    'ISO 3779: 17 capital letters and digits, no I, O or Q. The North-American check digit is not checked.',
});
const SerialNumber = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9]([A-Za-z0-9 ./_-]*[A-Za-z0-9])?$',
  description: 'The manufacturer’s serial number; unique within the make.',
});
const Year = Type.Integer({
  minimum: EARLIEST_YEAR,
  maximum: 2100,
  description: `Model year or year of manufacture, ${EARLIEST_YEAR} to next year.`,
});
// In request bodies Null comes first in a union: the kit's Ajv coerces types, and a string branch tried first
// would turn null into "".
const LocationText = Type.String({ maxLength: 500, description: 'Where the asset is, as free text.' });

export const Asset = Type.Object({
  id: Uuid,
  type: AssetType,
  make: Type.String(),
  model: Type.String(),
  vin: Type.Union([Type.String(), Type.Null()]),
  serialNumber: Type.Union([Type.String(), Type.Null()]),
  year: Type.Integer(),
  price: MoneyOutput,
  supplierId: Type.Union([Uuid, Type.Null()]),
  locationText: Type.Union([Type.String(), Type.Null()]),
  status: AssetStatus,
  statusChangedAt: Type.String({ format: 'date-time' }),
  contractId: Type.Union([Uuid, Type.Null()], {
    description: 'The contract holding the asset (reserved, leased, or last returned or sold under it).',
  }),
  insuredUntil: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
    description: 'The latest end of the live policies covering today (UTC); null when none does.',
  }),
  ...AuditFields,
});
export type Asset = Static<typeof Asset>;
export const AssetList = PageOf(Asset);

export const CreateAsset = Type.Object(
  {
    type: AssetType,
    make: Text(100, 'Manufacturer, e.g. Volkswagen.'),
    model: Text(100),
    vin: Type.Optional(Vin),
    serialNumber: Type.Optional(SerialNumber),
    year: Year,
    price: MoneyInput,
    supplierId: Type.Optional(Type.Union([Type.Null(), Uuid])),
    locationText: Type.Optional(Type.Union([Type.Null(), LocationText])),
  },
  { additionalProperties: false },
);
export type CreateAsset = Static<typeof CreateAsset>;

export const UpdateAsset = Type.Object(
  {
    type: Type.Optional(AssetType),
    make: Type.Optional(Text(100)),
    model: Type.Optional(Text(100)),
    vin: Type.Optional(Type.Union([Type.Null(), Vin])),
    serialNumber: Type.Optional(Type.Union([Type.Null(), SerialNumber])),
    year: Type.Optional(Year),
    price: Type.Optional(MoneyInput),
    supplierId: Type.Optional(Type.Union([Type.Null(), Uuid])),
    locationText: Type.Optional(Type.Union([Type.Null(), LocationText])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAsset = Static<typeof UpdateAsset>;

export const AssetListQuery = BusinessListQuery(
  ['createdAt', 'updatedAt', 'make', 'model', 'year', 'status'],
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Part of make, model, VIN or serial number.',
      }),
    ),
    status: Type.Optional(AssetStatus),
    type: Type.Optional(AssetType),
    supplierId: Type.Optional(Uuid),
    insured: Type.Optional(
      Type.Boolean({ description: 'true: a live policy covers today (UTC); false: none does.' }),
    ),
  },
);
export type AssetListQuery = Static<typeof AssetListQuery>;

export const ChangeStatus = Type.Object(
  {
    status: AssetStatus,
    reason: Text(500, 'Why, in a sentence; kept in the status history.'),
  },
  { additionalProperties: false },
);
export type ChangeStatus = Static<typeof ChangeStatus>;

export const StatusChange = Type.Object({
  id: Uuid,
  assetId: Uuid,
  from: Type.Union([AssetStatus, Type.Null()], { description: 'Null on the registration row.' }),
  to: AssetStatus,
  reason: Type.String(),
  contractId: Type.Union([Uuid, Type.Null()]),
  eventId: Type.Union([Uuid, Type.Null()], {
    description: 'The contract event that made the change; null for a change made by hand.',
  }),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
});
export type StatusChange = Static<typeof StatusChange>;
export const StatusHistory = PageOf(StatusChange);
export const StatusHistoryQuery = Type.Object({ ...ListQuery.properties }, { additionalProperties: false });

export const AssetSummary = Type.Object(
  {
    id: Uuid,
    type: AssetType,
    make: Type.String(),
    model: Type.String(),
    vin: Type.Union([Type.String(), Type.Null()]),
    serialNumber: Type.Union([Type.String(), Type.Null()]),
    year: Type.Integer(),
    status: AssetStatus,
  },
  { description: 'What another service needs to name an asset and check it is free.' },
);
export type AssetSummary = Static<typeof AssetSummary>;

export const SummaryHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'The ETag of a cached summary.' })),
});
