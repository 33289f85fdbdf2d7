// Business dates are `YYYY-MM-DD` without a time zone; arithmetic on them is done in UTC, where every day
// has 24 hours, and "today" is the UTC date: the one every replica agrees on. (The schedule math in
// `@lessor/lease-math` computes its due dates with integers only; these helpers serve the services.)

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date `YYYY-MM-DD` (not 2026-02-30). */
export function isBusinessDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text;
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The latest of some dates (`YYYY-MM-DD` strings sort as dates). */
export function laterOf(...dates: string[]): string {
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

/** The `YYYY-MM-DD` of a moment in UTC. */
export function utcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/** Today's date in UTC: the business date every replica agrees on (a service takes it as a `today` option). */
export function utcToday(): string {
  return utcDate(new Date());
}
