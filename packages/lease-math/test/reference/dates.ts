/**
 * Calendar dates as `YYYY-MM-DD` strings, computed with integers only: no `Date`, so no time zone or
 * daylight-saving shift can move a due date or change a day count.
 */

/** A calendar date split into its parts; `month` is 1..12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `year` is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The number of days in `month` (1..12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses a real `YYYY-MM-DD` date (2026-02-30 is refused); `undefined` when it is not one. */
export function parseDate(value: unknown): CivilDate | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function parseOrThrow(value: string): CivilDate {
  const parsed = parseDate(value);
  if (!parsed) throw new RangeError(`not a real YYYY-MM-DD date: ${JSON.stringify(value)}`);
  return parsed;
}

/** Formats as `YYYY-MM-DD`. */
export function formatDate({ year, month, day }: CivilDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil), for actual day counts. */
export function epochDay({ year, month, day }: CivilDate): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Actual calendar days from `from` to `to` (negative when `to` is earlier). */
export function actualDays(from: string, to: string): number {
  return epochDay(parseOrThrow(to)) - epochDay(parseOrThrow(from));
}

/**
 * Adds `months` calendar months to `date`, keeping the day of month `anchorDay` (default: the date's own day)
 * and clamping it to the target month's length: 2026-01-31 + 1 → 2026-02-28, + 2 → 2026-03-31.
 *
 * Due dates are always computed from the start date (or with the start date's day as `anchorDay`), never from
 * the previous due date, so a short February does not pull every later due date to the 28th.
 */
export function addMonthsClamped(date: string, months: number, anchorDay?: number): string {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer, got ${months}`);
  if (anchorDay !== undefined && (!Number.isInteger(anchorDay) || anchorDay < 1 || anchorDay > 31)) {
    throw new RangeError(`anchorDay must be an integer 1..31, got ${anchorDay}`);
  }
  const start = parseOrThrow(date);
  const monthIndex = start.year * 12 + (start.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(anchorDay ?? start.day, daysInMonth(year, month));
  return formatDate({ year, month, day });
}

/**
 * Days between two dates by the 30/360 US rule (the SIA bond basis, "30U/360"):
 * 1. both dates the last day of February → the end day becomes 30;
 * 2. the start date the last day of February or the 31st → the start day becomes 30;
 * 3. the end date the 31st while the start day is (now) 30 → the end day becomes 30;
 * days = 360 × Δyears + 30 × Δmonths + Δdays.
 */
export function days360US(from: string, to: string): number {
  const a = parseOrThrow(from);
  const b = parseOrThrow(to);
  const lastOfFebruary = (date: CivilDate) => date.month === 2 && date.day === daysInMonth(date.year, 2);
  let startDay = a.day;
  let endDay = b.day;
  if (lastOfFebruary(a) && lastOfFebruary(b)) endDay = 30;
  if (lastOfFebruary(a) || startDay === 31) startDay = 30;
  if (endDay === 31 && startDay === 30) endDay = 30;
  return 360 * (b.year - a.year) + 30 * (b.month - a.month) + (endDay - startDay);
}
