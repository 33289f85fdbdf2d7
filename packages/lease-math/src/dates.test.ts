import { describe, expect, it } from 'vitest';
import { actualDays, addMonthsClamped, days360US, parseDate } from './dates.ts';

describe('addMonthsClamped', () => {
  it('should clamp to the end of the month and come back to the 31st when counting from the start date', () => {
    expect([1, 2, 3, 4, 13].map((months) => addMonthsClamped('2026-01-31', months))).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2027-02-28',
    ]);
  });

  it('should give the 29th of February when the year is a leap year', () => {
    expect(addMonthsClamped('2027-12-31', 2)).toBe('2028-02-29');
    expect(addMonthsClamped('2099-12-30', 2)).toBe('2100-02-28');
    expect(addMonthsClamped('2399-12-30', 2)).toBe('2400-02-29');
  });

  it('should keep the anchor day rather than the date own day when an anchor is given', () => {
    expect(addMonthsClamped('2026-02-28', 1, 31)).toBe('2026-03-31');
    expect(addMonthsClamped('2026-02-28', 1)).toBe('2026-03-28');
  });

  it('should go back in time when months is negative', () => {
    expect(addMonthsClamped('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-01-15', -13)).toBe('2024-12-15');
  });

  it('should throw when the date is not a real date', () => {
    expect(() => addMonthsClamped('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonthsClamped('2026-01-01', 1.5)).toThrow(RangeError);
  });
});

describe('parseDate', () => {
  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-1-05',
    '26-01-05',
    '2026-01-05T00:00',
    '',
  ])('should refuse %j when it is not a real YYYY-MM-DD date', (value) => {
    expect(parseDate(value)).toBeUndefined();
  });

  it('should accept the 29th of February when the year is a leap year', () => {
    expect(parseDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe('day counts', () => {
  it('should count actual days across a leap day and a year end', () => {
    expect(actualDays('2028-02-28', '2028-03-01')).toBe(2);
    expect(actualDays('2026-12-31', '2027-01-31')).toBe(31);
    expect(actualDays('2026-01-31', '2026-01-01')).toBe(-30);
  });

  it.each([
    ['2026-01-15', '2026-02-15', 30],
    ['2026-01-31', '2026-02-28', 28], // start 31st → 30; Feb 28 is only an end date here
    ['2026-02-28', '2026-03-31', 30], // start last of February → 30, then end 31st → 30
    ['2026-02-28', '2027-02-28', 360], // both last of February
    ['2026-01-30', '2026-03-31', 60],
    ['2026-01-29', '2026-03-31', 62], // the end 31st stays when the start day is below 30
    ['2026-04-15', '2026-04-25', 10],
  ])('should count %s to %s as %i days by the 30/360 US rule', (from, to, days) => {
    expect(days360US(from, to)).toBe(days);
  });
});
