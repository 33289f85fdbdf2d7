import { describe, expect, it } from 'vitest';
import { scheduleSummary, skipped } from './contract-card.ts';

const money = (amount: string) => ({ amount, currency: 'EUR' });
const line = (n: number, dueDate: string) => ({
  n,
  dueDate,
  payment: money('100.00'),
  vat: money('20.00'),
  balance: money(String(300 - n * 100)),
});

describe('the schedule part of a contract card', () => {
  const schedule = {
    version: 2,
    effectiveRate: '9.922184',
    schedule: [line(1, '2026-02-28'), line(2, '2026-03-31'), line(3, '2026-04-30')],
    totals: { payments: money('300.00') },
  };

  it('should name the next installment due on or after the date when one is left', () => {
    expect(scheduleSummary(schedule, '2026-03-01')).toMatchObject({
      version: 2,
      installments: 3,
      firstDueDate: '2026-02-28',
      lastDueDate: '2026-04-30',
      nextInstallment: { n: 2, dueDate: '2026-03-31' },
    });
    expect(scheduleSummary(schedule, '2026-03-31').nextInstallment?.n).toBe(2);
  });

  it('should have no next installment when the last one has passed', () => {
    expect(scheduleSummary(schedule, '2026-05-01').nextInstallment).toBeNull();
  });

  it('should say why a part was not fetched when skipped', () => {
    expect(skipped('the contract could not be read')).toEqual({
      value: null,
      status: { status: 'skipped', reason: 'the contract could not be read' },
    });
  });
});
