import { describe, expect, it } from 'vitest';
import {
  amountRefusal,
  D,
  formatAmount,
  formatAmountUnrounded,
  isPlainDecimal,
  minorUnits,
  money,
  roundToMinor,
  sum,
} from './money.ts';

describe('minorUnits', () => {
  it('should give the ISO 4217 minor unit, and 2 when the code is not on the list', () => {
    expect([minorUnits('EUR'), minorUnits('JPY'), minorUnits('KWD'), minorUnits('CLF')]).toEqual([
      2, 0, 3, 4,
    ]);
    expect(minorUnits('XXX')).toBe(2);
  });
});

describe('formatAmount', () => {
  it('should write the currency’s decimals when the stored numeric has more or fewer', () => {
    expect(formatAmount('25000.0000', 'EUR')).toBe('25000.00');
    expect(formatAmount('1250', 'KWD')).toBe('1250.000');
    expect(formatAmount('3000000.0000', 'JPY')).toBe('3000000');
  });

  it('should round half-up (ties away from zero) and never write minus zero when it must round', () => {
    expect(formatAmount('0.125', 'EUR')).toBe('0.13');
    expect(formatAmount('-0.125', 'EUR')).toBe('-0.13');
    expect(formatAmount('0.124', 'EUR')).toBe('0.12');
    expect(formatAmount('-0.001', 'EUR')).toBe('0.00');
    expect(money(new D('10.5'), 'JPY')).toEqual({ amount: '11', currency: 'JPY' });
  });
});

describe('formatAmountUnrounded', () => {
  it('should pad to the currency’s decimals and keep every booked decimal when there are more', () => {
    expect(formatAmountUnrounded('1250', 'EUR')).toBe('1250.00');
    expect(formatAmountUnrounded('0.123456', 'EUR')).toBe('0.123456');
    expect(formatAmountUnrounded('10.5', 'JPY')).toBe('10.5');
  });
});

describe('roundToMinor and sum', () => {
  it('should round a computed amount half-up to the minor unit and add exactly', () => {
    expect(roundToMinor(new D('2').div(3), 'EUR').toString()).toBe('0.67');
    expect(roundToMinor('1.0005', 'KWD').toString()).toBe('1.001');
    expect(sum(['0.1', '0.2', new D('0.3')]).toString()).toBe('0.6');
    expect(sum([]).toString()).toBe('0');
  });
});

describe('isPlainDecimal', () => {
  it('should take up to 15 digits and 6 decimals without sign unless signed', () => {
    expect(isPlainDecimal('1250.00')).toBe(true);
    expect(isPlainDecimal('999999999999999.999999')).toBe(true);
    expect(isPlainDecimal('-1.00')).toBe(false);
    expect(isPlainDecimal('-1.00', { signed: true })).toBe(true);
  });

  it('should refuse exponents, separators, empty parts and too many digits', () => {
    for (const text of [
      '1e3',
      '1,250.00',
      '1 250',
      '.5',
      '5.',
      '',
      '-',
      '--1',
      '1.1234567',
      '1234567890123456',
    ])
      expect([text, isPlainDecimal(text, { signed: true })]).toEqual([text, false]);
  });
});

describe('amountRefusal', () => {
  it('should accept an amount when it has at most the currency’s decimals', () => {
    expect(amountRefusal({ amount: '25000.50', currency: 'EUR' }, 'positive')).toBeNull();
    expect(amountRefusal({ amount: '3000000', currency: 'JPY' }, 'positive')).toBeNull();
    expect(amountRefusal({ amount: '0', currency: 'EUR' }, 'non-negative')).toBeNull();
  });

  it('should name the reason when the currency is unknown, the amount below its bound or too precise', () => {
    expect(amountRefusal({ amount: '10.00', currency: 'XXX' }, 'positive')).toEqual({
      reason: 'unknown-currency',
    });
    expect(amountRefusal({ amount: '0.00', currency: 'EUR' }, 'positive')).toEqual({
      reason: 'not-positive',
    });
    expect(amountRefusal({ amount: '-1.00', currency: 'EUR' }, 'non-negative')).toEqual({
      reason: 'negative',
    });
    expect(amountRefusal({ amount: '10.5', currency: 'JPY' }, 'positive')).toEqual({
      reason: 'too-many-decimals',
      minorUnits: 0,
    });
  });
});
