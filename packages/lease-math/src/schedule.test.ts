import * as formulajs from '@formulajs/formulajs';
import { describe, expect, it } from 'vitest';
import { D } from './decimal.ts';
import { LeaseTermsError } from './errors.ts';
import type { CashFlow } from './finance.ts';
import { calculateSchedule, effectiveRateFlows, type LeaseSchedule } from './schedule.ts';
import type { LeaseTerms } from './terms.ts';

// formulajs (float64, Excel's formulas) is the independent implementation the schedules are checked against.
const excelXirr = (flows: CashFlow[]) =>
  formulajs.XIRR(
    flows.map((flow) => Number(flow.amount)),
    flows.map((flow) => flow.date),
  ) as number;
const roundCents = (value: number) => new D(value).toDecimalPlaces(2, D.ROUND_HALF_UP).toFixed(2);
const column = (schedule: LeaseSchedule, key: 'payment' | 'principal' | 'interest' | 'vat' | 'balance') =>
  schedule.installments.map((row) => row[key]);
const sum = (values: string[]) => values.reduce((total, value) => total.plus(value), new D(0));

/** The API example: 120 000 EUR, 20 % advance, 36 months at 9.5 %, annuity, residual 10 000, VAT 20 %. */
const apiExample: LeaseTerms = {
  currency: 'EUR',
  assetPrice: '120000.00',
  advance: { percent: '20' },
  termMonths: 36,
  annualRate: '9.5',
  scheduleType: 'annuity',
  residualValue: '10000.00',
  startDate: '2026-01-31',
  vatRate: '20',
};

