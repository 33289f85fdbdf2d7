import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnits } from './currencies.ts';
import { D } from './decimal.ts';
import { xirr } from './finance.ts';
import { restructureSchedule } from './restructuring.ts';
import { calculateSchedule, effectiveRateFlows } from './schedule.ts';
import type { LeaseTerms } from './terms.ts';

const RUNS = 200;
// 200 schedules of up to 360 months each: generous, as the machine's two cores are shared.
const TIMEOUT_MS = 120_000;

/** A decimal string of `units` minor units. */
const amountOf = (units: bigint, decimals: number) =>
  new D(units.toString()).div(10 ** decimals).toFixed(decimals);

/** Random valid lease terms: prices up to 10 million, terms 1..360, rates 0..30 %, every type, EUR to KWD and JPY. */
const leaseTerms: fc.Arbitrary<LeaseTerms> = fc
  .record({
    currency: fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'BHD', 'CHF'),
    priceMajor: fc.integer({ min: 1, max: 10_000_000 }),
    priceFraction: fc.integer({ min: 0, max: 999 }),
    advance: fc.oneof(
      fc.constant(undefined),
      fc.record({ percent: fc.integer({ min: 0, max: 9000 }).map((basis) => (basis / 100).toFixed(2)) }),
      fc.record({ share: fc.double({ min: 0, max: 0.95, noNaN: true }) }),
    ),
    termMonths: fc.integer({ min: 1, max: 360 }),
    grace: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 24 })),
    annualRate: fc.oneof(
      fc.constant('0'),
      fc.integer({ min: 0, max: 3000 }).map((basis) => (basis / 100).toFixed(2)),
    ),
    scheduleType: fc.constantFrom('annuity' as const, 'differentiated' as const, 'seasonal' as const),
    weights: fc.array(
      fc.integer({ min: 0, max: 40 }).map((tenths) => (tenths / 10).toFixed(1)),
      {
        minLength: 12,
        maxLength: 12,
      },
    ),
    residualShare: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
    year: fc.integer({ min: 2000, max: 2060 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    dayCount: fc.constantFrom('30/360' as const, 'actual/365' as const, 'actual/360' as const),
    vatRate: fc.constantFrom(undefined, '0', '7.7', '20', '25'),
    feeShare: fc.oneof(fc.constant(undefined), fc.double({ min: 0, max: 0.05, noNaN: true })),
  })
  .map((drawn) => {
    const decimals = minorUnits(drawn.currency);
    const scale = 10n ** BigInt(decimals);
    const priceUnits = BigInt(drawn.priceMajor) * scale + (BigInt(drawn.priceFraction) % scale);
    const share = (units: bigint, fraction: number) =>
      (units * BigInt(Math.floor(fraction * 1e6))) / 1_000_000n;
    let advanceUnits = 0n;
    let advance: LeaseTerms['advance'];
    if (drawn.advance && 'percent' in drawn.advance) {
      advance = drawn.advance;
      advanceUnits = BigInt(
        new D(priceUnits.toString())
          .times(drawn.advance.percent)
          .div(100)
          .toDecimalPlaces(0, D.ROUND_HALF_UP)
          .toFixed(0),
      );
      if (advanceUnits >= priceUnits) advance = undefined;
    } else if (drawn.advance) {
      advanceUnits = share(priceUnits, drawn.advance.share);
      advance = { amount: amountOf(advanceUnits, decimals) };
    }
    if (!advance) advanceUnits = 0n;
    const financedUnits = priceUnits - advanceUnits;
    const graceMonths = Math.min(drawn.grace, drawn.termMonths - 1);
    const lastDay = new Date(Date.UTC(drawn.year, drawn.month, 0)).getUTCDate();
    const startDate = `${drawn.year}-${String(drawn.month).padStart(2, '0')}-${String(Math.min(drawn.day, lastDay)).padStart(2, '0')}`;
    // Seasonal: the month of the first amortising installment gets weight, so some due month always has one.
    const weights = [...drawn.weights];
    const firstAmortisingMonth = (drawn.month - 1 + graceMonths + 1) % 12;
    if (weights[firstAmortisingMonth] === '0.0') weights[firstAmortisingMonth] = '1.0';
    const feeUnits = drawn.feeShare === undefined ? undefined : share(financedUnits, drawn.feeShare);
    const terms: LeaseTerms = {
      currency: drawn.currency,
      assetPrice: amountOf(priceUnits, decimals),
      ...(advance ? { advance } : {}),
      termMonths: drawn.termMonths,
      graceMonths,
      annualRate: drawn.annualRate,
      scheduleType: drawn.scheduleType,
      ...(drawn.scheduleType === 'seasonal' ? { seasonalWeights: weights } : {}),
      residualValue: amountOf(share(financedUnits, drawn.residualShare), decimals),
      startDate,
      dayCount: drawn.dayCount,
      ...(drawn.vatRate === undefined ? {} : { vatRate: drawn.vatRate }),
      ...(feeUnits === undefined || feeUnits >= financedUnits
        ? {}
        : { fees: [{ name: 'arrangement', amount: amountOf(feeUnits, decimals) }] }),
    };
    return terms;
  });

