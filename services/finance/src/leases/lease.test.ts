import { describe, expect, it } from 'vitest';
import { Decimal } from '../money.ts';
import {
  dueForRecognition,
  earnedInterestChange,
  interestChange,
  unbilledInterest,
  type KeptInstallment,
} from './lease.ts';

const schedule: KeptInstallment[] = [
  { n: 1, dueDate: '2026-02-01', principal: '300.00', interest: '50.00' },
  { n: 2, dueDate: '2026-03-01', principal: '310.00', interest: '40.00' },
  { n: 3, dueDate: '2026-04-01', principal: '320.00', interest: '30.00' },
  { n: 4, dueDate: '2026-05-01', principal: '330.00', interest: '20.00' },
];

describe('unbilledInterest', () => {
  it('should take the interest due after the termination date less what the termination invoice bills', () => {
    expect(unbilledInterest(schedule, '2026-03-15', '12.34').toFixed(2)).toBe('37.66');
  });

  it('should count an installment due on the termination date as billed', () => {
    expect(unbilledInterest(schedule, '2026-03-01', '0').toFixed(2)).toBe('50.00');
  });
});

describe('interestChange', () => {
  it('should compare the interest from the effective date of the new and the old version', () => {
    const after = [
      ...schedule.slice(0, 2),
      { n: 3, dueDate: '2026-04-01', principal: '200', interest: '35.00' },
      { n: 4, dueDate: '2026-05-01', principal: '200', interest: '25.00' },
      { n: 5, dueDate: '2026-06-01', principal: '250', interest: '5.50' },
    ];
    expect(interestChange(schedule, after, '2026-04-01').toFixed(2)).toBe('15.50');
    expect(interestChange(after, schedule, '2026-04-01').toFixed(2)).toBe('-15.50');
  });
});

describe('earnedInterestChange', () => {
  const state = (recognisedUpTo: number) =>
    schedule.map((installment) => ({
      ...installment,
      voided: false,
      recognised: installment.n <= recognisedUpTo,
    }));

  it('should take the re-priced interest of installments recognised already, from the effective date', () => {
    const after = schedule.map((installment) =>
      installment.n >= 2
        ? { ...installment, interest: new Decimal(installment.interest).minus('0.37').toFixed(2) }
        : installment,
    );
    // Installments 2 and 3 were earned; 1 is before the effective date, 4 not earned yet.
    expect(earnedInterestChange(state(3), after, '2026-03-01').toFixed(2)).toBe('-0.74');
    expect(earnedInterestChange(state(1), after, '2026-03-01').toFixed(2)).toBe('0.00');
  });

  it('should give back the income of an earned installment the new version drops', () => {
    expect(earnedInterestChange(state(4), schedule.slice(0, 3), '2026-04-01').toFixed(2)).toBe('-20.00');
  });
});

describe('dueForRecognition', () => {
  it('should take installments due up to the date when the lease runs', () => {
    expect(dueForRecognition(schedule, '2026-03-01', null).map((i) => i.n)).toEqual([1, 2]);
  });

  it('should stop at the termination date when the lease was terminated earlier', () => {
    expect(dueForRecognition(schedule, '2026-12-31', '2026-03-15').map((i) => i.n)).toEqual([1, 2]);
  });

  it('should skip an installment without interest', () => {
    expect(
      dueForRecognition([{ ...schedule[0]!, interest: '0.00' }], '2026-12-31', null).map((i) => i.n),
    ).toEqual([]);
  });
});
