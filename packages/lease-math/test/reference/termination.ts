import { minorUnits } from './currencies.ts';
import { D, HUNDRED, ZERO, formatFixed, roundHalfUp, type Decimal } from './decimal.ts';
import { actualDays, days360US, parseDate } from './dates.ts';
import { IssueCollector } from './errors.ts';
import { monthlyRate, yearBasis, type LeaseSchedule } from './schedule.ts';
import { readAmount, readInteger, readRate } from './terms.ts';

/** What the lessee asks to terminate with. */
export interface TerminationInput {
  /** The termination date, YYYY-MM-DD, within [start date, last due date]. */
  date: string;
  /** How many installments the lessee has paid (in order); at most those due by `date`. */
  paidInstallments: number;
  /** The termination fee as a percent of the remaining principal … */
  feePercent?: string;
  /** … or as an amount. Neither: no fee. */
  feeAmount?: string;
}

/** An installment due by the termination date and not paid. */
export interface OverdueInstallment {
  n: number;
  dueDate: string;
  payment: string;
  vat: string;
  /** payment + VAT */
  total: string;
}

/** The amount that ends the lease on a date, and how it is made up. */
export interface TerminationQuote {
  date: string;
  currency: string;
  /** Installments due on or before `date`. */
  installmentsDue: number;
  paidInstallments: number;
  overdue: OverdueInstallment[];
  overdueTotal: string;
  /** The balance after the last installment due by `date` (it still contains the residual value). */
  remainingPrincipal: string;
  /** The last due date on or before `date` (or the start date), from which interest accrues. */
  accruedFrom: string;
  /** Days from `accruedFrom` to `date` by the schedule's day count (30/360 US days under 30/360). */
  accruedDays: number;
  accruedInterest: string;
  fee: string;
  feeVat: string;
  /** overdue + remaining principal + accrued interest + fee + fee VAT */
  total: string;
}

/** The annual rate that applied to installment `n`: a restructuring keeps the old rate for what it kept. */
export function rateInForce(schedule: LeaseSchedule, n: number): Decimal {
  let rate = schedule.annualRate;
  for (const restructuring of [...(schedule.restructurings ?? [])].reverse()) {
    if (n <= restructuring.keptInstallments) rate = restructuring.previousAnnualRate;
  }
  return new D(rate);
}

/**
 * Quotes early termination of a lease on `input.date`:
 * - installments due on or before the date and not paid (n > paidInstallments) are overdue: payment + VAT each;
 * - the remaining principal is the balance after the last installment due on or before the date;
 * - interest accrues on it from that due date (or the start date) to the date by the schedule's day count:
 *   30/360: round(balance × days360US / 30 × r); actual/365 or /360: round(balance × rate/100 × days / 365 or 360);
 * - the fee is round(feePercent × remaining principal / 100) or feeAmount, with VAT at the schedule's rate;
 * - total = overdue + remaining principal + accrued interest + fee + fee VAT.
 * Throws {@link LeaseTermsError} for a date outside [start, last due], more paid installments than are due,
 * or a malformed fee.
 */
export function earlyTerminationQuote(schedule: LeaseSchedule, input: TerminationInput): TerminationQuote {
  const decimals = minorUnits(schedule.currency);
  const issues = new IssueCollector();
  const lastDue = schedule.installments[schedule.installments.length - 1]?.dueDate ?? schedule.startDate;

  const date = parseDate(input.date) ? input.date : undefined;
  if (!date) issues.add('/date', 'must be a real date YYYY-MM-DD');
  else if (date < schedule.startDate || date > lastDue) {
    issues.add(
      '/date',
      `must be between the start date ${schedule.startDate} and the last due date ${lastDue}`,
    );
  }
  const due = date ? schedule.installments.filter((row) => row.dueDate <= date) : [];
  const paid = readInteger(
    issues,
    '/paidInstallments',
    input.paidInstallments,
    0,
    schedule.installments.length,
  );
  if (paid !== undefined && date && paid > due.length) {
    issues.add('/paidInstallments', `only ${due.length} installments are due by ${date}`);
  }
  if (input.feePercent !== undefined && input.feeAmount !== undefined) {
    issues.add('/feeAmount', 'give feePercent or feeAmount, not both');
  }
  const feePercent =
    input.feePercent === undefined ? undefined : readRate(issues, '/feePercent', input.feePercent);
  const feeAmount =
    input.feeAmount === undefined ? undefined : readAmount(issues, '/feeAmount', input.feeAmount, decimals);
  issues.throwIfAny();

  const overdue = due.slice(paid!).map((row) => ({
    n: row.n,
    dueDate: row.dueDate,
    payment: row.payment,
    vat: row.vat,
    total: formatFixed(new D(row.payment).plus(row.vat), decimals),
  }));
  const overdueTotal = overdue.reduce((sum, row) => sum.plus(row.total), ZERO);

  const lastDueRow = due[due.length - 1];
  const remaining = new D(lastDueRow ? lastDueRow.balance : schedule.financedAmount);
  const accruedFrom = lastDueRow ? lastDueRow.dueDate : schedule.startDate;
  // The period being accrued belongs to the next installment; its rate is the one that applies.
  const annualRate = rateInForce(schedule, due.length + 1);
  const basis = yearBasis(schedule.dayCount);
  let accruedDays: number;
  let accrued: Decimal;
  if (basis === undefined) {
    // 30/360: days by the 30/360 US rule, each 30 days one month at r = annual rate / 12 / 100.
    accruedDays = days360US(accruedFrom, date!);
    accrued = remaining.times(accruedDays).div(30).times(monthlyRate(annualRate));
  } else {
    accruedDays = actualDays(accruedFrom, date!);
    accrued = remaining.times(annualRate).div(HUNDRED).times(accruedDays).div(basis);
  }
  const accruedInterest = roundHalfUp(accrued, decimals);

  // The fee is a percent of the remaining principal, rounded half-up to the minor unit, or a fixed amount.
  const fee = feePercent
    ? roundHalfUp(remaining.times(feePercent).div(HUNDRED), decimals)
    : (feeAmount ?? ZERO);
  const feeVat = roundHalfUp(fee.times(schedule.vatRate).div(HUNDRED), decimals);
  const total = overdueTotal.plus(remaining).plus(accruedInterest).plus(fee).plus(feeVat);

  return {
    date: date!,
    currency: schedule.currency,
    installmentsDue: due.length,
    paidInstallments: paid!,
    overdue,
    overdueTotal: formatFixed(overdueTotal, decimals),
    remainingPrincipal: formatFixed(remaining, decimals),
    accruedFrom,
    accruedDays,
    accruedInterest: formatFixed(accruedInterest, decimals),
    fee: formatFixed(fee, decimals),
    feeVat: formatFixed(feeVat, decimals),
    total: formatFixed(total, decimals),
  };
}
