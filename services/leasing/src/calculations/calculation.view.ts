import { auditView } from '@lessor/service-kit';
import type { LeaseSchedule } from '@lessor/lease-math';
import type { CalculationRow } from './calculation.repository.ts';
import type { Calculation, ScheduleLine } from './calculation.schemas.ts';

/** Every money field of the API carries its currency: `{ amount, currency }`. */
export const money = (amount: string, currency: string) => ({ amount, currency });

/** A schedule's installments as the API shows them. */
export function scheduleLines(schedule: LeaseSchedule): ScheduleLine[] {
  const m = (amount: string) => money(amount, schedule.currency);
  return schedule.installments.map((line) => ({
    n: line.n,
    dueDate: line.dueDate,
    payment: m(line.payment),
    principal: m(line.principal),
    interest: m(line.interest),
    vat: m(line.vat),
    balance: m(line.balance),
  }));
}

/** The totals of a schedule as the API shows them. */
export function scheduleTotals(schedule: LeaseSchedule) {
  const m = (amount: string) => money(amount, schedule.currency);
  const totals = schedule.totals;
  return {
    payments: m(totals.payments),
    principal: m(totals.principal),
    interest: m(totals.interest),
    vat: m(totals.vat),
    paymentsWithVat: m(totals.paymentsWithVat),
    fees: m(totals.fees),
    advance: m(totals.advance),
    residualValue: m(totals.residual),
    totalCost: m(totals.totalCost),
  };
}

/** A saved calculation as the API shows it. */
export function calculationView(row: CalculationRow): Calculation {
  const schedule = row.schedule as LeaseSchedule;
  const m = (amount: string) => money(amount, schedule.currency);
  const { terms: _terms, schedule: _schedule, ...rest } = row;
  return {
    ...auditView(rest),
    assetPrice: m(schedule.assetPrice),
    advance: m(schedule.advance),
    financedAmount: m(schedule.financedAmount),
    residualValue: m(schedule.residualValue),
    termMonths: schedule.termMonths,
    annualRate: schedule.annualRate,
    scheduleType: schedule.scheduleType,
    startDate: schedule.startDate,
    vatRate: schedule.vatRate,
    dayCount: schedule.dayCount,
    graceMonths: (row.terms as { graceMonths?: number }).graceMonths ?? 0,
    fees: schedule.fees.map((fee) => ({ name: fee.name, amount: m(fee.amount) })),
    schedule: scheduleLines(schedule),
    totals: scheduleTotals(schedule),
    overpaymentPercent: schedule.overpaymentPercent,
    effectiveRate: schedule.effectiveRate,
  };
}
