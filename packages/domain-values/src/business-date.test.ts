import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isBusinessDate, laterOf, utcDate } from './business-date.ts';

describe('business dates', () => {
  it('should take only real calendar dates', () => {
    expect(isBusinessDate('2028-02-29')).toBe(true);
    expect(isBusinessDate('2026-02-29')).toBe(false);
    expect(isBusinessDate('2026-02-30')).toBe(false);
    expect(isBusinessDate('2026-2-1')).toBe(false);
    expect(isBusinessDate('2026-03-01T00:00:00Z')).toBe(false);
  });

  it('should count calendar days across month ends and daylight-saving changes', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-25', '2026-10-24')).toBe(-1);
    expect(daysBetween('2026-01-01', addDays('2026-01-01', 365))).toBe(365);
  });

  it('should pick the latest date and the UTC date of a moment', () => {
    expect(laterOf('2026-01-31', '2026-02-01', '2025-12-31')).toBe('2026-02-01');
    expect(utcDate(new Date('2026-03-01T23:30:00-02:00'))).toBe('2026-03-02');
  });
});
