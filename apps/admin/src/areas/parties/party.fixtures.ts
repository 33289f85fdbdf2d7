// A party as the parties service answers it, for the component tests (shape typed by the generated schema).
import type { Party } from './types.ts';

export function partyFixture(overrides: Partial<Party> = {}): Party {
  return {
    id: '01a2121c-0118-75d1-9fc8-92be3c6c0e05',
    kind: 'company',
    name: 'Hofmann Agrar GmbH',
    firstName: null,
    lastName: null,
    legalForm: 'GmbH',
    country: 'DE',
    externalRefs: [],
    taxId: 'DE315935770',
    registrationNumber: 'HRB 7731',
    email: 'buero@hofmann-agrar.example',
    phone: null,
    addresses: [
      { type: 'registered', line1: 'Feldweg 3', city: 'Uelzen', postalCode: '29525', country: 'DE' },
    ],
    contacts: [],
    kycStatus: 'verified',
    createdAt: '2026-11-25T09:49:14.902Z',
    createdBy: 'client:demo-sales',
    updatedAt: '2026-11-25T09:49:14.957Z',
    updatedBy: 'client:demo-risk',
    version: 2,
    deletedAt: null,
    deletedBy: null,
    ...overrides,
  };
}
