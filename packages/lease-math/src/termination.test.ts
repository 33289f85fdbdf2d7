import { describe, expect, it } from 'vitest';
import { LeaseTermsError } from './errors.ts';
import { calculateSchedule } from './schedule.ts';
import { earlyTerminationQuote, type TerminationInput } from './termination.ts';
import type { LeaseTerms } from './terms.ts';

// 1200 EUR over 12 months at 12 % (r = 1 %), differentiated, VAT 20 %: principal 100.00 a month, interest
// 12.00, 11.00, 10.00, …; the balance after installment k is 1200 − 100·k. Due on the 15th from February.
const terms: LeaseTerms = {
  currency: 'EUR',
  assetPrice: '1200.00',
  termMonths: 12,
  annualRate: '12',
  scheduleType: 'differentiated',
  startDate: '2026-01-15',
  vatRate: '20',
};
const schedule = calculateSchedule(terms);

describe('earlyTerminationQuote', () => {
  it('should add the unpaid installment, the balance, 30/360 interest, the fee and its VAT when one is overdue', () => {
    const quote = earlyTerminationQuote(schedule, {
      date: '2026-04-25',
      paidInstallments: 2,
      feePercent: '2',
    });
    expect(quote).toEqual({
      date: '2026-04-25',
      currency: 'EUR',
      installmentsDue: 3,
      paidInstallments: 2,
      // Installment 3 (15 April): 100.00 + 10.00 interest, VAT 22.00.
      overdue: [{ n: 3, dueDate: '2026-04-15', payment: '110.00', vat: '22.00', total: '132.00' }],
      overdueTotal: '132.00',
      remainingPrincipal: '900.00',
      accruedFrom: '2026-04-15',
      accruedDays: 10,
      accruedInterest: '3.00', // 900 × 10/30 × 1 %
      fee: '18.00', // 2 % of 900
      feeVat: '3.60',
      total: '1056.60', // 132 + 900 + 3 + 18 + 3.60
    });
  });

  it('should count days by the 30/360 US rule when the month has 31 days', () => {
    // 15 May → 31 May: the end day stays 31 (the start day is below 30), so 16 days.
    const quote = earlyTerminationQuote(schedule, { date: '2026-05-31', paidInstallments: 4 });
    expect(quote.accruedDays).toBe(16);
    expect(quote.accruedInterest).toBe('4.27'); // 800 × 16/30 × 1 % = 4.2666…
    expect(quote.total).toBe('804.27');
  });

  it('should accrue by actual days over 365 when the schedule counts actual/365', () => {
    const actual = calculateSchedule({ ...terms, dayCount: 'actual/365' });
    const quote = earlyTerminationQuote(actual, { date: '2026-05-31', paidInstallments: 4 });
    expect(quote.remainingPrincipal).toBe('800.00');
    expect(quote.accruedDays).toBe(16);
    expect(quote.accruedInterest).toBe('4.21'); // 800 × 12 % × 16/365 = 4.2082…
  });

  it('should charge a fixed fee amount with VAT when the fee is an amount', () => {
    const quote = earlyTerminationQuote(schedule, {
      date: '2026-06-15',
      paidInstallments: 5,
      feeAmount: '50.00',
    });
    expect(quote).toMatchObject({
      remainingPrincipal: '700.00',
      accruedInterest: '0.00',
      fee: '50.00',
      feeVat: '10.00',
    });
    expect(quote.total).toBe('760.00');
  });

  it('should ask for the whole financed amount when the lease ends on its start date', () => {
    const quote = earlyTerminationQuote(schedule, { date: '2026-01-15', paidInstallments: 0 });
    expect(quote).toMatchObject({
      installmentsDue: 0,
      remainingPrincipal: '1200.00',
      accruedInterest: '0.00',
    });
    expect(quote.total).toBe('1200.00');
  });

  it('should ask for the residual value only when everything is paid on the last due date', () => {
    const withResidual = calculateSchedule({ ...terms, residualValue: '240.00' });
    const quote = earlyTerminationQuote(withResidual, { date: '2027-01-15', paidInstallments: 12 });
    expect(quote.overdue).toEqual([]);
    expect(quote.total).toBe('240.00');
  });

  it.each<[string, TerminationInput, string]>([
    ['a date before the start', { date: '2026-01-14', paidInstallments: 0 }, '/date'],
    ['a date after the last due date', { date: '2027-01-16', paidInstallments: 12 }, '/date'],
    ['a date that does not exist', { date: '2026-02-29', paidInstallments: 0 }, '/date'],
    ['more paid installments than are due', { date: '2026-04-25', paidInstallments: 4 }, '/paidInstallments'],
    [
      'a negative count of paid installments',
      { date: '2026-04-25', paidInstallments: -1 },
      '/paidInstallments',
    ],
    [
      'both fee forms',
      { date: '2026-04-25', paidInstallments: 3, feePercent: '1', feeAmount: '10.00' },
      '/feeAmount',
    ],
    [
      'a fee amount below a cent',
      { date: '2026-04-25', paidInstallments: 3, feeAmount: '10.001' },
      '/feeAmount',
    ],
    ['a negative fee percent', { date: '2026-04-25', paidInstallments: 3, feePercent: '-1' }, '/feePercent'],
  ])('should name the field when the request has %s', (_, input, field) => {
    try {
      earlyTerminationQuote(schedule, input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LeaseTermsError);
      expect((error as LeaseTermsError).issues.map((issue) => issue.field)).toEqual([field]);
    }
  });
});
