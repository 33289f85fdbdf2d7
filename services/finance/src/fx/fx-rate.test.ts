import { describe, expect, it } from 'vitest';
import { conversionRate, type FxRate } from './fx-rate.ts';

const quotes: FxRate[] = [
  { rateDate: '2026-01-10', fromCurrency: 'USD', toCurrency: 'EUR', rate: '0.90' },
  { rateDate: '2026-01-20', fromCurrency: 'EUR', toCurrency: 'USD', rate: '1.25' },
  { rateDate: '2026-01-20', fromCurrency: 'USD', toCurrency: 'EUR', rate: '0.85' },
  { rateDate: '2026-02-01', fromCurrency: 'USD', toCurrency: 'EUR', rate: '0.95' },
];

describe('conversionRate', () => {
  it('should take the latest quote on or before the date when converting', () => {
    expect(conversionRate('USD', 'EUR', quotes, '2026-01-15')).toMatchObject({
      rateDate: '2026-01-10',
      inverse: false,
    });
    expect(conversionRate('USD', 'EUR', quotes, '2026-01-15')!.rate.toFixed(2)).toBe('0.90');
  });

  it('should prefer the direct quote when the inverse one has the same date', () => {
    expect(conversionRate('USD', 'EUR', quotes, '2026-01-31')!.rate.toFixed(2)).toBe('0.85');
  });

  it('should use the inverse of the other direction when it is the most recent', () => {
    const rate = conversionRate('EUR', 'USD', quotes, '2026-03-01')!;
    expect(rate).toMatchObject({ rateDate: '2026-02-01', inverse: true });
    expect(rate.rate.toFixed(6)).toBe('1.052632');
  });

  it('should find nothing before the first quote, and 1 for the same currency', () => {
    expect(conversionRate('USD', 'EUR', quotes, '2026-01-01')).toBeUndefined();
    expect(conversionRate('GBP', 'GBP', [], '2026-01-01')!.rate.toFixed()).toBe('1');
  });
});
