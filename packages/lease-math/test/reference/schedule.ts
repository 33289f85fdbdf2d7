import { minorUnits } from './currencies.ts';
import { D, HUNDRED, ZERO, formatFixed, roundHalfUp, type Decimal } from './decimal.ts';
import { actualDays, addMonthsClamped, parseDate } from './dates.ts';
import { LeaseTermsError } from './errors.ts';
import { pmt, xirr, type CashFlow } from './finance.ts';
import { validateTerms, type DayCount, type LeaseFee, type LeaseTerms, type ScheduleType } from './terms.ts';

/** One row of the schedule. Amounts carry exactly the currency's minor-unit decimals. */
export interface Installment {
  /** 1-based number of the installment. */
  n: number;
  dueDate: string;
  /** principal + interest, VAT excluded. */
  payment: string;
  principal: string;
  interest: string;
  /** VAT on the payment, shown apart from it. */
  vat: string;
  /** The balance after this installment (the last one leaves the residual value). */
  balance: string;
}

/** Sums over the whole lease. */
export interface LeaseTotals {
  payments: string;
  principal: string;
  interest: string;
  vat: string;
  paymentsWithVat: string;
  fees: string;
  advance: string;
  residual: string;
  /** advance + payments + fees + residual: what the lessee pays in all, VAT excluded. */
  totalCost: string;
}

/** A restructuring applied to the schedule (see `restructureSchedule`). */
export interface Restructuring {
  fromDate: string;
  /** Installments 1..keptInstallments were kept as they were; the rest were recomputed. */
  keptInstallments: number;
  /** The balance after the last kept installment: the amount the new part financed. */
  balance: string;
  /** The rate, type and residual in force before, so a later quote can tell which applied when. */
  previousAnnualRate: string;
  previousScheduleType: ScheduleType;
  previousResidualValue: string;
}

/** A complete payment schedule with its totals and effective rate. */
export interface LeaseSchedule {
  currency: string;
  assetPrice: string;
  advance: string;
  financedAmount: string;
  residualValue: string;
  termMonths: number;
  graceMonths: number;
  annualRate: string;
  scheduleType: ScheduleType;
  /** Seasonal schedules only: the twelve weights used, January first. */
  seasonalWeights?: string[];
  dayCount: DayCount;
  startDate: string;
  vatRate: string;
  fees: LeaseFee[];
  installments: Installment[];
  totals: LeaseTotals;
  /** (advance + payments + fees + residual − price) / price × 100, 2 decimals. */
  overpaymentPercent: string;
  /** XIRR of the financing flows in percent, 6 decimals ("10.381234"). */
  effectiveRate: string;
  /** Present only on restructured schedules, oldest first. */
  restructurings?: Restructuring[];
}

/** The inputs of one run of installments: a whole lease, or the recomputed part of a restructured one. */
export interface PlanInput {
  decimals: number;
  /** The balance the run starts from and must bring down to `residual`. */
  financed: Decimal;
  residual: Decimal;
  count: number;
  grace: number;
  annualRate: Decimal;
  scheduleType: ScheduleType;
  seasonalWeights: Decimal[] | undefined;
  dayCount: DayCount;
  vatRate: Decimal;
  /** due_0: the start date, or the last kept due date; the first installment falls a month after it. */
  anchorDate: string;
  /** The day of month due dates keep (the original start date's day), clamped to each month's end. */
  anchorDay: number;
  firstNumber: number;
}

/** The monthly rate r = annual rate / 12 / 100, as a fraction. */
export function monthlyRate(annualRate: Decimal): Decimal {
  return annualRate.div(12).div(HUNDRED);
}

/** The year basis of an actual day count, or undefined for 30/360. */
export function yearBasis(dayCount: DayCount): number | undefined {
  if (dayCount === 'actual/365') return 365;
  if (dayCount === 'actual/360') return 360;
  return undefined;
}

/**
 * Interest on `balance` for the period from `from` to `to`.
 * 30/360: interest = round(balance × r) — every month counts as 30/360 of a year, whatever its length.
 * actual/365, actual/360: interest = round(balance × annualRate/100 × days(from, to) / 365 or 360).
 */
function periodInterest(input: PlanInput, balance: Decimal, from: string, to: string): Decimal {
  const basis = yearBasis(input.dayCount);
  const unrounded =
    basis === undefined
      ? balance.times(monthlyRate(input.annualRate))
      : balance.times(input.annualRate).div(HUNDRED).times(actualDays(from, to)).div(basis);
  return roundHalfUp(unrounded, input.decimals);
}

