// Answers as the assets service gives them, for the component tests (shapes typed by the generated schema).
import type { Asset, AssetListItem, InsurancePolicy } from './types.ts';

export function assetFixture(overrides: Partial<Asset> = {}): Asset {
  return {
    id: '01a2121c-0896-76ac-8f90-317be322ffae',
    type: 'agricultural',
    make: 'Fendt',
    model: '724 Vario',
    vin: null,
    serialNumber: 'FEN724V2601187',
    year: 2026,
    price: { amount: '186000.00', currency: 'EUR' },
    supplierId: null,
    locationText: 'Uelzen',
    status: 'leased',
    statusChangedAt: '2026-11-25T09:49:21.505Z',
    contractId: '01a2121c-1984-748d-8f27-81a7259b1ad4',
    insuredUntil: '2027-01-31',
    createdAt: '2026-11-25T09:49:16.818Z',
    createdBy: 'client:demo-sales',
    updatedAt: '2026-11-25T09:49:21.505Z',
    updatedBy: 'client:demo-sales',
    version: 3,
    deletedAt: null,
    deletedBy: null,
    ...overrides,
  };
}

export function assetListFixture(): AssetListItem[] {
  return [
    assetFixture(),
    assetFixture({
      id: '01a2121c-0b47-734c-b282-896b5c32110a',
      type: 'van',
      make: 'Renault',
      model: 'Master L3H2',
      vin: 'VF1MA000468123456',
      serialNumber: null,
      price: { amount: '44900.00', currency: 'EUR' },
      status: 'available',
      contractId: null,
      insuredUntil: null,
    }),
  ];
}

export function policyFixture(): InsurancePolicy {
  return {
    id: '01a2121c-0900-7000-8000-000000000001',
    assetId: '01a2121c-0896-76ac-8f90-317be322ffae',
    insurer: 'R+V Allgemeine Versicherung AG',
    policyNumber: 'RV-LW-55120873',
    coverage: 'Machinery breakdown and theft',
    insuredAmount: { amount: '186000.00', currency: 'EUR' },
    premium: { amount: '2150.00', currency: 'EUR' },
    validFrom: '2026-02-01',
    validTo: '2027-01-31',
    createdAt: '2026-11-25T09:49:16.818Z',
    createdBy: 'client:demo-sales',
    updatedAt: '2026-11-25T09:49:16.818Z',
    updatedBy: 'client:demo-sales',
    version: 1,
    deletedAt: null,
    deletedBy: null,
  };
}