describe('calculateSchedule: properties', () => {
  it(
    'should repay principal summing exactly to F − residual for any valid terms',
    () => {
      fc.assert(
        fc.property(leaseTerms, (terms) => {
          const schedule = calculateSchedule(terms);
          const principal = schedule.installments.reduce((sum, row) => sum.plus(row.principal), new D(0));
          expect(principal.eq(new D(schedule.financedAmount).minus(schedule.residualValue))).toBe(true);
          expect(new D(schedule.totals.principal).eq(principal)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should never let the balance go negative, and each row should add up, for any valid terms',
    () => {
      fc.assert(
        fc.property(leaseTerms, (terms) => {
          const schedule = calculateSchedule(terms);
          let balance = new D(schedule.financedAmount);
          for (const row of schedule.installments) {
            expect(new D(row.payment).eq(new D(row.principal).plus(row.interest))).toBe(true);
            balance = balance.minus(row.principal);
            expect(balance.eq(row.balance)).toBe(true);
            expect(balance.isNegative() && !balance.isZero()).toBe(false);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should end at the residual value with exactly termMonths installments for any valid terms',
    () => {
      fc.assert(
        fc.property(leaseTerms, (terms) => {
          const schedule = calculateSchedule(terms);
          expect(schedule.installments).toHaveLength(terms.termMonths);
          expect(schedule.installments.at(-1)!.balance).toBe(schedule.residualValue);
          const decimals = minorUnits(terms.currency);
          for (const row of schedule.installments) {
            for (const value of [row.payment, row.principal, row.interest, row.vat, row.balance]) {
              expect(value).toMatch(/^-?\d[\d.]*$/);
              expect(value.split('.')[1]?.length ?? 0).toBe(decimals);
            }
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should return an XIRR at which the NPV of the flows is within 0.01 of zero for any valid terms',
    () => {
      fc.assert(
        fc.property(leaseTerms, (terms) => {
          const schedule = calculateSchedule(terms);
          const flows = effectiveRateFlows(schedule);
          const rate = xirr(flows).toNumber();
          // NPV recomputed independently in float64, days counted with Date.UTC.
          const start = Date.parse(flows[0]!.date);
          const npv = flows.reduce(
            (sum, flow) =>
              sum + Number(flow.amount) / (1 + rate) ** ((Date.parse(flow.date) - start) / 86_400_000 / 365),
            0,
          );
          expect(Math.abs(npv)).toBeLessThan(0.01);
          expect(Number(schedule.effectiveRate)).toBeCloseTo(rate * 100, 5);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should put installment k on the start day k months later, clamped to the month end, for any start date',
    () => {
      fc.assert(
        fc.property(leaseTerms, (terms) => {
          const schedule = calculateSchedule(terms);
          const [year, month, day] = terms.startDate.split('-').map(Number) as [number, number, number];
          for (const row of schedule.installments) {
            const target = new Date(Date.UTC(year, month - 1 + row.n, 1));
            const lastDay = new Date(
              Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
            ).getUTCDate();
            target.setUTCDate(Math.min(day, lastDay));
            expect(row.dueDate).toBe(target.toISOString().slice(0, 10));
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should never charge a negative payment when the schedule is an annuity or differentiated',
    () => {
      fc.assert(
        fc.property(
          leaseTerms.filter((terms) => terms.scheduleType !== 'seasonal'),
          (terms) => {
            const schedule = calculateSchedule(terms);
            expect(schedule.installments.every((row) => !new D(row.payment).isNegative())).toBe(true);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'should keep the earlier installments byte for byte and end at the residual when restructured',
    () => {
      fc.assert(
        fc.property(
          leaseTerms,
          fc.double({ min: 0, max: 0.999, noNaN: true }),
          fc.option(fc.integer({ min: 1, max: 120 })),
          fc.option(fc.integer({ min: 0, max: 3000 }).map((basis) => (basis / 100).toFixed(2))),
          (terms, position, termMonths, annualRate) => {
            const schedule = calculateSchedule(terms);
            const from = schedule.installments[Math.floor(position * schedule.installments.length)]!;
            const kept = from.n - 1;
            const input = {
              fromDate: from.dueDate,
              ...(termMonths === null ? {} : { termMonths }),
              ...(annualRate === null ? {} : { annualRate }),
            };
            const newCount = termMonths ?? schedule.installments.length - kept;
            const startMonth = Number(terms.startDate.slice(5, 7)) - 1;
            const newMonths = Array.from({ length: newCount }, (_, j) => (startMonth + kept + j + 1) % 12);
            const balance = kept === 0 ? schedule.financedAmount : schedule.installments[kept - 1]!.balance;
            if (new D(balance).lt(schedule.residualValue)) {
              // A seasonal balance may dip below the residual; keeping that residual is then refused.
              expect(() => restructureSchedule(schedule, input)).toThrow(/residualValue/);
              return;
            }
            if (
              terms.seasonalWeights &&
              newMonths.every((month) => Number(terms.seasonalWeights![month]) === 0)
            ) {
              // No new installment falls in a month with weight: refused, naming the weights.
              expect(() => restructureSchedule(schedule, input)).toThrow(/seasonalWeights/);
              return;
            }
            const restructured = restructureSchedule(schedule, input);
            expect(JSON.stringify(restructured.installments.slice(0, kept))).toBe(
              JSON.stringify(schedule.installments.slice(0, kept)),
            );
            expect(restructured.installments.map((row) => row.n)).toEqual(
              restructured.installments.map((_, i) => i + 1),
            );
            expect(restructured.installments.at(-1)!.balance).toBe(schedule.residualValue);
            const principal = restructured.installments.reduce(
              (sum, row) => sum.plus(row.principal),
              new D(0),
            );
            expect(principal.eq(new D(schedule.financedAmount).minus(schedule.residualValue))).toBe(true);
            expect(restructured.installments.every((row) => !new D(row.balance).isNegative())).toBe(true);
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
