import { describe, expect, it } from 'vitest';
import { agingBucket, dailyPenalties, dunningDates, dunningLevelsProblem } from './overdue.ts';

describe('dailyPenalties', () => {
  const base = { dueDate: '2026-03-01', principal: '1000.00', rate: '0.05', currency: 'EUR' };

  it('should charge the rate on the overdue principal for each day after the due date up to the date', () => {
    const days = dailyPenalties({ ...base, paid: [], from: '2026-03-01', upTo: '2026-03-04' });
    expect(
      days.map((day) => [day.chargeDate, day.daysOverdue, day.base.toFixed(2), day.amount.toFixed(2)]),
    ).toEqual([
      ['2026-03-02', 1, '1000.00', '0.50'],
      ['2026-03-03', 2, '1000.00', '0.50'],
      ['2026-03-04', 3, '1000.00', '0.50'],
    ]);
  });

  it('should charge on what is left after a part payment and stop on the day the principal is paid', () => {
    const days = dailyPenalties({
      ...base,
      paid: [
        { date: '2026-03-03', amount: '600.00' },
        { date: '2026-03-05', amount: '400.00' },
      ],
      from: '2026-03-01',
      upTo: '2026-03-10',
    });
    expect(days.map((day) => [day.chargeDate, day.amount.toFixed(2)])).toEqual([
      ['2026-03-02', '0.50'],
      ['2026-03-03', '0.20'],
      ['2026-03-04', '0.20'],
    ]);
  });

  it('should round each day half-up to the currency’s minor unit and skip a day that rounds to zero', () => {
    expect(
      dailyPenalties({
        ...base,
        principal: '10.10',
        paid: [],
        from: '2026-03-02',
        upTo: '2026-03-02',
      })[0]!.amount.toFixed(2),
    ).toBe('0.01');
    expect(
      dailyPenalties({ ...base, principal: '9.00', paid: [], from: '2026-03-02', upTo: '2026-03-02' }),
    ).toEqual([]);
    expect(
      dailyPenalties({
        ...base,
        currency: 'JPY',
        principal: '15000',
        paid: [],
        from: '2026-03-02',
        upTo: '2026-03-02',
      })[0]!.amount.toString(),
    ).toBe('8');
  });

  it('should charge nothing when the rate is zero or the date is not past the due date', () => {
    expect(dailyPenalties({ ...base, rate: '0', paid: [], from: '2026-03-01', upTo: '2026-04-01' })).toEqual(
      [],
    );
    expect(dailyPenalties({ ...base, paid: [], from: '2026-03-01', upTo: '2026-03-01' })).toEqual([]);
  });
});

describe('agingBucket', () => {
  it('should put a debt in its bucket by days past due, the edges included', () => {
    expect([-3, 0, 1, 30, 31, 60, 61, 90, 91, 400].map(agingBucket)).toEqual([
      'current',
      'current',
      '1-30',
      '1-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '90+',
      '90+',
    ]);
  });
});

describe('dunning', () => {
  const levels = [
    { level: 1, daysOverdue: 7 },
    { level: 2, daysOverdue: 30 },
  ];

  it('should give the levels reached by a date, each dated due date plus its days', () => {
    expect(dunningDates('2026-03-01', levels, '2026-03-31')).toEqual([
      { level: 1, date: '2026-03-08' },
      { level: 2, date: '2026-03-31' },
    ]);
    expect(dunningDates('2026-03-01', levels, '2026-03-07')).toEqual([]);
  });

  it('should refuse levels out of order or at days that do not grow', () => {
    expect(dunningLevelsProblem(levels)).toBeNull();
    expect(dunningLevelsProblem([{ level: 2, daysOverdue: 7 }])).toMatch(/numbered/);
    expect(
      dunningLevelsProblem([
        { level: 1, daysOverdue: 30 },
        { level: 2, daysOverdue: 30 },
      ]),
    ).toMatch(/more days/);
  });
});
