// Invoices as values: what a schedule, a settlement or a buyout plans, how an invoice is numbered, and what
// its status is from what was paid. Pure: the service loads, asks here, and writes what this answers.
import { addDays, D, type Decimal, formatAmount, roundToMinor, sum, ZERO } from '@lessor/domain-values';

export const INVOICE_KINDS = ['advance', 'installment', 'termination', 'buyout', 'fee'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export const INVOICE_STATUSES = ['planned', 'issued', 'partially-paid', 'paid', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The statuses of an issued invoice that still asks for money. */
export const OPEN_STATUSES: readonly InvoiceStatus[] = ['issued', 'partially-paid'];

export type LineKind = 'principal' | 'interest' | 'fee' | 'vat';

export interface PlannedLine {
  kind: LineKind;
  description: string;
  amount: string;
}

/** An invoice as planned: amounts final, number and issue still to come. */
export interface PlannedInvoice {
  kind: InvoiceKind;
  installment: number | null;
  scheduleVersion: number;
  issueDate: string;
  dueDate: string;
  principal: string;
  interest: string;
  fees: string;
  vat: string;
  total: string;
  lines: PlannedLine[];
}

/** The contract terms planning needs, from the contract snapshot of leasing's events. */
export interface ContractTerms {
  currency: string;
  advance: string;
  residualValue: string;
  vatRate: string;
  startDate: string;
}

/** One installment of a schedule, as `contract.activated` and `contract.restructured` carry it. */
export interface ScheduleLine {
  n: number;
  dueDate: string;
  principal: string;
  interest: string;
  vat: string;
}

export interface Schedule {
  version: number;
  effectiveFrom: string;
  installments: readonly ScheduleLine[];
}

export interface Settlement {
  terminationDate: string;
  remainingPrincipal: { amount: string };
  accruedInterest: { amount: string };
  fee: { amount: string };
  feeVat: { amount: string };
}

function invoice(
  kind: InvoiceKind,
  installment: number | null,
  scheduleVersion: number,
  dueDate: string,
  leadDays: number,
  currency: string,
  amounts: { principal: string; interest: string; fees: string; vat: string },
  describe: Record<LineKind, string>,
): PlannedInvoice {
  const f = (amount: string) => formatAmount(amount, currency);
  const principal = f(amounts.principal);
  const interest = f(amounts.interest);
  const fees = f(amounts.fees);
  const vat = f(amounts.vat);
  const lines: PlannedLine[] = (
    [
      ['principal', principal],
      ['interest', interest],
      ['fee', fees],
      ['vat', vat],
    ] as const
  )
    // A line of nothing says nothing: an advance invoice has a fee line only.
    .filter(([, amount]) => !new D(amount).isZero())
    .map(([lineKind, amount]) => ({ kind: lineKind, description: describe[lineKind], amount }));
  return {
    kind,
    installment,
    scheduleVersion,
    issueDate: addDays(dueDate, -leadDays),
    dueDate,
    principal,
    interest,
    fees,
    vat,
    total: f(sum([principal, interest, fees, vat]).toString()),
    lines,
  };
}

/**
 * The invoices of a schedule: one per installment due on or after `fromDate` (all of them on activation,
 * those a restructuring decides after it), each issued `leadDays` before its due date.
 */
export function installmentInvoices(
  schedule: Schedule,
  currency: string,
  leadDays: number,
  fromDate: string = schedule.effectiveFrom,
): PlannedInvoice[] {
  const count = schedule.installments.length;
  return schedule.installments
    .filter((line) => line.dueDate >= fromDate)
    .map((line) =>
      invoice(
        'installment',
        line.n,
        schedule.version,
        line.dueDate,
        leadDays,
        currency,
        { principal: line.principal, interest: line.interest, fees: '0', vat: line.vat },
        {
          principal: `Installment ${line.n} of ${count}: principal`,
          interest: `Installment ${line.n} of ${count}: interest`,
          fee: `Installment ${line.n} of ${count}: fees`,
          vat: `Installment ${line.n} of ${count}: VAT`,
        },
      ),
    );
}

/** An issued installment invoice as a restructuring finds it: what it billed and what credit notes took off. */
export interface IssuedInstallment {
  installment: number | null;
  principal: string;
  interest: string;
  fees: string;
  vat: string;
  total: string;
  credited: string;
}

/**
 * An installment invoice credited in full bills nothing any more: it no longer holds its installment, which may
 * be invoiced again (the database's `invoices_live_key` says the same).
 */
export function creditedInFull(invoice: Pick<IssuedInstallment, 'total' | 'credited'>): boolean {
  return new D(invoice.total).gt(0) && new D(invoice.credited).eq(invoice.total);
}

/** Whether an issued invoice billed what a planned one bills, part by part. */
export function billsTheSame(invoice: IssuedInstallment, planned: PlannedInvoice): boolean {
  return (['principal', 'interest', 'fees', 'vat'] as const).every((part) =>
    new D(invoice[part]).eq(planned[part]),
  );
}

/**
 * What a restructuring does with the installments issued from its date (`issued`: due on or after it, not
 * credited in full), given the new version's invoices from that date (`lines`). An invoice that billed what
 * its new line says is kept; any other is credited (what is left of it) and its new line, if the version still
 * has one, planned in its place; a line no kept invoice bills is planned. An invoice of nothing whose line
 * changed cannot be credited: it stays, and its line is not planned (`unreplaceable`).
 */
export function restructuringCorrections<T extends IssuedInstallment>(
  issued: readonly T[],
  lines: readonly PlannedInvoice[],
): { credit: T[]; kept: T[]; unreplaceable: T[]; plan: PlannedInvoice[] } {
  const lineOf = new Map(lines.map((line) => [line.installment, line]));
  const credit: T[] = [];
  const kept: T[] = [];
  const unreplaceable: T[] = [];
  for (const invoice of issued.filter((candidate) => !creditedInFull(candidate))) {
    const line = lineOf.get(invoice.installment);
    if (line && billsTheSame(invoice, line)) kept.push(invoice);
    else if (new D(invoice.total).gt(invoice.credited)) credit.push(invoice);
    else unreplaceable.push(invoice);
  }
  const held = new Set([...kept, ...unreplaceable].map((invoice) => invoice.installment));
  return { credit, kept, unreplaceable, plan: lines.filter((line) => !held.has(line.installment)) };
}

/**
 * The advance, due on the start date, as a fee without VAT: the VAT on the asset is on the supplier's sale,
 * of which the advance pays a part (see the README); none when the contract has no advance.
 */
export function advanceInvoice(
  contract: ContractTerms,
  scheduleVersion: number,
  leadDays: number,
): PlannedInvoice | null {
  if (new D(contract.advance).lte(0)) return null;
  return invoice(
    'advance',
    null,
    scheduleVersion,
    contract.startDate,
    leadDays,
    contract.currency,
    { principal: '0', interest: '0', fees: contract.advance, vat: '0' },
    { principal: '', interest: '', fee: 'Advance payment', vat: '' },
  );
}

/**
 * The settlement of an early termination: the principal still owed, the interest accrued since the last
 * installment, the termination fee and its VAT. Installments due by the termination date are billed by
 * their own invoices, so the settlement's `overdue` is not billed again here.
 */
export function terminationInvoice(
  settlement: Settlement,
  currency: string,
  scheduleVersion: number,
  leadDays: number,
): PlannedInvoice {
  return invoice(
    'termination',
    null,
    scheduleVersion,
    settlement.terminationDate,
    leadDays,
    currency,
    {
      principal: settlement.remainingPrincipal.amount,
      interest: settlement.accruedInterest.amount,
      fees: settlement.fee.amount,
      vat: settlement.feeVat.amount,
    },
    {
      principal: 'Early termination: remaining principal',
      interest: 'Early termination: accrued interest',
      fee: 'Early termination fee',
      vat: 'VAT on the termination fee',
    },
  );
}

/**
 * The buyout at the end of the term: the residual value (it repays the lease receivable, so it is principal)
 * with VAT at the contract's rate, rounded half-up to the currency's minor unit: the asset is sold.
 */
export function buyoutInvoice(
  contract: ContractTerms,
  date: string,
  scheduleVersion: number,
  leadDays: number,
): PlannedInvoice | null {
  if (new D(contract.residualValue).lte(0)) return null;
  const vat = roundToMinor(new D(contract.residualValue).times(contract.vatRate).div(100), contract.currency);
  return invoice(
    'buyout',
    null,
    scheduleVersion,
    date,
    leadDays,
    contract.currency,
    { principal: contract.residualValue, interest: '0', fees: '0', vat: vat.toString() },
    { principal: 'Buyout: residual value', interest: '', fee: '', vat: 'VAT on the buyout' },
  );
}

/** `INV-LESSOR-2026-000017`: per legal entity and year of issue, without gaps. */
export function invoiceNumber(legalEntity: string, year: number, sequence: number): string {
  return `INV-${legalEntity}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** What an issued invoice still asks for, per component; penalties charged on it count. */
export interface InvoiceBalance {
  penalty: Decimal;
  interest: Decimal;
  principal: Decimal;
  fees: Decimal;
  vat: Decimal;
}

export interface InvoiceAmounts {
  principal: string;
  interest: string;
  fees: string;
  vat: string;
  penalties: string;
  paidPenalty: string;
  paidInterest: string;
  paidPrincipal: string;
  paidFees: string;
  paidVat: string;
}

export function openComponents(invoice: InvoiceAmounts): InvoiceBalance {
  return {
    penalty: new D(invoice.penalties).minus(invoice.paidPenalty),
    interest: new D(invoice.interest).minus(invoice.paidInterest),
    principal: new D(invoice.principal).minus(invoice.paidPrincipal),
    fees: new D(invoice.fees).minus(invoice.paidFees),
    vat: new D(invoice.vat).minus(invoice.paidVat),
  };
}

/** total + penalties − everything allocated: what the client still owes on the invoice. */
export function openAmount(invoice: InvoiceAmounts): Decimal {
  const open = openComponents(invoice);
  return sum([open.penalty, open.interest, open.principal, open.fees, open.vat]);
}

/** The status of an issued invoice from what is paid: nothing, part, or all (penalties included). */
export function paymentStatus(invoice: InvoiceAmounts): InvoiceStatus {
  const paid = sum([
    invoice.paidPenalty,
    invoice.paidInterest,
    invoice.paidPrincipal,
    invoice.paidFees,
    invoice.paidVat,
  ]);
  if (openAmount(invoice).lte(0)) return 'paid';
  return paid.gt(ZERO) ? 'partially-paid' : 'issued';
}

/**
 * Why a run left out an invoice it found due (planned, issue date on or before `upTo`). Nothing found due is
 * ever left out without one of these in the run's answer, the log and `lessor_billing_run_skipped_total`:
 * - `issued-meanwhile`: another run (or the daily job) issued it between this run's listing and its turn;
 * - `cancelled-meanwhile`: a contract event cancelled it in that time (a restructuring, a termination);
 * - `currency-mismatch`: the invoice is in another currency than its contract (no code path writes that; it is
 *   kept planned for someone to look at, never billed in the wrong currency);
 * - `failed`: issuing it threw (a database error, a lock timeout); the run goes on with the next invoice, the
 *   next run tries it again.
 * A contract billing does not know, or an invoice without its party, cannot be: the columns are a foreign key
 * and not null.
 */
export const SKIP_REASONS = [
  'issued-meanwhile',
  'cancelled-meanwhile',
  'currency-mismatch',
  'failed',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