/** Computes the installments of one run. Throws a LeaseTermsError on `/seasonalWeights` if no due month has weight. */
export function buildInstallments(input: PlanInput): Installment[] {
  const { decimals, financed, residual, count, grace } = input;
  const r = monthlyRate(input.annualRate);
  // Grace months: the first g installments pay interest only (principal 0); the chosen type then runs over
  // the remaining n − g installments on the full financed amount, as if the lease started at the end of grace.
  const amortising = count - grace;
  const dueDates = Array.from({ length: count + 1 }, (_, j) =>
    j === 0 ? input.anchorDate : addMonthsClamped(input.anchorDate, j, input.anchorDay),
  );
  const monthOf = (date: string) => parseDate(date)!.month;

  // The payment amount is computed with r = annual/12/100 under every day count: the payment is fixed when the
  // lease is signed, while actual/365 or actual/360 only change how each month's interest is split from it.
  let annuityPayment = ZERO;
  let differentiatedPrincipal = ZERO;
  let seasonalBase = ZERO;
  if (input.scheduleType === 'annuity') {
    // payment = round(PMT(r, n − g, −F, residual)): brings F to the residual in n − g payments;
    // r = 0 gives (F − residual) / (n − g).
    annuityPayment = roundHalfUp(pmt(r, amortising, financed.neg().toFixed(), residual.toFixed()), decimals);
  } else if (input.scheduleType === 'differentiated') {
    // principal_k = round((F − residual) / (n − g)), the same every month; interest falls as the balance does.
    differentiatedPrincipal = roundHalfUp(financed.minus(residual).div(amortising), decimals);
  } else {
    // Seasonal: payment_k = round(M × weight of its due month), where M makes the weighted payments,
    // discounted at r, worth F − residual / (1+r)^(n−g).
    const weights = input.seasonalWeights!;
    let discountedWeights = ZERO;
    for (let j = 1; j <= amortising; j++) {
      const weight = weights[monthOf(dueDates[grace + j]!) - 1]!;
      discountedWeights = discountedWeights.plus(weight.div(r.plus(1).pow(j)));
    }
    if (discountedWeights.isZero()) {
      throw new LeaseTermsError([
        { field: '/seasonalWeights', message: 'every month in which an installment falls has weight 0' },
      ]);
    }
    seasonalBase = financed.minus(residual.div(r.plus(1).pow(amortising))).div(discountedWeights);
  }

  // The lowest balance exact arithmetic can reach after installment j: an annuity or a differentiated schedule
  // never goes below the residual; a seasonal one may (months of weight 0 near the end let interest build the
  // balance back up), but not below the residual discounted over the months left, round(R / (1+r)^(n−j)).
  const balanceFloor = (j: number) =>
    input.scheduleType === 'seasonal'
      ? roundHalfUp(residual.div(r.plus(1).pow(count - j)), decimals)
      : residual;

  const installments: Installment[] = [];
  let balance = financed;
  for (let j = 1; j <= count; j++) {
    const dueDate = dueDates[j]!;
    const interest = periodInterest(input, balance, dueDates[j - 1]!, dueDate);
    let principal: Decimal;
    if (j <= grace) {
      principal = ZERO;
    } else if (j === count) {
      // The last installment's principal is the remaining balance − residual: it absorbs every rounding, so the
      // principal sums exactly to F − residual and the final balance is the residual value.
      principal = balance.minus(residual);
    } else {
      if (input.scheduleType === 'annuity') principal = annuityPayment.minus(interest);
      else if (input.scheduleType === 'differentiated') principal = differentiatedPrincipal;
      else {
        const weight = input.seasonalWeights![monthOf(dueDate) - 1]!;
        principal = roundHalfUp(seasonalBase.times(weight), decimals).minus(interest);
      }
      // Never repay below the balance floor before the last installment. Exact arithmetic never gets there; only
      // rounding can — a payment's half cent compounds over long high-rate terms, a rounded-up principal adds up
      // over tiny amounts — and without this cap the balance could turn negative and the last payment with it.
      const headroom = balance.minus(balanceFloor(j));
      if (principal.gt(headroom)) principal = headroom;
      // Nor pay a negative amount: at worst an installment pays nothing and its interest is added to the balance.
      if (principal.plus(interest).isNegative()) principal = interest.neg();
    }
    // payment = principal + interest in every row, so each row adds up.
    const payment = principal.plus(interest);
    // VAT_k = round(payment_k × VAT rate / 100), shown apart from the payment.
    const vat = roundHalfUp(payment.times(input.vatRate).div(HUNDRED), decimals);
    balance = balance.minus(principal);
    installments.push({
      n: input.firstNumber + j - 1,
      dueDate,
      payment: formatFixed(payment, decimals),
      principal: formatFixed(principal, decimals),
      interest: formatFixed(interest, decimals),
      vat: formatFixed(vat, decimals),
      balance: formatFixed(balance, decimals),
    });
  }
  return installments;
}

/** The parts of a schedule that totals, overpayment and effective rate are computed from. */
export interface ScheduleCore {
  decimals: number;
  assetPrice: Decimal;
  advance: Decimal;
  financedAmount: Decimal;
  residualValue: Decimal;
  startDate: string;
  fees: { amount: Decimal }[];
  installments: Installment[];
}

