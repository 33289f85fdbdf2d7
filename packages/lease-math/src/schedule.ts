import { minorUnits } from './currencies.ts';
import { D, HUNDRED, ZERO, formatFixed, roundHalfUp, type Decimal } from './decimal.ts';
import { daysInMonth, epochDay, formatDate, parseDate } from './dates.ts';
import { effectiveRatePercent } from './effective-rate.ts';
import { LeaseTermsError } from './errors.ts';
import { pmt, type CashFlow } from './finance.ts';
import {
  divide,
  formatFixedValue,
  formatUnits,
  minus,
  parseFixed,
  parseUnits,
  plus,
  pow10,
  power,
  times,
  toUnits,
  units40,
  type Fixed,
} from './fixed.ts';
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

/** Due dates of one run: index 0 is the anchor, index j the j-th due date (rule 2), with their epoch days and months. */
interface DueDates {
  dates: string[];
  days: number[];
  months: number[];
}

/**
 * Installment j falls due j calendar months after the anchor date, on `anchorDay` clamped to the month's end
 * (the same dates as `addMonthsClamped(anchorDate, j, anchorDay)`, computed without parsing each one again).
 */
function dueDateSeries(anchorDate: string, anchorDay: number, count: number): DueDates {
  const anchor = parseDate(anchorDate)!;
  const dates = [anchorDate];
  const days = [epochDay(anchor)];
  const months = [anchor.month];
  const anchorMonth = anchor.year * 12 + (anchor.month - 1);
  for (let j = 1; j <= count; j++) {
    const monthIndex = anchorMonth + j;
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    const date = { year, month, day: Math.min(anchorDay, daysInMonth(year, month)) };
    dates.push(formatDate(date));
    days.push(epochDay(date));
    months.push(month);
  }
  return { dates, days, months };
}

/** A decimal.js value as m × 10^e. */
const fixedOf = (value: Decimal): Fixed => parseFixed(value.toFixed());

/**
 * Computes the installments of one run. Throws a LeaseTermsError on `/seasonalWeights` if no due month has weight.
 *
 * What is computed once per run (the annuity payment, the differentiated principal, the seasonal base payment
 * and the discount factors) stays in decimal.js; each row is computed on BigInt minor units (./fixed.ts), which
 * give exactly the values decimal.js gave — each operation exact, then rounded to 40 significant digits when it
 * has more, then half-up to the minor unit where a rule says so.
 */
