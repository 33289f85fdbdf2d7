import { describe, expect, it } from 'vitest';
import type { CrmSnapshot } from './crm-account.ts';
import { newParty, planPartyUpdate, type PartyView } from './reconcile.ts';

const REF = { system: 'crm:c1', id: 'A-1' };

const CRM: CrmSnapshot = {
  kind: 'company',
  name: 'Acme GmbH',
  firstName: null,
  lastName: null,
  legalForm: 'GmbH',
  taxId: '136695976',
  country: 'DE',
  registrationNumber: 'HRB 1',
  email: 'office@acme.example',
  phone: '+49 30 1234567',
  addresses: [
    { type: 'registered', line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  ],
  contacts: [{ name: 'Eva Braun', email: 'eva@acme.example' }],
};

const PARTY: PartyView = {
  id: 'p1',
  version: 3,
  kind: 'company',
  name: 'Acme GmbH',
  firstName: null,
  lastName: null,
  legalForm: 'GmbH',
  country: 'DE',
  taxId: 'DE136695976',
  registrationNumber: 'HRB 1',
  email: 'office@acme.example',
  phone: '+49301234567',
  addresses: [...CRM.addresses],
  contacts: [...CRM.contacts],
  externalRefs: [REF],
};

describe('planPartyUpdate', () => {
  it('should change nothing when the CRM says what the party holds (tax id and phone as parties writes them)', () => {
    expect(planPartyUpdate(PARTY, CRM, null, REF)).toEqual({ changes: {}, conflicts: [] });
  });

  it('should let the CRM win for contact data and keep a billing address set in Lessor', () => {
    const billing = {
      type: 'billing',
      line1: 'Postfach 1',
      city: 'Berlin',
      postalCode: '10001',
      country: 'DE',
    };
    const party = { ...PARTY, addresses: [...PARTY.addresses, billing] };
    const crm = {
      ...CRM,
      email: 'new@acme.example',
      addresses: [{ ...CRM.addresses[0]!, line1: 'Neue Straße 2' }],
    };
    const plan = planPartyUpdate(party, crm, CRM, REF);
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes).toEqual({
      email: 'new@acme.example',
      addresses: [crm.addresses[0], billing],
    });
  });

  it('should raise a conflict for a field Lessor keeps, and not change it', () => {
    const plan = planPartyUpdate(PARTY, { ...CRM, name: 'Acme Holding GmbH', legalForm: 'AG' }, CRM, REF);
    expect(plan.changes).toEqual({});
    expect(plan.conflicts).toEqual([
      { field: 'name', lessorValue: 'Acme GmbH', crmValue: 'Acme Holding GmbH' },
      { field: 'legalForm', lessorValue: 'GmbH', crmValue: 'AG' },
    ]);
  });

  it('should raise nothing for a difference the CRM did not change since the last sync', () => {
    // Lessor renamed the party; the CRM still says what it said: no conflict, no change.
    const renamed = { ...PARTY, name: 'Acme Maschinenbau GmbH' };
    expect(planPartyUpdate(renamed, CRM, CRM, REF)).toEqual({ changes: {}, conflicts: [] });
    // Lessor changed the e-mail; the CRM did not: the party keeps its own.
    expect(planPartyUpdate({ ...PARTY, email: 'kyc@acme.example' }, CRM, CRM, REF).changes).toEqual({});
  });

  it('should add the reference to a party matched by tax id', () => {
    const plan = planPartyUpdate({ ...PARTY, externalRefs: [] }, CRM, null, REF);
    expect(plan.changes).toEqual({ externalRefs: [REF] });
  });
});

describe('newParty', () => {
  it('should send what the CRM gives, its reference, and no empty field', () => {
    expect(newParty({ ...CRM, registrationNumber: null, contacts: [] }, REF)).toEqual({
      kind: 'company',
      name: 'Acme GmbH',
      country: 'DE',
      legalForm: 'GmbH',
      taxId: '136695976',
      email: 'office@acme.example',
      phone: '+49 30 1234567',
      addresses: CRM.addresses,
      externalRefs: [REF],
    });
  });
});