/** Totals, overpayment percent and effective rate of a schedule's installments. */
export function summarize(
  core: ScheduleCore,
): Pick<LeaseSchedule, 'totals' | 'overpaymentPercent' | 'effectiveRate'> {
  const { decimals, installments } = core;
  const sum = (pick: (row: Installment) => string) =>
    installments.reduce((total, row) => total.plus(pick(row)), ZERO);
  const payments = sum((row) => row.payment);
  const vat = sum((row) => row.vat);
  const fees = core.fees.reduce((total, fee) => total.plus(fee.amount), ZERO);
  // totalCost = advance + payments + fees + residual (the buyout): everything the lessee pays, VAT excluded.
  const totalCost = core.advance.plus(payments).plus(fees).plus(core.residualValue);
  // Overpayment = (total cost − price) / price × 100, rounded half-up to 2 decimals.
  const overpayment = totalCost.minus(core.assetPrice).div(core.assetPrice).times(HUNDRED);
  return {
    totals: {
      payments: formatFixed(payments, decimals),
      principal: formatFixed(
        sum((row) => row.principal),
        decimals,
      ),
      interest: formatFixed(
        sum((row) => row.interest),
        decimals,
      ),
      vat: formatFixed(vat, decimals),
      paymentsWithVat: formatFixed(payments.plus(vat), decimals),
      fees: formatFixed(fees, decimals),
      advance: formatFixed(core.advance, decimals),
      residual: formatFixed(core.residualValue, decimals),
      totalCost: formatFixed(totalCost, decimals),
    },
    overpaymentPercent: formatFixed(overpayment, 2),
    effectiveRate: formatFixed(xirr(financingFlows(core)).times(HUNDRED), 6),
  };
}

/**
 * The flows the effective rate is the XIRR of: −(F − fees) on the start date (fees paid at the start reduce
 * the money actually lent out), each payment on its due date, and the residual value (the buyout) on the last
 * due date. VAT is excluded: it is passed on to the tax office, not earned.
 */
export function financingFlows(core: ScheduleCore): CashFlow[] {
  const fees = core.fees.reduce((total, fee) => total.plus(fee.amount), ZERO);
  const flows: CashFlow[] = [
    { date: core.startDate, amount: formatFixed(fees.minus(core.financedAmount), core.decimals) },
  ];
  for (const row of core.installments) {
    if (!new D(row.payment).isZero()) flows.push({ date: row.dueDate, amount: row.payment });
  }
  const last = core.installments[core.installments.length - 1];
  if (last && !core.residualValue.isZero()) {
    flows.push({ date: last.dueDate, amount: formatFixed(core.residualValue, core.decimals) });
  }
  return flows;
}

/** The cash flows a schedule's effective rate is the XIRR of (see {@link financingFlows}), for checking it. */
export function effectiveRateFlows(schedule: LeaseSchedule): CashFlow[] {
  return financingFlows({
    decimals: minorUnits(schedule.currency),
    assetPrice: new D(schedule.assetPrice),
    advance: new D(schedule.advance),
    financedAmount: new D(schedule.financedAmount),
    residualValue: new D(schedule.residualValue),
    startDate: schedule.startDate,
    fees: schedule.fees.map((fee) => ({ amount: new D(fee.amount) })),
    installments: schedule.installments,
  });
}

/**
 * Builds the payment schedule of a lease by the rules in this package's README: due dates, the split of each
 * installment into principal and interest, VAT, totals, overpayment and the effective rate (XIRR).
 * Throws {@link LeaseTermsError} listing every invalid field.
 */
export function calculateSchedule(terms: LeaseTerms): LeaseSchedule {
  const valid = validateTerms(terms);
  const { decimals } = valid;
  const installments = buildInstallments({
    decimals,
    financed: valid.financedAmount,
    residual: valid.residualValue,
    count: valid.termMonths,
    grace: valid.graceMonths,
    annualRate: valid.annualRate,
    scheduleType: valid.scheduleType,
    seasonalWeights: valid.seasonalWeights,
    dayCount: valid.dayCount,
    vatRate: valid.vatRate,
    anchorDate: valid.startDate,
    // Installment k falls due k calendar months after the start date, on the start date's day or the month's end.
    anchorDay: parseDate(valid.startDate)!.day,
    firstNumber: 1,
  });
  const summary = summarize({ ...valid, installments });
  return {
    currency: valid.currency,
    assetPrice: formatFixed(valid.assetPrice, decimals),
    advance: formatFixed(valid.advance, decimals),
    financedAmount: formatFixed(valid.financedAmount, decimals),
    residualValue: formatFixed(valid.residualValue, decimals),
    termMonths: valid.termMonths,
    graceMonths: valid.graceMonths,
    annualRate: valid.annualRate.toFixed(),
    scheduleType: valid.scheduleType,
    ...(valid.seasonalWeights
      ? { seasonalWeights: valid.seasonalWeights.map((weight) => weight.toFixed()) }
      : {}),
    dayCount: valid.dayCount,
    startDate: valid.startDate,
    vatRate: valid.vatRate.toFixed(),
    fees: valid.fees.map((fee) => ({ name: fee.name, amount: formatFixed(fee.amount, decimals) })),
    installments,
    ...summary,
  };
}
