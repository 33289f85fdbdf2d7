import { describe, expect, it } from 'vitest';
import { formFieldErrors } from '../api/problem.ts';
import { common } from './common.ts';
import { formatDate, formatMoney } from './format.ts';

describe('formatMoney', () => {
  it('should write an amount in the locale without losing digits of a decimal string', () => {
    expect(formatMoney('1234567.89', 'EUR', 'de-DE')).toBe('1.234.567,89\u00a0€');
    expect(formatMoney('1234567.89', 'EUR', 'en-GB')).toBe('€1,234,567.89');
    // A float would print 90071992547409.92 as …409.9 or …409.92 depending on luck; the string stays exact.
    expect(formatMoney('90071992547409.93', 'EUR', 'en-GB')).toBe('€90,071,992,547,409.93');
  });

  it('should show a dash for a missing amount', () => {
    expect(formatMoney(null, 'EUR', 'en-GB')).toBe('—');
  });
});

describe('formatDate', () => {
  it('should write a business date without shifting it by the time zone', () => {
    expect(formatDate('2026-01-31', 'de-DE')).toBe('31.01.2026');
    expect(formatDate('2026-01-31', 'en-GB')).toBe('31 Jan 2026');
  });
});

describe('formFieldErrors', () => {
  it('should name each refused field as the form does', () => {
    const errors = formFieldErrors({
      title: 'Validation failed',
      status: 400,
      errors: [
        { field: '/body/legalName', message: 'must NOT have fewer than 1 characters' },
        { field: '/body/address/city', message: 'is required' },
        { field: '/body', message: 'must have required property taxId' },
      ],
    });
    expect(errors).toEqual({
      legalName: 'must NOT have fewer than 1 characters',
      'address.city': 'is required',
      _: 'must have required property taxId',
    });
  });
});

describe('texts', () => {
  const keys = (value: unknown, prefix = ''): string[] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`))
      : [prefix];

  it('should have every common text in both languages', () => {
    expect(keys(common.de).sort()).toEqual(keys(common.en).sort());
  });
});
