import { describe, expect, it } from 'vitest';
import {
  CURRENCY_CODE_PATTERN,
  currencyCodeSchema,
  currencyMinorUnits,
  isCountryCode,
  isKnownCurrency,
  knownCurrencies,
} from './index.ts';

describe('reference data', () => {
  it('should know assigned countries and refuse reserved or lower-case codes', () => {
    expect(isCountryCode('DE')).toBe(true);
    expect(isCountryCode('GR')).toBe(true);
    for (const code of ['UK', 'EU', 'XK', 'de', 'DEU', '']) expect(isCountryCode(code), code).toBe(false);
  });

  it('should give each currency its minor unit when asked', () => {
    expect(currencyMinorUnits('EUR')).toBe(2);
    expect(currencyMinorUnits('JPY')).toBe(0);
    expect(currencyMinorUnits('KWD')).toBe(3);
    expect(currencyMinorUnits('CLF')).toBe(4);
    expect(currencyMinorUnits('XAU')).toBeUndefined();
    expect(isKnownCurrency('eur')).toBe(false);
    expect(isKnownCurrency(42)).toBe(false);
    expect(knownCurrencies()).toContain('USD');
    expect(knownCurrencies()).not.toContain('BGN');
  });

  it('should admit by its schema pattern exactly the currencies it knows', () => {
    const pattern = new RegExp(currencyCodeSchema().pattern, 'u');
    expect(currencyCodeSchema().pattern).toBe(CURRENCY_CODE_PATTERN);
    for (const code of knownCurrencies()) expect(pattern.test(code), code).toBe(true);
    for (const code of ['ZZZ', 'BGN', 'XAU', 'XXX', 'eur', 'EURO', 'EU', '', 'EUR\n', ' EUR'])
      expect(pattern.test(code), code).toBe(false);
    expect(currencyCodeSchema('The contract’s currency.').description).toBe('The contract’s currency.');
  });
});