export function buildInstallments(input: PlanInput): Installment[] {
  const { decimals, financed, residual, count, grace } = input;
  const r = monthlyRate(input.annualRate);
  // Grace months: the first g installments pay interest only (principal 0); the chosen type then runs over
  // the remaining n − g installments on the full financed amount, as if the lease started at the end of grace.
  const amortising = count - grace;
  const due = dueDateSeries(input.anchorDate, input.anchorDay, count);

  // The payment amount is computed with r = annual/12/100 under every day count: the payment is fixed when the
  // lease is signed, while actual/365 or actual/360 only change how each month's interest is split from it.
  let annuityPayment = ZERO;
  let differentiatedPrincipal = ZERO;
  let seasonalBase: Fixed = { m: 0n, e: 0 };
  // (1 + r)^j for j = 1..n − g (seasonal only), shared by the base payment and the balance floor; the same
  // digits as decimal.js's r.plus(1).pow(j) (fixed.ts `power`).
  const growth: Fixed[] = [];
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
    const weights = input.seasonalWeights!.map(fixedOf);
    const onePlusRate = plus(fixedOf(r), { m: 1n, e: 0 });
    let discountedWeights: Fixed = { m: 0n, e: 0 };
    for (let j = 1; j <= amortising; j++) {
      growth[j] = power(onePlusRate, j);
      const weight = weights[due.months[grace + j]! - 1]!;
      discountedWeights = plus(discountedWeights, divide(weight, growth[j]!));
    }
    if (discountedWeights.m === 0n) {
      throw new LeaseTermsError([
        { field: '/seasonalWeights', message: 'every month in which an installment falls has weight 0' },
      ]);
    }
    seasonalBase = divide(
      minus(fixedOf(financed), divide(fixedOf(residual), growth[amortising]!)),
      discountedWeights,
    );
  }

  // Every amount of the run as a BigInt count of 10^−scale units: the minor unit, unless a restructured
  // balance or residual came with more decimals than its currency has (then those are kept, as decimal.js did).
  const financedFixed = fixedOf(financed);
  const residualFixed = fixedOf(residual);
  const scale = Math.max(decimals, -financedFixed.e, -residualFixed.e);
  const up = pow10(scale - decimals);
  const toScale = (value: Fixed) =>
    value.e >= -scale ? value.m * pow10(value.e + scale) : toUnits(value, scale);
  const exact = -scale;
  const fromMinor = (units: bigint) => units * up;
  const format =
    scale === decimals
      ? (units: bigint) => formatUnits(units, decimals)
      : (units: bigint) => formatUnits(toUnits({ m: units, e: exact }, decimals), decimals);

  const residualUnits = toScale(residualFixed);
  const paymentUnits = toScale(fixedOf(annuityPayment));
  const differentiatedUnits = toScale(fixedOf(differentiatedPrincipal));
  const monthlyRateFixed = fixedOf(r);
  const annualRateFixed = fixedOf(input.annualRate);
  const vatRateFixed = fixedOf(input.vatRate);
  const basis = yearBasis(input.dayCount);
  const basisFixed: Fixed = { m: BigInt(basis ?? 1), e: 0 };
  // Seasonal: round(M × weight) depends only on the month: computed once per calendar month.
  const seasonalPayments = new Map<number, bigint>();
  const seasonalPayment = (month: number) => {
    let units = seasonalPayments.get(month);
    if (units === undefined) {
      const weight = fixedOf(input.seasonalWeights![month - 1]!);
      units = fromMinor(toUnits(times(seasonalBase, weight), decimals));
      seasonalPayments.set(month, units);
    }
    return units;
  };

  // The lowest balance exact arithmetic can reach after installment j: an annuity or a differentiated schedule
  // never goes below the residual; a seasonal one may (months of weight 0 near the end let interest build the
  // balance back up), but not below the residual discounted over the months left, round(R / (1+r)^(n−j)).
  const balanceFloor = (j: number): bigint =>
    input.scheduleType !== 'seasonal' || residualUnits === 0n
      ? residualUnits
      : fromMinor(toUnits(divide(residualFixed, growth[count - j]!), decimals));

  const installments: Installment[] = [];
  let balance = toScale(financedFixed);
  for (let j = 1; j <= count; j++) {
    // Interest (rule 3), rounded half-up to the minor unit:
    // 30/360: round(balance × r); actual/365, actual/360: round(balance × annual rate / 100 × days / basis).
    const balanceFixed: Fixed = { m: balance, e: exact };
    let unrounded: Fixed;
    if (basis === undefined) {
      unrounded = times(balanceFixed, monthlyRateFixed);
    } else {
      const yearly = times(balanceFixed, annualRateFixed);
      const days: Fixed = { m: BigInt(due.days[j]! - due.days[j - 1]!), e: 0 };
      unrounded = divide(times({ m: yearly.m, e: yearly.e - 2 }, days), basisFixed);
    }
    const interest = fromMinor(toUnits(unrounded, decimals));
    let principal: bigint;
    if (j <= grace) {
      principal = 0n;
    } else if (j === count) {
      // The last installment's principal is the remaining balance − residual: it absorbs every rounding, so the
      // principal sums exactly to F − residual and the final balance is the residual value.
      principal = units40(balance - residualUnits, exact);
    } else {
      if (input.scheduleType === 'annuity') principal = units40(paymentUnits - interest, exact);
      else if (input.scheduleType === 'differentiated') principal = differentiatedUnits;
      else principal = units40(seasonalPayment(due.months[j]!) - interest, exact);
      // Never repay below the balance floor before the last installment. Exact arithmetic never gets there; only
      // rounding can — a payment's half cent compounds over long high-rate terms, a rounded-up principal adds up
      // over tiny amounts — and without this cap the balance could turn negative and the last payment with it.
      const headroom = units40(balance - balanceFloor(j), exact);
      if (principal > headroom) principal = headroom;
      // Nor pay a negative amount: at worst an installment pays nothing and its interest is added to the balance.
      if (principal + interest < 0n) principal = -interest;
    }
    // payment = principal + interest in every row, so each row adds up.
    const payment = units40(principal + interest, exact);
    // VAT_k = round(payment_k × VAT rate / 100), shown apart from the payment.
    const vatProduct = times({ m: payment, e: exact }, vatRateFixed);
    const vat = fromMinor(toUnits({ m: vatProduct.m, e: vatProduct.e - 2 }, decimals));
    balance = units40(balance - principal, exact);
    installments.push({
      n: input.firstNumber + j - 1,
      dueDate: due.dates[j]!,
      payment: format(payment),
      principal: format(principal),
      interest: format(interest),
      vat: format(vat),
      balance: format(balance),
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
  // Column sums in the order decimal.js added them (row by row from 0, each partial sum exact up to 40
  // significant digits), on BigInt minor units.
  const zero = (): Fixed => ({ m: 0n, e: -decimals });
  let payments = zero();
  let principal = zero();
  let interest = zero();
  let vat = zero();
  const flows: CashFlow[] = [];
  const fees = core.fees.reduce((total, fee) => plus(total, fixedOf(fee.amount)), zero());
  flows.push({
    date: core.startDate,
    amount: formatFixedValue(minus(fees, fixedOf(core.financedAmount)), decimals),
  });
  for (const row of installments) {
    const payment = parseUnits(row.payment, decimals);
    payments = plus(payments, payment);
    principal = plus(principal, parseUnits(row.principal, decimals));
    interest = plus(interest, parseUnits(row.interest, decimals));
    vat = plus(vat, parseUnits(row.vat, decimals));
    if (payment.m !== 0n) flows.push({ date: row.dueDate, amount: row.payment });
  }
  const residual = fixedOf(core.residualValue);
  const last = installments[installments.length - 1];
  if (last && residual.m !== 0n) {
    flows.push({ date: last.dueDate, amount: formatFixedValue(residual, decimals) });
  }
  const advance = fixedOf(core.advance);
  const price = fixedOf(core.assetPrice);
  // totalCost = advance + payments + fees + residual (the buyout): everything the lessee pays, VAT excluded.
  const totalCost = plus(plus(plus(advance, payments), fees), residual);
  // Overpayment = (total cost − price) / price × 100, rounded half-up to 2 decimals.
  const overpayment = times(divide(minus(totalCost, price), price), { m: 100n, e: 0 });
  return {
    totals: {
      payments: formatFixedValue(payments, decimals),
      principal: formatFixedValue(principal, decimals),
      interest: formatFixedValue(interest, decimals),
      vat: formatFixedValue(vat, decimals),
      paymentsWithVat: formatFixedValue(plus(payments, vat), decimals),
      fees: formatFixedValue(fees, decimals),
      advance: formatFixedValue(advance, decimals),
      residual: formatFixedValue(residual, decimals),
      totalCost: formatFixedValue(totalCost, decimals),
    },
    overpaymentPercent: formatFixedValue(overpayment, 2),
    // The XIRR of the financing flows (the same as financingFlows gives), in percent rounded half-up to 6
    // decimals; decided in float64 with an exact check, or by the decimal XIRR when in doubt (effective-rate.ts).
    effectiveRate: effectiveRatePercent(flows),
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
