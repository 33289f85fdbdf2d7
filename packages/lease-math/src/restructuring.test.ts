import * as formulajs from '@formulajs/formulajs';
import { describe, expect, it } from 'vitest';
import { D } from './decimal.ts';
import { LeaseTermsError } from './errors.ts';
import { restructureSchedule, type RestructuringInput } from './restructuring.ts';
import { calculateSchedule, effectiveRateFlows } from './schedule.ts';
import { earlyTerminationQuote } from './termination.ts';

// 1200 EUR over 12 months at 12 %, differentiated: principal 100.00 a month, balance 1200 − 100·k after k.
const schedule = calculateSchedule({
  currency: 'EUR',
  assetPrice: '1200.00',
  termMonths: 12,
  annualRate: '12',
  scheduleType: 'differentiated',
  startDate: '2026-01-15',
  vatRate: '20',
});
const sum = (values: string[]) => values.reduce((total, value) => total.plus(value), new D(0));

describe('restructureSchedule', () => {
  // From 1 July: installments 1..5 (February..June) are kept; the balance 700.00 is refinanced as an annuity
  // at 6 % (r = 0.5 %) over the 7 remaining months.
  const restructured = restructureSchedule(schedule, {
    fromDate: '2026-07-01',
    annualRate: '6',
    scheduleType: 'annuity',
  });

  it('should keep the installments due before fromDate byte for byte', () => {
    expect(JSON.stringify(restructured.installments.slice(0, 5))).toBe(
      JSON.stringify(schedule.installments.slice(0, 5)),
    );
  });

  it('should refinance the balance after the last kept installment as round(PMT) at the new rate', () => {
    const payment = new D(formulajs.PMT(0.005, 7, -700) as number)
      .toDecimalPlaces(2, D.ROUND_HALF_UP)
      .toFixed(2);
    expect(payment).toBe('102.01');
    expect(restructured.installments[5]).toEqual({
      n: 6,
      dueDate: '2026-07-15',
      payment,
      principal: '98.51',
      interest: '3.50', // 700 × 0.5 %
      vat: '20.40',
      balance: '601.49',
    });
    expect(restructured.installments.map((row) => row.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('should still end at the residual with the principal summing to the financed amount', () => {
    expect(restructured.installments.at(-1)).toMatchObject({ dueDate: '2027-01-15', balance: '0.00' });
    expect(sum(restructured.installments.map((row) => row.principal)).toFixed(2)).toBe('1200.00');
  });

  it('should recompute the totals and the effective rate over the whole flow', () => {
    expect(restructured.totals.payments).toBe(
      sum(restructured.installments.map((row) => row.payment)).toFixed(2),
    );
    expect(restructured.totals.interest).toBe('64.06'); // 12+11+10+9+8 kept, 3.50+3.01+…+0.51 new
    const flows = effectiveRateFlows(restructured);
    const excel = formulajs.XIRR(
      flows.map((flow) => Number(flow.amount)),
      flows.map((flow) => flow.date),
    ) as number;
    expect(Number(restructured.effectiveRate)).toBeCloseTo(excel * 100, 4);
    expect(restructured.annualRate).toBe('6');
    expect(restructured.restructurings).toEqual([
      {
        fromDate: '2026-07-01',
        keptInstallments: 5,
        balance: '700.00',
        previousAnnualRate: '12',
        previousScheduleType: 'differentiated',
        previousResidualValue: '0.00',
      },
    ]);
  });

  it('should quote a termination inside the kept part at the rate those installments had', () => {
    // The period 15 May → 15 June belongs to installment 5, kept at 12 %: 800 × 10/30 × 1 % = 2.67.
    expect(
      earlyTerminationQuote(restructured, { date: '2026-05-25', paidInstallments: 4 }).accruedInterest,
    ).toBe('2.67');
    // After 15 July the new 6 %: 601.49 × 10/30 × 0.5 % = 1.0025.
    expect(
      earlyTerminationQuote(restructured, { date: '2026-07-25', paidInstallments: 6 }).accruedInterest,
    ).toBe('1.00');
  });

  it('should extend the term and end at a new residual when both are given', () => {
    const longer = restructureSchedule(schedule, {
      fromDate: '2026-07-01',
      termMonths: 24,
      residualValue: '100.00',
    });
    expect(longer.installments).toHaveLength(29);
    expect(longer.termMonths).toBe(29);
    expect(longer.installments.at(-1)).toMatchObject({ n: 29, dueDate: '2028-06-15', balance: '100.00' });
    // Differentiated over 24 months on 700 − 100: principal 25.00.
    expect(longer.installments[5]).toMatchObject({ principal: '25.00', interest: '7.00' });
    expect(JSON.stringify(longer.installments.slice(0, 5))).toBe(
      JSON.stringify(schedule.installments.slice(0, 5)),
    );
  });

  it('should continue the due dates from the original start day when it is the 31st', () => {
    const endOfMonth = calculateSchedule({
      currency: 'EUR',
      assetPrice: '6000.00',
      termMonths: 6,
      annualRate: '5',
      scheduleType: 'annuity',
      startDate: '2026-01-31',
    });
    const after = restructureSchedule(endOfMonth, { fromDate: '2026-03-01' });
    expect(after.installments.map((row) => row.dueDate)).toEqual([
      '2026-02-28', // kept
      '2026-03-31', // not the 28th: the start day 31 is clamped anew each month
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
    ]);
  });

  it('should switch to seasonal payments when weights are given', () => {
    const weights = ['1', '1', '1', '1', '1', '1', '2', '2', '2', '2', '2', '2'];
    const seasonal = restructureSchedule(schedule, {
      fromDate: '2026-07-01',
      scheduleType: 'seasonal',
      seasonalWeights: weights,
    });
    expect(seasonal.seasonalWeights).toEqual(weights);
    expect(seasonal.installments.at(-1)!.balance).toBe('0.00');
    // July..December weight 2, January weight 1.
    expect(Number(seasonal.installments[6]!.payment)).toBeGreaterThan(
      Number(seasonal.installments[11]!.payment),
    );
  });

  it.each<[string, RestructuringInput, string]>([
    ['a fromDate after the last due date', { fromDate: '2027-01-16' }, '/fromDate'],
    ['a fromDate before the start', { fromDate: '2025-12-31' }, '/fromDate'],
    ['a fromDate that does not exist', { fromDate: '2026-06-31' }, '/fromDate'],
    ['a term of 0', { fromDate: '2026-07-01', termMonths: 0 }, '/termMonths'],
    ['a residual above the balance', { fromDate: '2026-07-01', residualValue: '700.01' }, '/residualValue'],
    ['a negative rate', { fromDate: '2026-07-01', annualRate: '-2' }, '/annualRate'],
    ['seasonal without weights', { fromDate: '2026-07-01', scheduleType: 'seasonal' }, '/seasonalWeights'],
  ])('should name the field when the request has %s', (_, input, field) => {
    try {
      restructureSchedule(schedule, input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LeaseTermsError);
      expect((error as LeaseTermsError).issues.map((issue) => issue.field)).toEqual([field]);
    }
  });
});
