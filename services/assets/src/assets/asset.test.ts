import { describe, expect, it } from 'vitest';
import { ASSET_STATUSES, ASSET_TYPES, assetErrors, VIN_REGEX, type AssetFacts } from './asset.ts';
import { AssetStatus, AssetType } from './asset.schemas.ts';

const today = new Date('2026-06-01T00:00:00Z');
const car: AssetFacts = {
  type: 'car',
  vin: 'WVWZZZ1KZAW000001',
  serialNumber: null,
  year: 2025,
  price: { amount: '25000.00', currency: 'EUR' },
};
const fields = (facts: AssetFacts) => assetErrors(facts, today).map((error) => error.field);

describe('assetErrors', () => {
  it('should find nothing when a vehicle has its VIN and equipment its serial number', () => {
    expect(assetErrors(car, today)).toEqual([]);
    expect(
      assetErrors({ ...car, type: 'construction', vin: null, serialNumber: 'CAT320-0042' }, today),
    ).toEqual([]);
  });

  it('should name the missing identifier when a vehicle lacks its VIN or equipment its serial', () => {
    expect(fields({ ...car, vin: null })).toEqual(['/body/vin']);
    expect(fields({ ...car, type: 'medical', vin: null })).toEqual(['/body/serialNumber']);
  });

  it('should name the extra identifier when both a VIN and a serial number are given', () => {
    expect(fields({ ...car, serialNumber: 'X-1' })).toEqual(['/body/serialNumber']);
    expect(fields({ ...car, type: 'it', serialNumber: 'X-1' })).toEqual(['/body/vin']);
  });

  it('should name the year when it is before 1950 or after next year', () => {
    expect(fields({ ...car, year: 1900 })).toEqual(['/body/year']);
    expect(fields({ ...car, year: 2028 })).toEqual(['/body/year']);
    expect(fields({ ...car, year: 2027 })).toEqual([]);
  });

  it('should name the price when it is negative or in an unknown currency', () => {
    expect(fields({ ...car, price: { amount: '-1.00', currency: 'EUR' } })).toEqual(['/body/price/amount']);
    expect(fields({ ...car, price: { amount: '1.00', currency: 'ABC' } })).toEqual(['/body/price/currency']);
  });
});

describe('VIN_REGEX', () => {
  const vin = VIN_REGEX;
  it('should accept 17 characters of the VIN alphabet, whatever position 9 holds', () => {
    expect(vin.test('WVWZZZ1KZAW000001')).toBe(true);
    expect(vin.test('1HGCM82633A004352')).toBe(true);
  });

  it.each([
    'WVWZZZ1KZAW00000',
    'WVWZZZ1KZAW0000011',
    'WVWZZZ1KZAI000001',
    'WVWZZZ1KZAO000001',
    'wvwzzz1kzaw000001',
  ])('should refuse %s when it breaks ISO 3779', (candidate) => {
    expect(vin.test(candidate)).toBe(false);
  });
});

describe('the asset schemas', () => {
  it('should offer exactly the domain’s types and statuses when a request names one', () => {
    const literals = (union: { anyOf: { const: string }[] }) => union.anyOf.map((member) => member.const);
    expect(literals(AssetType as never)).toEqual([...ASSET_TYPES]);
    expect(literals(AssetStatus as never)).toEqual([...ASSET_STATUSES]);
  });
});
