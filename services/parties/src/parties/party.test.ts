import { describe, expect, it } from 'vitest';
import { canChangeKyc, prepareParty } from './party.ts';

describe('prepareParty', () => {
  it('should normalise the tax id and phones and trim names when the fields are valid', () => {
    const prepared = prepareParty('company', {
      name: '  Acme GmbH ',
      country: 'DE',
      taxId: '136 695 976',
      phone: '+49 30-1234567',
      contacts: [{ name: 'Eva', phone: '+49 170 1234567' }],
    });
    expect(prepared).toEqual({
      ok: true,
      fields: {
        name: 'Acme GmbH',
        country: 'DE',
        taxId: 'DE136695976',
        phone: '+49301234567',
        contacts: [{ name: 'Eva', phone: '+491701234567' }],
      },
    });
  });

  it('should name every field that breaks a rule when several do', () => {
    const prepared = prepareParty('person', {
      name: 'Anna',
      legalForm: 'GmbH',
      country: 'ZZ',
      taxId: 'whatever',
      addresses: [{ type: 'billing', line1: 'x', city: 'y', postalCode: '1', country: 'EU' }],
    });
    expect(prepared.ok).toBe(false);
    // The tax id cannot be judged without a country, so only the country is named for it.
    expect(!prepared.ok && prepared.errors.map((error) => error.field).sort()).toEqual([
      '/body/addresses/0/country',
      '/body/country',
      '/body/legalForm',
    ]);
  });

  it('should re-check the stored tax id when an update moves the party to another country', () => {
    const stored = { country: 'DE', taxId: 'DE136695976' };
    const moved = prepareParty('company', { country: 'FR' }, stored);
    expect(!moved.ok && moved.errors).toEqual([
      {
        field: '/body/taxId',
        message:
          'DE136695976 is a VAT number of DE, not of FR; send a tax id of FR (or null) with the new country',
      },
    ]);
    expect(prepareParty('company', { country: 'FR', taxId: null }, stored)).toEqual({
      ok: true,
      fields: { country: 'FR', taxId: null },
    });
    // An update that leaves country and tax id alone does not judge them again.
    expect(prepareParty('company', { email: 'a@b.example' }, { country: 'DE', taxId: 'DE000' }).ok).toBe(
      true,
    );
  });

  it('should refuse first and last names on a company and accept them on a person', () => {
    const company = prepareParty('company', { lastName: 'Smith' });
    expect(!company.ok && company.errors.map((error) => error.field)).toEqual(['/body/lastName']);
    expect(prepareParty('person', { firstName: 'Ann', lastName: 'Smith' }).ok).toBe(true);
  });
});

describe('canChangeKyc', () => {
  it.each([
    ['pending', 'verified'],
    ['pending', 'rejected'],
    ['verified', 'expired'],
    ['expired', 'verified'],
    ['rejected', 'pending'],
  ] as const)('should allow %s → %s', (from, to) => {
    expect(canChangeKyc(from, to)).toBe(true);
  });

  it.each([
    ['rejected', 'verified'],
    ['pending', 'expired'],
    ['verified', 'verified'],
    ['pending', 'pending'],
  ] as const)('should refuse %s → %s', (from, to) => {
    expect(canChangeKyc(from, to)).toBe(false);
  });
});
