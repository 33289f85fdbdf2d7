// Overdue invoices as values: the daily penalty on overdue principal, the aging bucket of a debt and the
// dunning levels it reached. Pure: the service loads the invoice's history and writes what this answers.
import { addDays, D, daysBetween, type Decimal, roundToMinor } from '@lessor/domain-values';

export interface PrincipalPaid {
  /** The business date of the allocation that paid it. */
  date: string;
  amount: string;
}

export interface DailyPenalty {
  chargeDate: string;
  daysOverdue: number;
  /** The principal overdue at the end of that day. */
  base: Decimal;
  amount: Decimal;
}

/**
 * The penalties of each day from `from` (inclusive; the day after the due date at the earliest) to `upTo`
 * (inclusive): `rate` percent of the principal still unpaid at the end of the day (money allocated on a day
 * counts for that day), rounded half-up to the currency's minor unit each day. Nothing for a day whose
 * penalty rounds to zero. Overdue principal only falls, so the first day without it ends the list.
 */
export function dailyPenalties(input: {
  dueDate: string;
  principal: string;
  paid: readonly PrincipalPaid[];
  from: string;
  upTo: string;
  rate: string;
  currency: string;
}): DailyPenalty[] {
  const rate = new D(input.rate);
  if (rate.lte(0)) return [];
  const first = input.from > input.dueDate ? input.from : addDays(input.dueDate, 1);
  const penalties: DailyPenalty[] = [];
  for (let day = first; day <= input.upTo; day = addDays(day, 1)) {
    const base = input.paid
      .filter((payment) => payment.date <= day)
      .reduce((open, payment) => open.minus(payment.amount), new D(input.principal));
    if (base.lte(0)) break;
    const amount = roundToMinor(base.times(rate).div(100), input.currency);
    if (amount.gt(0))
      penalties.push({ chargeDate: day, daysOverdue: daysBetween(input.dueDate, day), base, amount });
  }
  return penalties;
}

export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The bucket of a debt by days past its due date: not yet due (or due today) is current. */
export function agingBucket(daysPastDue: number): AgingBucket {
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return '1-30';
  if (daysPastDue <= 60) return '31-60';
  if (daysPastDue <= 90) return '61-90';
  return '90+';
}

export interface DunningLevel {
  level: number;
  daysOverdue: number;
}

/** Level 1 a week after the due date, 2 after a month, 3 after two months; configurable. */
export const DEFAULT_DUNNING_LEVELS: DunningLevel[] = [
  { level: 1, daysOverdue: 7 },
  { level: 2, daysOverdue: 30 },
  { level: 3, daysOverdue: 60 },
];

/** Why a list of dunning levels cannot be used, or null: levels 1, 2, 3… at strictly growing days. */
export function dunningLevelsProblem(levels: readonly DunningLevel[]): string | null {
  for (const [index, level] of levels.entries()) {
    if (level.level !== index + 1) return 'levels must be numbered 1, 2, 3… in order';
    if (index > 0 && level.daysOverdue <= levels[index - 1]!.daysOverdue)
      return 'each level must start more days after the due date than the one before';
  }
  return null;
}

/** The levels whose date (`lateSince` + their days) is on or before `upTo`, each with that date. */
export function dunningDates(
  lateSince: string,
  levels: readonly DunningLevel[],
  upTo: string,
): { level: number; date: string }[] {
  return levels
    .map((level) => ({ level: level.level, date: addDays(lateSince, level.daysOverdue) }))
    .filter((level) => level.date <= upTo);
}
