import { describe, expect, it } from 'vitest';
import {
  calculationRequest,
  defaultValues,
  fitToProduct,
  formErrorsOf,
  nextMonthStart,
  validateCalculation,
  valuesOfCalculation,
} from './calculation-form.ts';
import { compareDecimal, parseDecimalInput, percentOf, truncateDecimal } from './decimal.ts';
import { calculation, carProduct } from './fixtures.ts';

describe('decimal strings', () => {
  it('should compare and take shares exactly, where binary floats would not', () => {
    // 0.1 + 0.2 style trouble: 30 % of 45000.03 is 13500.009 exactly.
    expect(percentOf('45000.03', '30')).toBe('13500.009');
    expect(compareDecimal('13500.009', '13500.0090')).toBe(0);
    expect(compareDecimal('9007199254740993.01', '9007199254740993')).toBe(1);
    expect(truncateDecimal('13500.009', 2)).toBe('13500');
    expect(truncateDecimal('18000.019', 2)).toBe('18000.01');
  });

  it('should read a comma as the decimal separator and refuse grouped numbers', () => {
    expect(parseDecimalInput(' 45000,50 ')).toBe('45000.50');
    expect(parseDecimalInput('0045.5')).toBe('45.5');
    expect(parseDecimalInput('45.000,50')).toBeNull();
    expect(parseDecimalInput('1e5')).toBeNull();
    expect(parseDecimalInput('-5')).toBeNull();
  });
});

describe('the calculator form', () => {
  it('should start next month', () => {
    expect(nextMonthStart(new Date(2026, 11, 15))).toBe('2027-01-01');
    expect(nextMonthStart(new Date(2026, 0, 31))).toBe('2026-02-01');
  });

  it('should refuse a schedule type and an advance amount the product does not allow', () => {
    const values = {
      ...defaultValues(carProduct),
      assetPrice: '10000',
      scheduleType: 'seasonal' as const,
      advanceMode: 'amount' as const,
      advance: '3000.01',
    };
    expect(validateCalculation(values, carProduct, true)).toEqual({
      scheduleType: { key: 'scheduleType' },
      advance: { key: 'advanceAmountMax', values: { max: '30' } },
    });
  });

  it('should send seasonal weights only for a seasonal schedule, and the advance as money when given so', () => {
    const values = {
      ...defaultValues(),
      assetPrice: '100000',
      annualRate: '6',
      startDate: '2027-01-01',
      scheduleType: 'seasonal' as const,
      seasonalWeights: ['0', '0', '1', '1', '1', '2', '2', '2', '1', '1', '0,5', '0'],
      advanceMode: 'amount' as const,
      advance: '10000',
      graceMonths: 2,
    };
    expect(validateCalculation(values, undefined, false)).toEqual({});
    expect(calculationRequest(values)).toEqual({
      assetPrice: { amount: '100000', currency: 'EUR' },
      advance: { amount: { amount: '10000', currency: 'EUR' } },
      termMonths: 36,
      annualRate: '6',
      scheduleType: 'seasonal',
      seasonalWeights: ['0', '0', '1', '1', '1', '2', '2', '2', '1', '1', '0.5', '0'],
      startDate: '2027-01-01',
      vatRate: '19',
      graceMonths: 2,
    });
  });

  it('should put the API’s nested money fields on the one input each has', () => {
    expect(
      formErrorsOf({
        'assetPrice.amount': 'a',
        'assetPrice.currency': 'b',
        'advance.percent': 'c',
        'residualValue.currency': 'd',
        seasonalWeights: 'e',
        'seasonalWeights.3': 'f',
      }),
    ).toEqual({
      assetPrice: 'a',
      currency: 'b',
      advance: 'c',
      residualValue: 'd',
      seasonalWeights: 'e',
      'seasonalWeights.3': 'f',
    });
  });

  it('should move term and rate into the range of a product the user switches to', () => {
    const equipment = { ...carProduct, id: 'equipment', minTermMonths: 24, minRate: '4.5', maxRate: '12' };
    const fitted = fitToProduct(
      { ...defaultValues(carProduct), termMonths: 12, annualRate: '3,9' },
      equipment,
    );
    expect(fitted).toMatchObject({ productId: 'equipment', termMonths: 24, annualRate: '4.5' });
    const inside = fitToProduct(
      { ...defaultValues(carProduct), termMonths: 48, annualRate: '6,5' },
      equipment,
    );
    expect(inside).toMatchObject({ termMonths: 48, annualRate: '6,5' });
  });

  it('should bring a saved calculation back into the form', () => {
    expect(valuesOfCalculation(calculation)).toMatchObject({
      productId: carProduct.id,
      assetPrice: '30000.00',
      advanceMode: 'amount',
      advance: '3000.00',
      residualValue: '',
      termMonths: 3,
      annualRate: '5',
      startDate: '2026-12-01',
      dayCount: '30/360',
    });
  });
});
