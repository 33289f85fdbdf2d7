import type { FieldError } from '@lessor/service-kit';
import type { MoneyValue } from '@lessor/domain-values';
import { moneyErrors } from '../money.ts';

// What an asset is, as values: its types, how it is identified, and which years and prices make sense.

export const ASSET_TYPES = [
  'car',
  'truck',
  'van',
  'trailer',
  'construction',
  'agricultural',
  'medical',
  'it',
  'other',
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** Road vehicles carry a VIN (ISO 3779, trailers included); everything else is identified by a serial number. */
export const VEHICLE_TYPES: ReadonlySet<AssetType> = new Set(['car', 'truck', 'van', 'trailer']);

export const ASSET_STATUSES = ['available', 'reserved', 'leased', 'returned', 'sold'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** The oldest asset a lessor finances: older ones are collectors' items, valued and insured otherwise. */
export const EARLIEST_YEAR = 1950;

/**
 * ISO 3779: 17 characters, digits and capital letters except I, O and Q (they read as 1 and 0). The check
 * digit in position 9 is a North-American rule; European and other VINs put any character there, so it is
 * not checked — a check would refuse valid VINs.
 */
export const VIN_REGEX = /^[A-HJ-NPR-Z0-9]{17}$/;
/** The same rule as a JSON Schema `pattern`. */
export const VIN_PATTERN = VIN_REGEX.source;

/** The fields that decide whether an asset is well formed, beyond what each field's schema checks. */
export interface AssetFacts {
  type: AssetType;
  vin: string | null;
  serialNumber: string | null;
  year: number;
  price: MoneyValue;
}

/**
 * What is wrong with an asset as a whole, as field errors under `/body`: a vehicle needs its VIN and no serial
 * number, equipment the reverse; the year runs up to next year (model years are sold a year ahead); the
 * price is above zero in a known currency with no more decimals than it has.
 */
export function assetErrors(asset: AssetFacts, today: Date): FieldError[] {
  const errors: FieldError[] = [];
  if (VEHICLE_TYPES.has(asset.type)) {
    if (asset.vin === null) errors.push({ field: '/body/vin', message: `is required for a ${asset.type}` });
    if (asset.serialNumber !== null) {
      errors.push({
        field: '/body/serialNumber',
        message: `must be left out for a ${asset.type}: it is identified by its VIN`,
      });
    }
  } else {
    if (asset.serialNumber === null) {
      errors.push({ field: '/body/serialNumber', message: `is required for ${asset.type} equipment` });
    }
    if (asset.vin !== null) {
      errors.push({ field: '/body/vin', message: `must be left out for ${asset.type} equipment` });
    }
  }
  const latestYear = today.getUTCFullYear() + 1;
  if (asset.year < EARLIEST_YEAR || asset.year > latestYear) {
    errors.push({ field: '/body/year', message: `must be between ${EARLIEST_YEAR} and ${latestYear}` });
  }
  errors.push(...moneyErrors(asset.price, '/body/price', 'positive'));
  return errors;
}
