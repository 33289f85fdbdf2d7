import { describe, expect, it } from 'vitest';
import { moneyErrors } from './money.ts';

describe('moneyErrors', () => {
  it('should accept an amount when it has at most the currency’s decimals', () => {
    expect(moneyErrors({ amount: '25000.50', currency: 'EUR' }, '/body/price', 'positive')).toEqual([]);
    expect(moneyErrors({ amount: '3000000', currency: 'JPY' }, '/body/price', 'positive')).toEqual([]);
    expect(moneyErrors({ amount: '0', currency: 'EUR' }, '/body/premium', 'non-negative')).toEqual([]);
  });

  it('should name the currency when the code is not an active ISO 4217 one', () => {
    expect(moneyErrors({ amount: '10.00', currency: 'XXX' }, '/body/price', 'positive')).toEqual([
      { field: '/body/price/currency', message: 'is not an active ISO 4217 currency code' },
    ]);
  });

  it('should name the amount when it is negative, zero for a price, or too precise', () => {
    expect(moneyErrors({ amount: '-1.00', currency: 'EUR' }, '/body/price', 'non-negative')).toEqual([
      { field: '/body/price/amount', message: 'must not be negative' },
    ]);
    expect(moneyErrors({ amount: '0.00', currency: 'EUR' }, '/body/price', 'positive')[0]?.message).toBe(
      'must be greater than zero',
    );
    expect(moneyErrors({ amount: '10.5', currency: 'JPY' }, '/body/price', 'positive')[0]?.message).toBe(
      'must have at most 0 decimals in JPY',
    );
  });
});
