import { describe, expect, it } from 'vitest';
import { isKnownCurrency, knownCurrencies, minorUnits } from './currencies.ts';
import { LeaseTermsError } from './errors.ts';

describe('ISO 4217 table', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['CLF', 4],
    ['XCG', 2],
  ])('should give %s %i minor units', (code, units) => {
    expect(minorUnits(code)).toBe(units);
  });

  it.each(['eur', 'EURO', 'BGN', 'HRK', 'ANG', 'XAU', 'XXX', 'XTS', ''])(
    'should not know %j when it is not an active code with a minor unit',
    (code) => {
      expect(isKnownCurrency(code)).toBe(false);
    },
  );

  it('should throw a LeaseTermsError on /currency when the code is unknown', () => {
    try {
      minorUnits('ABC');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LeaseTermsError);
      expect((error as LeaseTermsError).issues).toEqual([
        { field: '/currency', message: expect.any(String) },
      ]);
    }
  });

  it('should hold every active code once when listed', () => {
    const codes = knownCurrencies();
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBeGreaterThanOrEqual(150);
    expect(codes.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
  });
});
