import { describe, expect, it } from 'vitest';
import { MAPPING_PRESETS } from '../connectors/mapping.ts';
import { CrmRecordError, readCrmAccount } from './crm-account.ts';

const dynamics = MAPPING_PRESETS.dynamics.inbound!;
const sap = MAPPING_PRESETS['sap-business-partner'].inbound!;

const ACCOUNT = {
  accountid: '00000000-0000-4000-8001-000000000001',
  name: ' Account 00001 GmbH ',
  new_legalform: 'GmbH',
  new_taxid: 'DE136695976',
  new_registrationnumber: 'HRB 000001',
  emailaddress1: 'info@account-00001.example',
  telephone1: '+49 30 0000001',
  address1_line1: 'Hauptstraße 1',
  address1_city: 'Berlin',
  address1_postalcode: '10000',
  address1_country: 'de',
  modifiedon: '2026-01-01T00:00:00.000Z',
};

describe('readCrmAccount', () => {
  it('should read a Dynamics account with its own address fields and its contacts from another entity set', () => {
    const account = readCrmAccount(ACCOUNT, dynamics, [
      { firstname: 'Anna', lastname: 'Schmidt', emailaddress1: 'anna@x.example', telephone1: '+49 170 1' },
      { firstname: null, lastname: null },
    ]);
    expect(account.remoteId).toBe(ACCOUNT.accountid);
    expect(account.modifiedAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(account.snapshot).toEqual({
      kind: 'company',
      name: 'Account 00001 GmbH',
      firstName: null,
      lastName: null,
      legalForm: 'GmbH',
      taxId: 'DE136695976',
      country: 'DE',
      registrationNumber: 'HRB 000001',
      email: 'info@account-00001.example',
      phone: '+49 30 0000001',
      addresses: [
        { type: 'registered', line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10000', country: 'DE' },
      ],
      contacts: [{ name: 'Anna Schmidt', email: 'anna@x.example', phone: '+49 170 1' }],
    });
  });

  it('should read an SAP person from its category, its tax number and address rows, and a v2 date', () => {
    const account = readCrmAccount(
      {
        BusinessPartner: '1000010',
        BusinessPartnerCategory: '1',
        BusinessPartnerFullName: 'Hugo Koch',
        FirstName: 'Hugo',
        LastName: 'Koch',
        LegalForm: '01',
        LastChangeDate: '/Date(1767225600000+0000)/',
        to_BusinessPartnerAddress: [
          {
            StreetName: 'Hauptstraße',
            HouseNumber: '10',
            PostalCode: '10009',
            CityName: 'Amsterdam',
            Country: 'NL',
            EmailAddress: 'contact@partner-00010.example',
            PhoneNumber: '+49 40 0000010',
          },
        ],
        to_BusinessPartnerTax: [{ BPTaxType: 'NL0', BPTaxNumber: 'NL004495445B01' }],
      },
      sap,
    );
    expect(account.modifiedAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(account.snapshot).toMatchObject({
      kind: 'person',
      name: 'Hugo Koch',
      firstName: 'Hugo',
      lastName: 'Koch',
      // A person has no legal form in parties: the CRM's is left out.
      legalForm: null,
      taxId: 'NL004495445B01',
      country: 'NL',
      email: 'contact@partner-00010.example',
      phone: '+49 40 0000010',
      addresses: [
        {
          type: 'registered',
          line1: 'Hauptstraße 10',
          city: 'Amsterdam',
          postalCode: '10009',
          country: 'NL',
        },
      ],
    });
  });

  it('should leave out an incomplete address and refuse a record without a key or a modified time', () => {
    const partial = readCrmAccount({ ...ACCOUNT, address1_city: null }, dynamics);
    expect(partial.snapshot.addresses).toEqual([]);
    expect(partial.snapshot.country).toBe('DE');
    expect(() => readCrmAccount({ ...ACCOUNT, accountid: null }, dynamics)).toThrow(CrmRecordError);
    expect(() => readCrmAccount({ ...ACCOUNT, modifiedon: 'yesterday' }, dynamics)).toThrow(
      /modifiedon is not a date/,
    );
  });
});
