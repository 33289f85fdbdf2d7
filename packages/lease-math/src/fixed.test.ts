import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D, formatFixed } from './decimal.ts';
import {
  divide,
  formatFixedValue,
  formatUnits,
  minus,
  parseFixed,
  plus,
  power,
  times,
  toUnits,
  type Fixed,
} from './fixed.ts';

/** m × 10^e as a plain decimal string, through decimal.js (which keeps every digit of a constructed value). */
const text = (value: Fixed) => new D(`${value.m}e${value.e}`).toFixed();
const same = (value: Fixed) => new D(text(value));

/** Values from 1 to 60 significant digits, either sign, exponents −30..10. */
const fixed: fc.Arbitrary<Fixed> = fc.record({
  m: fc.oneof(
    fc.bigInt({ min: -10_000n, max: 10_000n }),
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
    fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }),
    fc.constantFrom(10n ** 40n - 1n, 10n ** 40n, 5n * 10n ** 40n, -(10n ** 40n) - 5n),
  ),
  e: fc.integer({ min: -30, max: 10 }),
});
const nonZero = fixed.filter((value) => value.m !== 0n);

describe('fixed: BigInt arithmetic that gives what decimal.js (40 digits, half-up) gives', () => {
  it('should add, subtract, multiply and divide to the same value as decimal.js for any operands', () => {
    fc.assert(
      fc.property(fixed, nonZero, (a, b) => {
        expect(text(plus(a, b))).toBe(same(a).plus(same(b)).toFixed());
        expect(text(minus(a, b))).toBe(same(a).minus(same(b)).toFixed());
        expect(text(times(a, b))).toBe(same(a).times(same(b)).toFixed());
        expect(text(divide(a, b))).toBe(same(a).div(same(b)).toFixed());
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('should round half-up to the minor unit as formatFixed does, ties away from zero', () => {
    fc.assert(
      fc.property(fixed, fc.integer({ min: 0, max: 4 }), (a, decimals) => {
        expect(formatFixedValue(a, decimals)).toBe(formatFixed(same(a), decimals));
      }),
      { numRuns: 2000, seed: 8 },
    );
    expect(formatUnits(toUnits(parseFixed('0.005'), 2), 2)).toBe('0.01');
    expect(formatUnits(toUnits(parseFixed('-0.005'), 2), 2)).toBe('-0.01');
    expect(formatUnits(toUnits(parseFixed('-0.004'), 2), 2)).toBe('0.00');
    expect(formatUnits(7n, 3)).toBe('0.007');
    expect(formatUnits(-1200n, 0)).toBe('-1200');
  });

  it('should round a product by a 40-digit rate to 40 digits before the minor unit, as decimal.js did', () => {
    // 4 % a year: r = 4/12/100 = 0.00333…3 (40 digits, rounded down). 1.50 × r is 0.0049999…95 exactly, which
    // rounds to 0.005 at 40 digits and then to 0.01: both roundings matter.
    const r = parseFixed(new D(4).div(12).div(100).toFixed());
    expect(formatFixedValue(times({ m: 150n, e: -2 }, r), 2)).toBe('0.01');
    expect(formatFixedValue(times({ m: 150n, e: -2 }, r), 2)).toBe(
      formatFixed(new D('1.50').times(new D(4).div(12).div(100)), 2),
    );
  });
});

describe('fixed: power', () => {
  it('should give the digits decimal.js pow gives for (1 + r)^n', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 100_000 }).map((thousandths) => new D(thousandths).div(1000)),
          fc.integer({ min: 1, max: 99_999 }).map((basis) => new D(basis).div(12).div(100)),
        ),
        fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 20 })),
        (r, n) => {
          const x = r.plus(1);
          expect(text(power(parseFixed(x.toFixed()), n))).toBe(x.pow(n).toFixed());
        },
      ),
      { numRuns: 3000, seed: 9 },
    );
  });
});
