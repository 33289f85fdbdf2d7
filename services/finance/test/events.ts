import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { billingEvents, leasingEvents, type EventDataOf } from '@lessor/event-catalog';

/** Test data shaped as leasing's and billing's events carry it (every field the catalogue asks for). */

export const LEGAL_ENTITY = 'LESSOR';

export interface TestInstallment {
  n: number;
  dueDate: string;
  payment: string;
  principal: string;
  interest: string;
  vat: string;
  balance: string;
}

export interface TestLease {
  id: string;
  number: string;
  partyId: string;
  currency: string;
  assetPrice: string;
  advance: string;
  financedAmount: string;
  residualValue: string;
  startDate: string;
  installments: TestInstallment[];
}

const addMonths = (date: string, months: number) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const total = year * 12 + (month - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-${String(Math.min(day, 28)).padStart(2, '0')}`;
};

/**
 * A lease with a simple schedule: equal principal parts (the last takes the cents left), interest at a monthly
 * rate on the balance, each rounded half-up to cents; the balance after the last installment is the residual.
 */
export function aLease(
  options: {
    financed?: string;
    residual?: string;
    advance?: string;
    months?: number;
    monthlyRatePercent?: string;
    startDate?: string;
    currency?: string;
    partyId?: string;
  } = {},
): TestLease {
  const financed = new Decimal(options.financed ?? '12000.00');
  const residual = new Decimal(options.residual ?? '3000.00');
  const months = options.months ?? 6;
  const rate = new Decimal(options.monthlyRatePercent ?? '0.5').dividedBy(100);
  const startDate = options.startDate ?? '2026-01-15';
  const part = financed.minus(residual).dividedBy(months).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  let balance = financed;
  const installments: TestInstallment[] = [];
  for (let n = 1; n <= months; n++) {
    const principal = n === months ? balance.minus(residual) : part;
    const interest = balance.times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    balance = balance.minus(principal);
    const payment = principal.plus(interest);
    installments.push({
      n,
      dueDate: addMonths(startDate, n),
      payment: payment.toFixed(2),
      principal: principal.toFixed(2),
      interest: interest.toFixed(2),
      vat: payment.times('0.19').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      balance: balance.toFixed(2),
    });
  }
  const id = randomUUID();
  return {
    id,
    number: `LC-LESSOR-2026-${id.slice(0, 6)}`,
    partyId: options.partyId ?? randomUUID(),
    currency: options.currency ?? 'EUR',
    assetPrice: financed.plus(options.advance ?? '1000.00').toFixed(2),
    advance: new Decimal(options.advance ?? '1000.00').toFixed(2),
    financedAmount: financed.toFixed(2),
    residualValue: residual.toFixed(2),
    startDate,
    installments,
  };
}

const sum = (values: string[]) =>
  values.reduce((total, value) => total.plus(value), new Decimal(0)).toFixed(2);

export function scheduleOf(lease: TestLease, version = 1, effectiveFrom = lease.startDate) {
  return {
    version,
    effectiveFrom,
    currency: lease.currency,
    installments: lease.installments,
    totals: {
      payments: sum(lease.installments.map((i) => i.payment)),
      principal: sum(lease.installments.map((i) => i.principal)),
      interest: sum(lease.installments.map((i) => i.interest)),
      vat: sum(lease.installments.map((i) => i.vat)),
    },
  };
}

type Contract = EventDataOf<typeof leasingEvents.contractActivated>['contract'];

function contractSnapshot(lease: TestLease, status: Contract['status']): Contract {
  return {
    id: lease.id,
    number: lease.number,
    legalEntity: LEGAL_ENTITY,
    status,
    partyId: lease.partyId,
    assetId: randomUUID(),
    productId: randomUUID(),
    calculationId: randomUUID(),
    currency: lease.currency,
    assetPrice: lease.assetPrice,
    advance: lease.advance,
    financedAmount: lease.financedAmount,
    residualValue: lease.residualValue,
    termMonths: lease.installments.length,
    annualRate: '6.00',
    vatRate: '19.00',
    penaltyRate: '0.05',
    scheduleType: 'annuity',
    startDate: lease.startDate,
    scheduleVersion: 1,
    paymentReference: `LCLESSOR${lease.number.slice(-6)}42`,
  };
}

/** The events finance consumes, by the names the tests use. */
export const EVENTS = {
  activated: leasingEvents.contractActivated,
  restructured: leasingEvents.contractRestructured,
  terminated: leasingEvents.contractTerminated,
  closed: leasingEvents.contractClosed,
  invoiceIssued: billingEvents.invoiceIssued,
  paymentReceived: billingEvents.paymentReceived,
  paymentMatched: billingEvents.paymentMatched,
  paymentAllocated: billingEvents.paymentAllocated,
  penaltyCharged: billingEvents.penaltyCharged,
  creditNoteIssued: billingEvents.creditNoteIssued,
} as const;

/** The data of one of those events, as the catalogue types it. */
export type DataOf<Name extends keyof typeof EVENTS> = EventDataOf<(typeof EVENTS)[Name]>;

export function activated(lease: TestLease, businessDate = lease.startDate): DataOf<'activated'> {
  return {
    contractId: lease.id,
    from: 'signed',
    to: 'active',
    businessDate,
    contract: contractSnapshot(lease, 'active'),
    schedule: scheduleOf(lease),
  };
}

export function restructured(
  lease: TestLease,
  next: TestInstallment[],
  effectiveFrom: string,
  businessDate: string,
  /** Leasing numbers a contract's schedule versions in order: the first restructuring makes version 2. */
  version = 2,
): DataOf<'restructured'> {
  const changed = { ...lease, installments: next };
  return {
    contractId: lease.id,
    from: 'active',
    to: 'active',
    businessDate,
    contract: { ...contractSnapshot(lease, 'active'), scheduleVersion: version },
    schedule: scheduleOf(changed, version, effectiveFrom),
  };
}

export function terminated(
  lease: TestLease,
  settlement: { terminationDate: string; remainingPrincipal: string; accruedInterest: string; fee: string },
  businessDate = settlement.terminationDate,
): DataOf<'terminated'> {
  const money = (amount: string) => ({ amount, currency: lease.currency });
  const feeVat = new Decimal(settlement.fee).times('0.19').toFixed(2);
  return {
    contractId: lease.id,
    from: 'active',
    to: 'terminated',
    businessDate,
    contract: contractSnapshot(lease, 'terminated'),
    settlement: {
      terminationDate: settlement.terminationDate,
      remainingPrincipal: money(settlement.remainingPrincipal),
      accruedInterest: money(settlement.accruedInterest),
      fee: money(settlement.fee),
      feeVat: money(feeVat),
      overdue: money('0.00'),
      total: money(
        new Decimal(settlement.remainingPrincipal)
          .plus(settlement.accruedInterest)
          .plus(settlement.fee)
          .plus(feeVat)
          .toFixed(2),
      ),
    },
  };
}

/** The contract ran its term and ends: the lessee bought the asset (`buyout`) or returned it. */
export function closed(
  lease: TestLease,
  buyout: boolean,
  businessDate = lease.installments.at(-1)!.dueDate,
): DataOf<'closed'> {
  return {
    contractId: lease.id,
    from: 'active',
    to: 'closed',
    businessDate,
    contract: contractSnapshot(lease, 'closed'),
    buyout,
  };
}

/**
 * The installments of a lease re-priced from installment `fromN` at another monthly rate (a restructuring that
 * changes the rate): the same principal parts and due dates, the interest recomputed on each balance and
 * rounded half-up to cents as `aLease` does.
 */
export function repriced(lease: TestLease, fromN: number, monthlyRatePercent: string): TestInstallment[] {
  const rate = new Decimal(monthlyRatePercent).dividedBy(100);
  return lease.installments.map((installment) => {
    if (installment.n < fromN) return installment;
    const balanceBefore = new Decimal(installment.balance).plus(installment.principal);
    const interest = balanceBefore.times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const payment = interest.plus(installment.principal);
    return {
      ...installment,
      interest: interest.toFixed(2),
      payment: payment.toFixed(2),
      vat: payment.times('0.19').toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    };
  });
}

export type InvoiceKind = DataOf<'invoiceIssued'>['kind'];

export function invoiceIssued(
  lease: TestLease,
  kind: InvoiceKind,
  amounts: { principal?: string; interest?: string; fees?: string; vat?: string },
  options: { issueDate?: string; installment?: number | null; invoiceId?: string } = {},
): DataOf<'invoiceIssued'> {
  const principal = amounts.principal ?? '0.00';
  const interest = amounts.interest ?? '0.00';
  const fees = amounts.fees ?? '0.00';
  const vat = amounts.vat ?? '0.00';
  const invoiceId = options.invoiceId ?? randomUUID();
  return {
    invoiceId,
    number: `INV-LESSOR-2026-${invoiceId.slice(0, 6)}`,
    kind,
    legalEntity: LEGAL_ENTITY,
    contractId: lease.id,
    partyId: lease.partyId,
    installment: options.installment ?? null,
    issueDate: options.issueDate ?? lease.startDate,
    dueDate: options.issueDate ?? lease.startDate,
    currency: lease.currency,
    amounts: {
      principal,
      interest,
      fees,
      vat,
      total: new Decimal(principal).plus(interest).plus(fees).plus(vat).toFixed(2),
    },
  };
}

/** The installment invoice billing issues for installment n of the lease. */
export function installmentInvoice(lease: TestLease, n: number) {
  const line = lease.installments[n - 1]!;
  return invoiceIssued(
    lease,
    'installment',
    { principal: line.principal, interest: line.interest, vat: line.vat },
    { issueDate: line.dueDate, installment: n },
  );
}

export function paymentReceived(
  lease: TestLease | null,
  amount: string,
  valueDate: string,
  options: { paymentId?: string; currency?: string } = {},
): DataOf<'paymentReceived'> {
  return {
    paymentId: options.paymentId ?? randomUUID(),
    legalEntity: LEGAL_ENTITY,
    contractId: lease?.id ?? null,
    partyId: lease?.partyId ?? null,
    valueDate,
    reference: lease ? `LCLESSOR${lease.number.slice(-6)}42` : 'UNKNOWN-REF',
    currency: options.currency ?? lease?.currency ?? 'EUR',
    amount,
    source: 'import' as const,
  };
}

export function paymentMatched(
  lease: TestLease,
  paymentId: string,
  amount: string,
  matchDate: string,
): DataOf<'paymentMatched'> {
  return {
    paymentId,
    legalEntity: LEGAL_ENTITY,
    contractId: lease.id,
    partyId: lease.partyId,
    matchDate,
    currency: lease.currency,
    amount,
  };
}

export function paymentAllocated(
  lease: TestLease,
  invoiceId: string,
  total: string,
  valueDate: string,
): DataOf<'paymentAllocated'> {
  return {
    allocationId: randomUUID(),
    paymentId: randomUUID(),
    invoiceId,
    legalEntity: LEGAL_ENTITY,
    contractId: lease.id,
    partyId: lease.partyId,
    valueDate,
    currency: lease.currency,
    amounts: { penalty: '0.00', interest: '0.00', principal: total, fees: '0.00', vat: '0.00', total },
  };
}

export function penaltyCharged(
  lease: TestLease,
  invoiceId: string,
  amount: string,
  chargeDate: string,
): DataOf<'penaltyCharged'> {
  return {
    penaltyId: randomUUID(),
    invoiceId,
    legalEntity: LEGAL_ENTITY,
    contractId: lease.id,
    partyId: lease.partyId,
    chargeDate,
    daysOverdue: 5,
    currency: lease.currency,
    amount,
  };
}

/**
 * The credit note billing issues on an invoice (as built by `invoiceIssued`): the whole invoice unless `amounts`
 * names what is credited; all of it settles the invoice unless `appliedToInvoice` says less (the rest becomes
 * the client's credit).
 */
export function creditNoteIssued(
  invoice: DataOf<'invoiceIssued'>,
  options: {
    amounts?: { principal?: string; interest?: string; fees?: string; vat?: string };
    issueDate?: string;
    appliedToInvoice?: string;
  } = {},
): DataOf<'creditNoteIssued'> {
  const credited = options.amounts ?? invoice.amounts;
  const principal = credited.principal ?? '0.00';
  const interest = credited.interest ?? '0.00';
  const fees = credited.fees ?? '0.00';
  const vat = credited.vat ?? '0.00';
  const total = new Decimal(principal).plus(interest).plus(fees).plus(vat).toFixed(2);
  const appliedToInvoice = options.appliedToInvoice ?? total;
  const creditNoteId = randomUUID();
  return {
    creditNoteId,
    number: `CN-LESSOR-2026-${creditNoteId.slice(0, 6)}`,
    invoiceId: invoice.invoiceId,
    invoiceNumber: invoice.number,
    invoiceKind: invoice.kind,
    legalEntity: invoice.legalEntity,
    contractId: invoice.contractId,
    partyId: invoice.partyId,
    issueDate: options.issueDate ?? invoice.issueDate,
    currency: invoice.currency,
    amounts: { principal, interest, fees, vat, total },
    appliedToInvoice,
    toCredit: new Decimal(total).minus(appliedToInvoice).toFixed(2),
    paymentId: randomUUID(),
    reason: 'Billed in error',
  };
}
