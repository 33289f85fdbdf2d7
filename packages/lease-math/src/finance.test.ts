import * as formulajs from '@formulajs/formulajs';
import { describe, expect, it } from 'vitest';
import { LeaseTermsError } from './errors.ts';
import { pmt, xirr, type CashFlow } from './finance.ts';

// formulajs is the independent implementation the math is checked against; it works in float64.
const excelXirr = (flows: CashFlow[]) =>
  formulajs.XIRR(
    flows.map((flow) => Number(flow.amount)),
    flows.map((flow) => flow.date),
  ) as number;

describe('pmt', () => {
  it.each([
    ['0.0079166666666666666666666667', 36, '-96000', '10000'],
    ['0.01', 12, '-1200', '0'],
    ['0.025', 360, '-1000', '0'],
    ['0.005', 1, '-500', '100'],
  ])('should equal Excel PMT(%s, %i, %s, %s) when the rate is positive', (rate, n, pv, fv) => {
    const expected = formulajs.PMT(Number(rate), n, Number(pv), Number(fv)) as number;
    expect(pmt(rate, n, pv, fv).toNumber()).toBeCloseTo(expected, 8);
  });

  it('should return a payment of the opposite sign when the present value is a loan received', () => {
    expect(pmt('0.01', 12, '1200').toNumber()).toBeCloseTo(-106.618546414, 8);
    expect(pmt('0.01', 12, '-1200').toNumber()).toBeCloseTo(106.618546414, 8);
  });

  it('should divide evenly without dividing by zero when the rate is 0', () => {
    expect(pmt('0', 3, '-1000', '100').toFixed()).toBe('300');
    expect(pmt('0', 4, '-1000').toFixed()).toBe('250');
  });

  it('should throw when n is not a positive integer', () => {
    expect(() => pmt('0.01', 0, '-100')).toThrow(RangeError);
    expect(() => pmt('0.01', 2.5, '-100')).toThrow(RangeError);
  });
});

describe('xirr', () => {
  it('should equal Excel XIRR when the flows are an irregular investment', () => {
    const flows = [
      { date: '2026-01-01', amount: '-10000' },
      { date: '2026-03-01', amount: '2750' },
      { date: '2026-10-30', amount: '4250' },
      { date: '2027-02-15', amount: '3250' },
      { date: '2027-04-01', amount: '2750' },
    ];
    expect(xirr(flows).toNumber()).toBeCloseTo(excelXirr(flows), 9);
  });

  it('should find a negative rate when less comes back than went out', () => {
    const flows = [
      { date: '2026-01-01', amount: '-100' },
      { date: '2027-01-01', amount: '50' },
    ];
    expect(xirr(flows).toFixed(12)).toBe('-0.500000000000');
  });

  it('should find a very large rate when Newton from the default guess cannot reach it', () => {
    // Doubling in 28 days is 2^(365/28) − 1 ≈ 8396 a year.
    const flows = [
      { date: '2026-01-01', amount: '-100' },
      { date: '2026-01-29', amount: '200' },
    ];
    const expected = 2 ** (365 / 28) - 1;
    expect(xirr(flows).toNumber()).toBeCloseTo(expected, 6);
    expect(xirr(flows, '-0.99').toNumber()).toBeCloseTo(expected, 6);
  });

  it('should converge to the same rate whatever the guess when the root is unique', () => {
    const flows = [
      { date: '2026-01-01', amount: '-1000' },
      { date: '2026-06-01', amount: '300' },
      { date: '2027-01-01', amount: '800' },
    ];
    const rates = ['0.1', '-0.99', '50', '0.999'].map((guess) => xirr(flows, guess).toFixed(15));
    expect(new Set(rates).size).toBe(1);
    expect(Number(rates[0])).toBeCloseTo(excelXirr(flows), 9);
  });

  it('should give 0 when the flows come back exactly', () => {
    const flows = [
      { date: '2026-01-01', amount: '-300' },
      { date: '2026-02-01', amount: '100' },
      { date: '2026-03-01', amount: '200' },
    ];
    expect(xirr(flows).abs().lt('1e-20')).toBe(true);
  });

  it('should throw on /flows when no amount is negative', () => {
    expect(() =>
      xirr([
        { date: '2026-01-01', amount: '100' },
        { date: '2026-02-01', amount: '100' },
      ]),
    ).toThrow(LeaseTermsError);
  });

  it('should name the flow when a date or an amount is malformed', () => {
    try {
      xirr([
        { date: '2026-02-30', amount: '-100' },
        { date: '2026-03-01', amount: '1e3' },
      ]);
      expect.unreachable();
    } catch (error) {
      expect((error as LeaseTermsError).issues.map((issue) => issue.field)).toEqual([
        '/flows/0/date',
        '/flows/1/amount',
      ]);
    }
  });
});