describe('calculateSchedule: the API example against Excel (formulajs)', () => {
  const schedule = calculateSchedule(apiExample);
  const r = 9.5 / 12 / 100;
  const financed = 96000;

  it('should finance the price less the advance when the advance is a percent', () => {
    expect(schedule.advance).toBe('24000.00');
    expect(schedule.financedAmount).toBe('96000.00');
  });

  it('should charge round(PMT(r, n, -F, residual)) when the schedule is an annuity', () => {
    const expected = roundCents(formulajs.PMT(r, 36, -financed, 10000) as number);
    expect(expected).toBe('2834.00');
    expect(column(schedule, 'payment').slice(0, 35)).toEqual(Array(35).fill(expected));
  });

  it('should charge round(IPMT(r, 1, n, -F, residual)) as the first interest', () => {
    // With pv = −F (the lessor's side) Excel's IPMT is already positive.
    const expected = roundCents(formulajs.IPMT(r, 1, 36, -financed, 10000) as number);
    expect(schedule.installments[0]!.interest).toBe(expected);
    expect(expected).toBe('760.00');
  });

  it('should stay within a cent of IPMT for every month when only rounding separates them', () => {
    for (const row of schedule.installments) {
      const exact = formulajs.IPMT(r, row.n, 36, -financed, 10000) as number;
      expect(Math.abs(Number(row.interest) - exact)).toBeLessThan(0.01);
    }
  });

  it('should give the XIRR of the same flows as the effective rate, to 4 decimals of a percent', () => {
    const flows = [
      { date: '2026-01-31', amount: '-96000.00' },
      ...schedule.installments.map((row) => ({ date: row.dueDate, amount: row.payment })),
      { date: '2029-01-31', amount: '10000.00' },
    ];
    expect(effectiveRateFlows(schedule)).toEqual(flows);
    expect(Number(schedule.effectiveRate)).toBeCloseTo(excelXirr(flows) * 100, 4);
    expect(schedule.effectiveRate).toMatch(/^\d+\.\d{6}$/);
  });

  it('should put the due dates k months after the start, clamped to the month end', () => {
    expect(schedule.installments.slice(0, 4).map((row) => row.dueDate)).toEqual([
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    expect(schedule.installments[24]!.dueDate).toBe('2028-02-29');
    expect(schedule.installments[35]!.dueDate).toBe('2029-01-31');
  });

  it('should let the last installment absorb the rounding so the balance ends at the residual', () => {
    expect(schedule.installments[35]).toMatchObject({
      payment: '2833.98',
      principal: '2733.18',
      balance: '10000.00',
    });
    expect(sum(column(schedule, 'principal')).toFixed(2)).toBe('86000.00');
  });

  it('should show VAT apart as round(payment × 20 %)', () => {
    expect(schedule.installments[0]!.vat).toBe('566.80');
    expect(schedule.installments[35]!.vat).toBe('566.80'); // 2833.98 × 0.2 = 566.796
  });

  it('should add up the totals and the overpayment when the lease is complete', () => {
    expect(schedule.totals).toEqual({
      payments: '102023.98',
      principal: '86000.00',
      interest: '16023.98',
      vat: '20404.80',
      paymentsWithVat: '122428.78',
      fees: '0.00',
      advance: '24000.00',
      residual: '10000.00',
      totalCost: '136023.98',
    });
    // (24000 + 102023.98 + 0 + 10000 − 120000) / 120000 × 100 = 13.3533…
    expect(schedule.overpaymentPercent).toBe('13.35');
  });
});

describe('calculateSchedule: worked examples', () => {
  it('should repay an equal principal with falling interest when the schedule is differentiated', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '1200.00',
      termMonths: 3,
      annualRate: '12',
      scheduleType: 'differentiated',
      startDate: '2026-01-15',
    });
    // r = 1 %: principal 400 each month; interest 12.00, 8.00, 4.00 on 1200, 800, 400.
    expect(column(schedule, 'principal')).toEqual(['400.00', '400.00', '400.00']);
    expect(column(schedule, 'interest')).toEqual(['12.00', '8.00', '4.00']);
    expect(column(schedule, 'payment')).toEqual(['412.00', '408.00', '404.00']);
    expect(column(schedule, 'balance')).toEqual(['800.00', '400.00', '0.00']);
  });

  it('should divide without interest and give a zero effective rate when the rate is 0', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '1000.00',
      termMonths: 3,
      annualRate: '0',
      scheduleType: 'annuity',
      startDate: '2026-01-15',
    });
    expect(column(schedule, 'payment')).toEqual(['333.33', '333.33', '333.34']);
    expect(column(schedule, 'interest')).toEqual(['0.00', '0.00', '0.00']);
    expect(schedule.effectiveRate).toBe('0.000000');
    expect(schedule.overpaymentPercent).toBe('0.00');
  });

  it('should spread payments by the weights of their due months when the schedule is seasonal', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '1200.00',
      termMonths: 12,
      annualRate: '0',
      scheduleType: 'seasonal',
      // January..June weight 1, July..December weight 3: M = 1200 / (6·1 + 6·3) = 50.
      seasonalWeights: ['1', '1', '1', '1', '1', '1', '3', '3', '3', '3', '3', '3'],
      startDate: '2026-01-15',
    });
    // Due dates run February 2026 .. January 2027.
    expect(column(schedule, 'payment')).toEqual([
      ...Array(5).fill('50.00'),
      ...Array(6).fill('150.00'),
      '50.00',
    ]);
    expect(schedule.installments[11]!.dueDate).toBe('2027-01-15');
  });

  it('should make the seasonal payments worth F − R/(1+r)^n at r when the rate is positive', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '10000.00',
      termMonths: 12,
      annualRate: '12',
      scheduleType: 'seasonal',
      seasonalWeights: ['0', '0', '1', '2', '2', '2', '2', '2', '1', '0', '0', '0'],
      residualValue: '1000.00',
      startDate: '2026-01-15',
    });
    const payments = column(schedule, 'payment').map(Number);
    // Months of weight 0 pay nothing; the others are proportional to their weight.
    expect(payments.filter((_, k) => [0, 8, 9, 10].includes(k))).toEqual([0, 0, 0, 0]);
    expect(payments[2]).toBeCloseTo(2 * payments[1]!, 1);
    const presentValue =
      payments.reduce((pv, payment, k) => pv + payment / 1.01 ** (k + 1), 0) + 1000 / 1.01 ** 12;
    expect(presentValue).toBeCloseTo(10000, 1);
    expect(schedule.installments[11]!.balance).toBe('1000.00');
    // Interest of the unpaid autumn months is added to the balance, which climbs back to the residual.
    expect(column(schedule, 'balance').slice(7).map(Number)).toEqual(
      [...column(schedule, 'balance').slice(7).map(Number)].sort((a, b) => a - b),
    );
  });

  it('should charge interest only in the grace months, then amortise the full amount over the rest', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '1200.00',
      termMonths: 4,
      graceMonths: 1,
      annualRate: '12',
      scheduleType: 'annuity',
      startDate: '2026-01-15',
    });
    const expected = roundCents(formulajs.PMT(0.01, 3, -1200) as number);
    expect(schedule.installments[0]).toMatchObject({
      payment: '12.00',
      principal: '0.00',
      balance: '1200.00',
    });
    expect(column(schedule, 'payment').slice(1, 3)).toEqual([expected, expected]);
    expect(schedule.installments[3]!.balance).toBe('0.00');
    expect(schedule.graceMonths).toBe(1);
  });

  it('should count interest by actual days while keeping the r-based payment when the day count is actual/365', () => {
    const schedule = calculateSchedule({ ...apiExample, dayCount: 'actual/365' });
    // 96000 × 9.5 % × 28 / 365 (31 Jan → 28 Feb) = 699.616…; 93 700.38 × 9.5 % × 31/365 for March.
    expect(schedule.installments[0]).toMatchObject({
      interest: '699.62',
      payment: '2834.00',
      principal: '2134.38',
    });
    expect(schedule.installments[1]!.interest).toBe(
      new D('93865.62').times('0.095').times(31).div(365).toFixed(2),
    );
    expect(schedule.installments[35]!.balance).toBe('10000.00');
  });

  it('should count a year of 360 days when the day count is actual/360', () => {
    const schedule = calculateSchedule({ ...apiExample, dayCount: 'actual/360' });
    // 96000 × 9.5 % × 28 / 360 = 709.333…
    expect(schedule.installments[0]!.interest).toBe('709.33');
  });

  it('should format without decimals and raise the effective rate by the fees when the currency is JPY', () => {
    const terms: LeaseTerms = {
      currency: 'JPY',
      assetPrice: '5000000',
      advance: { percent: '10' },
      termMonths: 24,
      annualRate: '3.9',
      scheduleType: 'annuity',
      startDate: '2026-03-31',
      vatRate: '10',
      fees: [{ name: 'arrangement', amount: '30000' }],
    };
    const schedule = calculateSchedule(terms);
    const payment = new D(formulajs.PMT(3.9 / 1200, 24, -4500000) as number).toDecimalPlaces(0).toFixed(0);
    expect(schedule.installments[0]).toMatchObject({ payment, interest: '14625', balance: '4319413' });
    expect(schedule.installments.every((row) => /^-?\d+$/.test(row.payment + row.vat + row.balance))).toBe(
      true,
    );
    const flows = effectiveRateFlows(schedule);
    expect(flows[0]).toEqual({ date: '2026-03-31', amount: '-4470000' }); // −(4 500 000 − 30 000)
    expect(Number(schedule.effectiveRate)).toBeCloseTo(excelXirr(flows) * 100, 4);
    const withoutFee = calculateSchedule({ ...terms, fees: [] });
    expect(Number(schedule.effectiveRate)).toBeGreaterThan(Number(withoutFee.effectiveRate));
    expect(schedule.totals.totalCost).toBe(
      sum([
        schedule.totals.advance,
        schedule.totals.payments,
        schedule.totals.fees,
        schedule.totals.residual,
      ]).toFixed(0),
    );
  });

  it('should stop repaying at the residual when rounded-up payments would overshoot it', () => {
    // 1.00 / 102 = 0.0098 → 0.01 a month would repay 1.02; the balance floor stops it at 0.00.
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '1.00',
      termMonths: 102,
      annualRate: '0',
      scheduleType: 'annuity',
      startDate: '2026-01-31',
    });
    expect(column(schedule, 'payment').slice(98)).toEqual(['0.01', '0.01', '0.00', '0.00']);
    expect(column(schedule, 'balance').slice(98)).toEqual(['0.01', '0.00', '0.00', '0.00']);
  });

  it('should credit the lessee in a short last month of weight 0 when interest counts actual days', () => {
    // The payments are computed with r; February's 28 days of interest fall short of r, so the last
    // installment, which must bring the balance to the residual, comes out negative (documented).
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '10000.00',
      termMonths: 13,
      annualRate: '12',
      scheduleType: 'seasonal',
      seasonalWeights: ['1', '0', ...Array(10).fill('1')],
      residualValue: '5000.00',
      startDate: '2026-01-31',
      dayCount: 'actual/365',
    });
    expect(schedule.installments[12]).toMatchObject({
      dueDate: '2027-02-28',
      payment: '-3.93',
      principal: '-49.50',
      interest: '45.57', // 4950.50 × 12 % × 28/365
      balance: '5000.00',
    });
  });

  it('should round a percent advance half-up to the minor unit', () => {
    const schedule = calculateSchedule({
      currency: 'EUR',
      assetPrice: '100.05',
      advance: { percent: '10' }, // 10.005
      termMonths: 1,
      annualRate: '0',
      scheduleType: 'annuity',
      startDate: '2026-01-01',
    });
    expect(schedule.advance).toBe('10.01');
    expect(schedule.installments[0]!.payment).toBe('90.04');
  });

  it('should show three decimals when the currency is BHD', () => {
    const schedule = calculateSchedule({
      currency: 'BHD',
      assetPrice: '1000.000',
      advance: { amount: '100.500' },
      termMonths: 7,
      annualRate: '5',
      scheduleType: 'differentiated',
      startDate: '2026-01-01',
    });
    expect(schedule.financedAmount).toBe('899.500');
    expect(schedule.installments[0]!.principal).toBe('128.500');
    expect(schedule.installments[0]!.interest).toBe('3.748'); // 899.5 × 5/1200 = 3.74791…
  });
});

