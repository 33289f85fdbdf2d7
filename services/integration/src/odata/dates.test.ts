import { describe, expect, it } from 'vitest';
import { odataDateLiteral, odataV2DateValue, parseODataDate } from './dates.ts';
import { ODataProtocolError } from './errors.ts';

describe('parseODataDate', () => {
  it('should read a v2 /Date(ms)/ as the instant of its milliseconds', () => {
    expect(parseODataDate('/Date(1700000000000)/').toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('should keep the instant when a v2 date carries an offset in minutes', () => {
    // The offset says in which zone the server saw the instant; the milliseconds are UTC all the same.
    expect(parseODataDate('/Date(1700000000000+0060)/').toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(parseODataDate('/Date(1700000000000-0300)/').toISOString()).toBe('2023-11-14T22:13:20.000Z');
  });

  it('should read a date before 1970 when the milliseconds are negative', () => {
    expect(parseODataDate('/Date(-86400000)/').toISOString()).toBe('1969-12-31T00:00:00.000Z');
  });

  it('should apply the offset of a v4 DateTimeOffset', () => {
    expect(parseODataDate('2024-05-01T10:00:00+02:00').toISOString()).toBe('2024-05-01T08:00:00.000Z');
    expect(parseODataDate('2024-05-01T10:00:00-05:30').toISOString()).toBe('2024-05-01T15:30:00.000Z');
    expect(parseODataDate('2024-05-01T10:00:00Z').toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });

  it('should read an Edm.DateTime without an offset as UTC', () => {
    expect(parseODataDate('2024-05-01T10:00:00').toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(parseODataDate('2024-05-01T10:00').toISOString()).toBe('2024-05-01T10:00:00.000Z');
  });

  it('should keep milliseconds and cut .NET ticks to them', () => {
    expect(parseODataDate('2024-05-01T10:00:00.1234567Z').toISOString()).toBe('2024-05-01T10:00:00.123Z');
    expect(parseODataDate('2024-05-01T10:00:00.5Z').toISOString()).toBe('2024-05-01T10:00:00.500Z');
  });

  it('should read an Edm.Date as UTC midnight', () => {
    expect(parseODataDate('2024-05-01').toISOString()).toBe('2024-05-01T00:00:00.000Z');
  });

  it.each([
    ['2024-02-30T00:00:00Z'],
    ['2024-05-01T24:00:00Z'],
    ['2024-05-01T10:00:00TZ'],
    ['/Date(abc)/'],
    ['/Date(1700000000000+99999)/'],
    ['yesterday'],
    [''],
    [1700000000000],
    [null],
  ])('should refuse %j as not a date', (value) => {
    expect(() => parseODataDate(value)).toThrow(ODataProtocolError);
  });
});

describe('odataDateLiteral', () => {
  const instant = new Date('2024-05-01T08:30:15.250Z');

  it('should write a v4 DateTimeOffset bare, in UTC', () => {
    expect(odataDateLiteral(instant, 'v4')).toBe('2024-05-01T08:30:15.250Z');
  });

  it("should write a v2 Edm.DateTime as datetime'…' without a zone (UTC)", () => {
    expect(odataDateLiteral(instant, 'v2')).toBe("datetime'2024-05-01T08:30:15.250'");
    expect(odataDateLiteral(instant, 'v2', 'DateTime')).toBe("datetime'2024-05-01T08:30:15.250'");
  });

  it("should write a v2 Edm.DateTimeOffset as datetimeoffset'…Z'", () => {
    expect(odataDateLiteral(instant, 'v2', 'DateTimeOffset')).toBe(
      "datetimeoffset'2024-05-01T08:30:15.250Z'",
    );
  });

  it('should read back the instant it wrote (both ways)', () => {
    expect(parseODataDate(odataDateLiteral(instant, 'v4')).getTime()).toBe(instant.getTime());
    expect(parseODataDate(odataV2DateValue(instant)).getTime()).toBe(instant.getTime());
  });

  it('should refuse an invalid Date', () => {
    expect(() => odataDateLiteral(new Date(Number.NaN), 'v4')).toThrow(TypeError);
  });
});
