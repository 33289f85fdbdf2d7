// Answers as the services give them, for the component tests (shapes typed by the generated schemas).
import { assetFixture } from '../assets/asset.fixtures.ts';
import { partyFixture } from '../parties/party.fixtures.ts';
import type { Contract, ContractCardData, Schedule, TerminationQuote } from './types.ts';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

export const AUTHOR = '01a2121b-0000-7000-8000-000000000001';
export const APPROVER = '01a2121b-0000-7000-8000-000000000002';

export function contractFixture(overrides: Partial<Contract> = {}): Contract {
  return {
    id: '01a2121c-1984-748d-8f27-81a7259b1ad4',
    number: 'LC-LESSOR-2026-000003',
    legalEntity: 'LESSOR',
    status: 'draft',
    party: {
      id: '01a2121c-0118-75d1-9fc8-92be3c6c0e05',
      name: 'Hofmann Agrar GmbH',
      asOf: '2026-11-02T09:14:00.000Z',
      stale: true,
      reason: 'as stored on the contract',
    },
    asset: {
      id: '01a2121c-0896-76ac-8f90-317be322ffae',
      name: 'Fendt 724 Vario (FEN724V2601187)',
      asOf: '2026-11-02T09:14:00.000Z',
      stale: true,
      reason: 'as stored on the contract',
    },
    productId: '01a2121b-fb1b-7720-85b5-efa6bcc90255',
    calculationId: '01a2121c-2bd8-7658-8f62-6ec7b29e326e',
    assetPrice: eur('186000.00'),
    advance: eur('37200.00'),
    financedAmount: eur('118800.00'),
    residualValue: eur('30000.00'),
    termMonths: 60,
    annualRate: '5.9',
    vatRate: '19',
    penaltyRate: '0.05',
    scheduleType: 'annuity',
    startDate: '2027-01-01',
    scheduleVersion: 1,
    paymentReference: 'LCLESSOR20260000031234',
    approvedBy: null,
    approvedByName: null,
    approvedAt: null,
    createdByName: 'Anna Author',
    editors: [],
    statusReason: null,
    statusChangedAt: null,
    createdAt: '2026-11-25T09:49:16.818Z',
    createdBy: AUTHOR,
    updatedAt: '2026-11-25T09:49:16.818Z',
    updatedBy: AUTHOR,
    version: 1,
    deletedAt: null,
    deletedBy: null,
    ...overrides,
  };
}

export function cardFixture(overrides: Partial<ContractCardData> = {}): ContractCardData {
  const contract = contractFixture({ status: 'active' });
  return {
    id: contract.id,
    contract,
    party: partyFixture({
      id: contract.party.id,
      addresses: [],
      createdBy: AUTHOR,
      updatedBy: AUTHOR,
    }),
    asset: assetFixture({
      id: contract.asset.id,
      contractId: contract.id,
      createdBy: AUTHOR,
      updatedBy: AUTHOR,
    }),
    schedule: {
      version: 1,
      installments: 60,
      effectiveRate: '5.360623',
      firstDueDate: '2027-02-01',
      lastDueDate: '2032-01-01',
      nextInstallment: { n: 1, dueDate: '2027-02-01', payment: eur('1180.74'), vat: eur('224.34') },
      totals: scheduleFixture().totals,
    },
    parts: {
      contract: { status: 'ok' },
      party: { status: 'ok' },
      asset: { status: 'ok' },
      schedule: { status: 'ok' },
    },
    ...overrides,
  };
}

export function scheduleFixture(): Schedule {
  return {
    contractId: '01a2121c-1984-748d-8f27-81a7259b1ad4',
    version: 1,
    effectiveFrom: '2027-01-01',
    effectiveRate: '5.360623',
    schedule: [
      {
        n: 1,
        dueDate: '2027-02-01',
        payment: eur('1180.74'),
        principal: eur('596.64'),
        interest: eur('584.10'),
        vat: eur('224.34'),
        balance: eur('118203.36'),
      },
      {
        n: 2,
        dueDate: '2027-03-01',
        payment: eur('1180.74'),
        principal: eur('599.57'),
        interest: eur('581.17'),
        vat: eur('224.34'),
        balance: eur('117603.79'),
      },
    ],
    totals: {
      payments: eur('141688.37'),
      principal: eur('118800.00'),
      interest: eur('22888.37'),
      vat: eur('26920.79'),
      paymentsWithVat: eur('168609.16'),
      fees: eur('1395.00'),
      advance: eur('37200.00'),
      residualValue: eur('30000.00'),
      totalCost: eur('210283.37'),
    },
  };
}

export function quoteFixture(): TerminationQuote {
  return {
    id: '01a2121d-0000-7000-8000-00000000000a',
    contractId: '01a2121c-1984-748d-8f27-81a7259b1ad4',
    scheduleVersion: 1,
    terminationDate: '2027-06-30',
    validUntil: '2027-07-14',
    remainingPrincipal: eur('115201.06'),
    accruedInterest: eur('283.22'),
    fee: eur('3456.03'),
    feeVat: eur('656.65'),
    overdue: eur('0.00'),
    total: eur('119596.96'),
    executedAt: null,
    createdAt: '2027-06-20T10:00:00.000Z',
    createdBy: AUTHOR,
  };
}
