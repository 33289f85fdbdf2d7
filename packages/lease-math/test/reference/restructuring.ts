import { minorUnits } from './currencies.ts';
import { D, formatFixed, type Decimal } from './decimal.ts';
import { parseDate } from './dates.ts';
import { IssueCollector } from './errors.ts';
import { buildInstallments, summarize, type LeaseSchedule } from './schedule.ts';
import {
  MAX_TERM_MONTHS,
  SCHEDULE_TYPES,
  readAmount,
  readInteger,
  readRate,
  readSeasonalWeights,
  type ScheduleType,
} from './terms.ts';

/** What changes from `fromDate` on; every field but `fromDate` defaults to the schedule's. */
export interface RestructuringInput {
  /** Installments due before this date are kept; YYYY-MM-DD within [start date, last due date]. */
  fromDate: string;
  /** The number of new installments; default: as many as remain. */
  termMonths?: number;
  /** The new annual rate in percent; default: the current one. */
  annualRate?: string;
  scheduleType?: ScheduleType;
  /** Required when switching to seasonal from another type; default: the current weights. */
  seasonalWeights?: string[];
  /** The new residual value; default: the current one. At most the balance being restructured. */
  residualValue?: string;
}

/**
 * Restructures a schedule from `fromDate`:
 * - installments due before `fromDate` are kept unchanged, byte for byte;
 * - the balance after the last kept one becomes the financed amount of a new run over `termMonths`
 *   (default: the remaining count) at `annualRate` (default: the current one), with no grace months;
 * - the new due dates continue monthly from the last kept due date, on the ORIGINAL start date's day
 *   clamped to the month's end (a Feb 28 due date of a lease started on the 31st is followed by Mar 31);
 * - numbering continues after the kept installments;
 * - the result is one whole schedule: totals and effective rate (XIRR over all flows since the start) are
 *   recomputed; `financedAmount`, `advance` and `fees` stay those of the original lease, while
 *   `annualRate`, `scheduleType` and `residualValue` become the new ones, the old ones being kept in
 *   `restructurings` so a later termination quote applies the rate each installment had.
 * Throws {@link LeaseTermsError} naming each invalid field.
 */
export function restructureSchedule(schedule: LeaseSchedule, input: RestructuringInput): LeaseSchedule {
  const decimals = minorUnits(schedule.currency);
  const issues = new IssueCollector();
  const lastDue = schedule.installments[schedule.installments.length - 1]?.dueDate ?? schedule.startDate;

  const fromDate = parseDate(input.fromDate) ? input.fromDate : undefined;
  if (!fromDate) issues.add('/fromDate', 'must be a real date YYYY-MM-DD');
  else if (fromDate < schedule.startDate || fromDate > lastDue) {
    issues.add(
      '/fromDate',
      `must be between the start date ${schedule.startDate} and the last due date ${lastDue}`,
    );
  }
  const kept = fromDate ? schedule.installments.filter((row) => row.dueDate < fromDate) : [];
  const lastKept = kept[kept.length - 1];
  const balance = new D(lastKept ? lastKept.balance : schedule.financedAmount);

  const termMonths =
    input.termMonths === undefined
      ? schedule.installments.length - kept.length
      : readInteger(issues, '/termMonths', input.termMonths, 1, MAX_TERM_MONTHS);
  const annualRate =
    input.annualRate === undefined
      ? new D(schedule.annualRate)
      : readRate(issues, '/annualRate', input.annualRate);
  const scheduleType = input.scheduleType ?? schedule.scheduleType;
  if (!SCHEDULE_TYPES.includes(scheduleType)) {
    issues.add('/scheduleType', `must be one of ${SCHEDULE_TYPES.join(', ')}`);
  }
  let weights: Decimal[] | undefined;
  if (scheduleType === 'seasonal') {
    weights = readSeasonalWeights(
      issues,
      '/seasonalWeights',
      input.seasonalWeights ?? schedule.seasonalWeights,
    );
  } else if (input.seasonalWeights !== undefined) {
    issues.add('/seasonalWeights', 'applies only to the seasonal schedule type');
  }
  const residual =
    input.residualValue === undefined
      ? new D(schedule.residualValue)
      : readAmount(issues, '/residualValue', input.residualValue, decimals);
  // Only a seasonal balance can be below the residual (before months of weight 0): a lower one must be given.
  if (residual && residual.gt(balance)) {
    issues.add(
      '/residualValue',
      `must not exceed the balance being restructured ${formatFixed(balance, decimals)}`,
    );
  }
  issues.throwIfAny();

  const recomputed = buildInstallments({
    decimals,
    financed: balance,
    residual: residual!,
    count: termMonths!,
    grace: 0,
    annualRate: annualRate!,
    scheduleType,
    seasonalWeights: weights,
    dayCount: schedule.dayCount,
    vatRate: new D(schedule.vatRate),
    anchorDate: lastKept ? lastKept.dueDate : schedule.startDate,
    anchorDay: parseDate(schedule.startDate)!.day,
    firstNumber: kept.length + 1,
  });
  const installments = [...kept.map((row) => ({ ...row })), ...recomputed];
  const summary = summarize({
    decimals,
    assetPrice: new D(schedule.assetPrice),
    advance: new D(schedule.advance),
    financedAmount: new D(schedule.financedAmount),
    residualValue: residual!,
    startDate: schedule.startDate,
    fees: schedule.fees.map((fee) => ({ amount: new D(fee.amount) })),
    installments,
  });
  const { seasonalWeights: _previousWeights, ...rest } = schedule;
  return {
    ...rest,
    residualValue: formatFixed(residual!, decimals),
    termMonths: installments.length,
    graceMonths: Math.min(schedule.graceMonths, kept.length),
    annualRate: annualRate!.toFixed(),
    scheduleType,
    ...(weights ? { seasonalWeights: weights.map((weight) => weight.toFixed()) } : {}),
    installments,
    ...summary,
    restructurings: [
      ...(schedule.restructurings ?? []),
      {
        fromDate: fromDate!,
        keptInstallments: kept.length,
        balance: formatFixed(balance, decimals),
        previousAnnualRate: schedule.annualRate,
        previousScheduleType: schedule.scheduleType,
        previousResidualValue: schedule.residualValue,
      },
    ],
  };
}
