import { describe, expect, it } from 'vitest';
import { HUNDRED, formatFixed } from './decimal.ts';
import { effectiveRatePercent } from './effective-rate.ts';
import { xirr, type CashFlow } from './finance.ts';

/** What the effective rate was before the fast path: the decimal XIRR × 100, half-up to 6 decimals. */
const decimalRate = (flows: CashFlow[]) => formatFixed(xirr(flows).times(HUNDRED), 6);

describe('effectiveRatePercent', () => {
  it('should give the decimal XIRR rounded to 6 decimals for an ordinary lease', () => {
    const flows: CashFlow[] = [{ date: '2026-01-31', amount: '-96000.00' }];
    for (let k = 1; k <= 36; k++) {
      const month = ((k % 12) + 1).toString().padStart(2, '0');
      flows.push({ date: `${2026 + Math.floor(k / 12)}-${month}-15`, amount: '2834.00' });
    }
    expect(effectiveRatePercent(flows)).toBe(decimalRate(flows));
  });

  it('should leave a root exactly on a rounding boundary to the decimal XIRR, and decide either side of it', () => {
    // One year at exactly 12.3456785 %: the root is the tie itself, the fast path cannot decide it; the
    // decimal iteration's last digits do (it lands a hair below: 12.345678).
    const flows = [
      { date: '2025-01-01', amount: '-100' },
      { date: '2026-01-01', amount: '112.3456785' },
    ];
    expect(effectiveRatePercent(flows)).toBe(decimalRate(flows));
    // Just below and above the tie.
    const below = [flows[0]!, { date: '2026-01-01', amount: '112.34567849999' }];
    const above = [flows[0]!, { date: '2026-01-01', amount: '112.34567850001' }];
    expect(effectiveRatePercent(below)).toBe('12.345678');
    expect(effectiveRatePercent(above)).toBe('12.345679');
  });

  it('should give the decimal result for rates beyond 1 000 % and negative rates', () => {
    const huge = [
      { date: '2025-01-01', amount: '-1' },
      { date: '2025-02-01', amount: '5' },
    ];
    expect(effectiveRatePercent(huge)).toBe(decimalRate(huge));
    const negative = [
      { date: '2025-01-01', amount: '-1000' },
      { date: '2027-01-01', amount: '800' },
    ];
    expect(effectiveRatePercent(negative)).toBe(decimalRate(negative));
  });

  it('should refuse flows that cannot have a rate as xirr does', () => {
    expect(() =>
      effectiveRatePercent([
        { date: '2025-01-01', amount: '100' },
        { date: '2026-01-01', amount: '100' },
      ]),
    ).toThrow(/\/flows/);
  });
});
