import { describe, expect, it } from 'vitest';
import {
  ODataConflictError,
  ODataNotFoundError,
  ODataRefusedError,
  ODataUnavailableError,
} from '../odata/index.ts';
import {
  failureKind,
  holdsFields,
  isSuperseded,
  outboundFields,
  remoteKey,
  type ContractChange,
} from './outbound.ts';

const change: ContractChange = {
  eventId: '0193a1b2-0000-7000-8000-000000000001',
  eventType: 'lessor.leasing.contract.activated.v1',
  contractId: '0193a1b2-0000-7000-8000-000000000002',
  contractNumber: 'LC-2026-000042',
  contractStatus: 'active',
  statusDate: '2026-01-31',
  partyId: '0193a1b2-0000-7000-8000-000000000003',
  attempt: 1,
};

const dynamics = {
  entitySet: 'accounts',
  key: 'account' as const,
  fields: {
    contractNumber: 'new_lessorcontract',
    status: 'new_lessorstatus',
    statusDate: 'new_lessorstatusdate',
  },
};

describe('outboundFields', () => {
  it('should write the number, the status and midnight UTC of the business date by the mapping’s names', () => {
    expect(outboundFields(change, dynamics, 'v4')).toEqual({
      new_lessorcontract: 'LC-2026-000042',
      new_lessorstatus: 'active',
      new_lessorstatusdate: '2026-01-31T00:00:00.000Z',
    });
    expect(outboundFields(change, dynamics, 'v2').new_lessorstatusdate).toBe(
      `/Date(${Date.UTC(2026, 0, 31)})/`,
    );
  });

  it('should leave the date out when the mapping has no field for it', () => {
    const sap = {
      entitySet: 'A_BusinessPartner',
      key: 'account' as const,
      fields: { contractNumber: 'C', status: 'S' },
    };
    expect(outboundFields(change, sap, 'v2')).toEqual({ C: 'LC-2026-000042', S: 'active' });
  });
});

describe('holdsFields', () => {
  const fields = outboundFields(change, dynamics, 'v4');

  it('should find a record holding the fields, timestamps compared as instants', () => {
    expect(
      holdsFields(
        {
          new_lessorcontract: 'LC-2026-000042',
          new_lessorstatus: 'active',
          new_lessorstatusdate: '2026-01-31T00:00:00Z',
        },
        fields,
      ),
    ).toBe(true);
    expect(
      holdsFields({ A: `/Date(${Date.UTC(2026, 0, 31)}+0060)/` }, { A: '2026-01-31T00:00:00.000Z' }),
    ).toBe(true);
  });

  it('should find a record that differs in any field, or lacks one', () => {
    expect(holdsFields({ ...fields, new_lessorstatus: 'signed' }, fields)).toBe(false);
    expect(holdsFields({ ...fields, new_lessorstatusdate: '2026-02-01T00:00:00Z' }, fields)).toBe(false);
    expect(holdsFields({ new_lessorcontract: 'LC-2026-000042', new_lessorstatus: 'active' }, fields)).toBe(
      false,
    );
    expect(holdsFields({ ...fields, new_lessorcontract: null }, fields)).toBe(false);
  });
});

describe('isSuperseded', () => {
  it('should hold back a status when a later one of the contract was applied', () => {
    expect(isSuperseded({ ...change, contractStatus: 'signed' }, ['active'])).toBe(true);
    expect(isSuperseded({ ...change, contractStatus: 'active' }, ['terminated'])).toBe(true);
  });

  it('should let a status through after earlier ones, or the same again', () => {
    expect(isSuperseded({ ...change, contractStatus: 'terminated' }, ['signed', 'active'])).toBe(false);
    expect(isSuperseded(change, ['active'])).toBe(false);
    expect(isSuperseded(change, [])).toBe(false);
  });
});

describe('failureKind', () => {
  const init = { message: 'x', status: 400, operation: 'update' };

  it('should call a refusal by the CRM refused, and an outage or a conflict failed', () => {
    expect(failureKind(new ODataRefusedError(init))).toBe('refused');
    expect(failureKind(new ODataNotFoundError({ ...init, status: 404 }))).toBe('refused');
    expect(failureKind(new ODataUnavailableError({ ...init, status: 503 }))).toBe('failed');
    expect(failureKind(new ODataConflictError({ ...init, status: 412 }))).toBe('failed');
    expect(failureKind(new Error('a bug'))).toBe('failed');
  });
});

describe('remoteKey', () => {
  it('should key a GUID as an Edm.Guid and anything else as a string', () => {
    expect(remoteKey('0193A1B2-0000-7000-8000-000000000001')).toEqual({
      guid: '0193A1B2-0000-7000-8000-000000000001',
    });
    expect(remoteKey('1000001')).toBe('1000001');
  });
});
