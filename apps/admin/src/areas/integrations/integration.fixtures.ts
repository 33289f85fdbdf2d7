// Answers as the integration service gives them, for the component tests (shapes typed by the generated schema).
import type {
  Conflict,
  Connector,
  ExportEntry,
  OutboundEntry,
  Reconciliation,
  Run,
  RunRecord,
} from './types.ts';

export const CONNECTOR_ID = '01a2121c-7a00-7000-8000-00000000c001';
export const RUN_ID = '01a2121c-7a00-7000-8000-0000000000a1';
export const PARTY_ID = '01a2121c-0b47-734c-b282-896b5c32110a';

export function connectorFixture(overrides: Partial<Connector> = {}): Connector {
  return {
    id: CONNECTOR_ID,
    name: 'Dynamics Sales',
    kind: 'crm',
    protocol: 'odata-v4',
    baseUrl: 'https://crm.example.com/api/data/v9.2/',
    auth: {
      kind: 'oauth2',
      tokenUrl: 'https://login.example.com/oauth2/token',
      clientId: 'lessor',
    },
    credentialsSet: true,
    mapping: { preset: 'dynamics' },
    schedule: '*/15 * * * *',
    enabled: true,
    watermark: '2026-11-25T09:00:00.000Z',
    nextRunAt: '2026-11-25T09:15:00.000Z',
    lastRun: null,
    createdAt: '2026-11-20T08:00:00.000Z',
    createdBy: 'client:admin',
    updatedAt: '2026-11-20T08:00:00.000Z',
    updatedBy: 'client:admin',
    version: 4,
    deletedAt: null,
    deletedBy: null,
    ...overrides,
  };
}

export function runFixture(overrides: Partial<Run> = {}): Run {
  return {
    id: RUN_ID,
    connectorId: CONNECTOR_ID,
    mode: 'full',
    trigger: 'manual',
    status: 'running',
    startedBy: '01a2121c-0d46-73c8-8906-818e447dc3f7',
    queuedAt: '2026-11-25T09:00:00.000Z',
    startedAt: '2026-11-25T09:00:01.000Z',
    heartbeatAt: '2026-11-25T09:00:05.000Z',
    finishedAt: null,
    attempts: 1,
    watermarkFrom: null,
    watermarkTo: null,
    total: 4000,
    percent: 25,
    pages: 1,
    read: 1000,
    created: 990,
    updated: 0,
    unchanged: 0,
    conflicts: 6,
    duplicates: 3,
    errors: 1,
    error: null,
    ...overrides,
  };
}

export function runRecordFixtures(): RunRecord[] {
  return [
    {
      seq: 1,
      remoteId: 'ACC-0001',
      outcome: 'created',
      partyId: PARTY_ID,
      reason: null,
      recordedAt: '2026-11-25T09:00:02.000Z',
    },
    {
      seq: 2,
      remoteId: 'ACC-0002',
      outcome: 'conflict',
      partyId: PARTY_ID,
      reason: 'taxId differs: Lessor keeps DE811907980, the CRM has DE136695976',
      recordedAt: '2026-11-25T09:00:02.000Z',
    },
    {
      seq: 3,
      remoteId: 'ACC-0003',
      outcome: 'error',
      partyId: null,
      reason: 'country: "Germany" is not an ISO country code',
      recordedAt: '2026-11-25T09:00:02.000Z',
    },
  ];
}

export function conflictFixture(overrides: Partial<Conflict> = {}): Conflict {
  return {
    id: '01a2121c-7a00-7000-8000-0000000c0f01',
    connectorId: CONNECTOR_ID,
    remoteId: 'ACC-0002',
    partyId: PARTY_ID,
    field: 'taxId',
    lessorValue: 'DE811907980',
    crmValue: 'DE136695976',
    status: 'open',
    runId: RUN_ID,
    raisedAt: '2026-11-25T09:00:02.000Z',
    updatedAt: '2026-11-25T09:00:02.000Z',
    resolvedAt: null,
    resolvedBy: null,
    ...overrides,
  };
}

export function outboundFixture(overrides: Partial<OutboundEntry> = {}): OutboundEntry {
  return {
    id: '01a2121c-7a00-7000-8000-00000000b001',
    eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
    eventType: 'lessor.leasing.contract.signed.v1',
    contractId: '01a2121c-1984-748d-8f27-81a7259b1ad4',
    contractNumber: 'LC-2026-000042',
    contractStatus: 'signed',
    statusDate: '2026-11-25',
    partyId: PARTY_ID,
    connectorId: CONNECTOR_ID,
    remoteId: 'ACC-0001',
    status: 'updated',
    fields: { new_lessorcontract: 'LC-2026-000042', new_lessorstatus: 'signed' },
    attempts: 1,
    httpStatus: null,
    reason: null,
    etag: 'W/"123457"',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:01.000Z',
    ...overrides,
  };
}

export function exportFixture(overrides: Partial<ExportEntry> = {}): ExportEntry {
  return {
    entryId: '01a2121c-7a00-7000-8000-00000000e001',
    legalEntity: 'LESSOR',
    entryDate: '2026-11-25',
    kind: 'event',
    description: 'Invoice 2026-000123',
    sourceEventType: 'lessor.billing.invoice.issued.v1',
    reversesEntryId: null,
    status: 'refused',
    connectorId: '01a2121c-7a00-7000-8000-00000000c002',
    attempts: 1,
    receivedAt: '2026-11-25T10:00:00.000Z',
    firstSentAt: '2026-11-25T10:00:01.000Z',
    lastSentAt: '2026-11-25T10:00:01.000Z',
    nextAttemptAt: '2026-11-25T10:00:01.000Z',
    acknowledgedAt: null,
    acknowledgedAs: null,
    refusedAt: '2026-11-25T10:00:01.000Z',
    refusal: 'Account 8400 is not open',
    lastError: null,
    lines: [
      {
        lineNo: 1,
        accountCode: '1200',
        accountName: 'Receivables',
        side: 'debit',
        amount: '1190.00',
        currency: 'EUR',
        counterpartyId: PARTY_ID,
        contractId: null,
      },
      {
        lineNo: 2,
        accountCode: '8400',
        accountName: 'Lease income',
        side: 'credit',
        amount: '1190.00',
        currency: 'EUR',
        counterpartyId: PARTY_ID,
        contractId: null,
      },
    ],
    ...overrides,
  };
}

export function reconciliationFixture(): Reconciliation {
  const counts = { posted: 12, sent: 12, acknowledged: 11, refused: 1, pending: 0 };
  return {
    from: '2026-11-01',
    to: '2026-11-30',
    legalEntity: null,
    ...counts,
    totals: [],
    periods: [
      {
        period: '2026-11',
        ...counts,
        refusals: [
          {
            entryId: '01a2121c-7a00-7000-8000-00000000e001',
            entryDate: '2026-11-25',
            reason: 'Account 8400 is not open',
            refusedAt: '2026-11-25T10:00:01.000Z',
          },
        ],
        totals: [],
      },
    ],
  };
}