describe('calculateSchedule: validation', () => {
  const valid: LeaseTerms = {
    currency: 'EUR',
    assetPrice: '10000.00',
    termMonths: 12,
    annualRate: '5',
    scheduleType: 'annuity',
    startDate: '2026-01-15',
  };
  const fieldsOf = (terms: unknown) => {
    try {
      calculateSchedule(terms as LeaseTerms);
    } catch (error) {
      expect(error).toBeInstanceOf(LeaseTermsError);
      return (error as LeaseTermsError).issues.map((issue) => issue.field);
    }
    throw new Error('expected a LeaseTermsError');
  };

  it.each([
    ['a zero price', { assetPrice: '0' }, '/assetPrice'],
    ['a negative price', { assetPrice: '-100.00' }, '/assetPrice'],
    ['a price with a fraction of a cent', { assetPrice: '100.005' }, '/assetPrice'],
    ['a price as a number', { assetPrice: 100 }, '/assetPrice'],
    ['a term of 0', { termMonths: 0 }, '/termMonths'],
    ['a term of 601', { termMonths: 601 }, '/termMonths'],
    ['a fractional term', { termMonths: 12.5 }, '/termMonths'],
    [
      '11 seasonal weights',
      { scheduleType: 'seasonal', seasonalWeights: Array(11).fill('1') },
      '/seasonalWeights',
    ],
    ['no seasonal weights', { scheduleType: 'seasonal' }, '/seasonalWeights'],
    [
      'all seasonal weights 0',
      { scheduleType: 'seasonal', seasonalWeights: Array(12).fill('0') },
      '/seasonalWeights',
    ],
    [
      'a negative weight',
      { scheduleType: 'seasonal', seasonalWeights: ['-1', ...Array(11).fill('1')] },
      '/seasonalWeights/0',
    ],
    ['weights on an annuity', { seasonalWeights: Array(12).fill('1') }, '/seasonalWeights'],
    [
      'a residual above the financed amount',
      { advance: { amount: '1000.00' }, residualValue: '9000.01' },
      '/residualValue',
    ],
    ['an unknown currency', { currency: 'XYZ' }, '/currency'],
    ['a lower-case currency', { currency: 'eur' }, '/currency'],
    ['an advance amount equal to the price', { advance: { amount: '10000.00' } }, '/advance/amount'],
    ['an advance percent of 100', { advance: { percent: '100' } }, '/advance/percent'],
    [
      'an advance percent that rounds to the price',
      { assetPrice: '1', currency: 'JPY', advance: { percent: '60' } },
      '/advance/percent',
    ],
    ['an advance with both forms', { advance: { percent: '10', amount: '100.00' } }, '/advance'],
    ['30 February', { startDate: '2026-02-30' }, '/startDate'],
    ['a date without leading zeros', { startDate: '2026-1-5' }, '/startDate'],
    ['a negative rate', { annualRate: '-1' }, '/annualRate'],
    ['a rate in exponent notation', { annualRate: '1e1' }, '/annualRate'],
    ['an unknown schedule type', { scheduleType: 'balloon' }, '/scheduleType'],
    ['grace as long as the term', { graceMonths: 12 }, '/graceMonths'],
    ['an unknown day count', { dayCount: '30E/360' }, '/dayCount'],
    ['a negative VAT rate', { vatRate: '-20' }, '/vatRate'],
    ['a fee without a name', { fees: [{ name: '', amount: '10.00' }] }, '/fees/0/name'],
    [
      'fees of the whole financed amount',
      {
        fees: [
          { name: 'a', amount: '6000.00' },
          { name: 'b', amount: '4000.00' },
        ],
      },
      '/fees',
    ],
  ])('should name the field when the terms have %s', (_, change, field) => {
    expect(fieldsOf({ ...valid, ...change })).toEqual([field]);
  });

  it('should name every invalid field at once when several are wrong', () => {
    expect(
      fieldsOf({
        ...valid,
        currency: 'XXX',
        assetPrice: '0',
        termMonths: 0,
        startDate: '2026-13-01',
        annualRate: 'x',
      }),
    ).toEqual(['/currency', '/assetPrice', '/termMonths', '/annualRate', '/startDate']);
  });

  it('should name the weights when every month an installment falls in has weight 0', () => {
    // One installment, due in February, whose weight is 0.
    const weights = ['1', '0', ...Array(10).fill('1')];
    expect(fieldsOf({ ...valid, termMonths: 1, scheduleType: 'seasonal', seasonalWeights: weights })).toEqual(
      ['/seasonalWeights'],
    );
  });

  it('should report an object-level issue when the terms are not an object', () => {
    expect(fieldsOf(null)).toEqual(['']);
  });
});
