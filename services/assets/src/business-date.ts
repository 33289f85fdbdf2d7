/**
 * `YYYY-MM-DD` of a moment in UTC: the day insurance cover is judged on. Lessor keeps business dates without a
 * time zone; UTC is the one every replica agrees on.
 */
export function utcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}
