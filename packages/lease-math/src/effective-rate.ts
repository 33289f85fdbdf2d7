import { HUNDRED, formatFixed } from './decimal.ts';
import { epochDay, parseDate } from './dates.ts';
import { floatNewtonOn, xirr, type CashFlow } from './finance.ts';
import { formatUnits } from './fixed.ts';

const DAYS_IN_YEAR = 365;
// The fast path decides rates up to ±1 000 %: below that a float64 rate is within ~1e−15 of the decimal it
// stands for, far inside the 1e−13 margin kept from each rounding boundary.
const FAST_PATH_LIMIT = 10;
// Sign checks are made this far inside the rounding interval (in rate, a fraction): much more than the error
// of the old decimal iteration (≤ 1e−18) and of a float64 rate below FAST_PATH_LIMIT (≤ 1e−15).
const MARGIN = 1e-13;

/** NPV at `rate` in float64 and a bound on its rounding error, so its sign is known when |value| > bound. */
function npvWithBound(amounts: number[], years: number[], rate: number): { value: number; bound: number } {
  const base = 1 + rate;
  const logBase = Math.abs(Math.log(base));
  let value = 0;
  let magnitude = 0;
  let longest = 0;
  for (let i = 0; i < amounts.length; i++) {
    const present = amounts[i]! * base ** -years[i]!;
    value += present;
    magnitude += Math.abs(present);
    if (years[i]! > longest) longest = years[i]!;
  }
  // Each term is off by at most a few ulps: the amount's and the base's rounding, the exponent's (amplified by
  // years × ln(base)), the power and the product; the sum adds one ulp of the running total per term. Four
  // times that, to be safe.
  const bound = 4 * Number.EPSILON * magnitude * (amounts.length + 4 + longest * (1 + logBase));
  return { value, bound };
}

/**
 * The effective rate in percent with 6 decimals — exactly `formatFixed(xirr(flows) × 100, 6)`, the
 * decimal XIRR rounded half-up, without running the decimal iteration in the usual case.
 *
 * Float64 Newton (the very iteration `xirr` starts from) gives a candidate K (in units of 10^−8 of a rate);
 * the rate rounds to K when the root lies strictly inside (K − ½, K + ½) × 10^−8. That is proven by the sign of
 * the NPV just inside both ends: values of opposite signs, each larger than its float64 error bound, put a root
 * there, further than 1e−13 from either end — so the decimal iteration, which converges to that root within
 * 1e−18, rounds to K as well. When anything is in doubt (no float64 convergence, a rate over 1 000 %, a root
 * within ~1e−13 of a rounding boundary, flows without both signs), it runs the decimal `xirr` as before.
 */
export function effectiveRatePercent(flows: CashFlow[]): string {
  const decided = fastEffectiveRate(flows);
  return decided ?? formatFixed(xirr(flows).times(HUNDRED), 6);
}

function fastEffectiveRate(flows: CashFlow[]): string | undefined {
  if (flows.length < 2) return undefined;
  const timed = flows.map((flow) => {
    const date = parseDate(flow.date);
    return { day: date ? epochDay(date) : Number.NaN, amount: Number(flow.amount) };
  });
  const first = Math.min(...timed.map((flow) => flow.day));
  if (!Number.isFinite(first)) return undefined;
  // In the order xirr discounts them (by date, stable), so the float64 start is the same as xirr's.
  timed.sort((a, b) => a.day - b.day);
  const amounts = timed.map((flow) => flow.amount);
  const years = timed.map((flow) => (flow.day - first) / DAYS_IN_YEAR);
  if (!amounts.some((amount) => amount > 0) || !amounts.some((amount) => amount < 0)) return undefined;

  const start = floatNewtonOn(amounts, years, 0.1);
  if (start === undefined || !(Math.abs(start) < FAST_PATH_LIMIT)) return undefined;
  const candidate = Math.round(start * 1e8);
  const low = npvWithBound(amounts, years, (candidate - 0.5) / 1e8 + MARGIN);
  const high = npvWithBound(amounts, years, (candidate + 0.5) / 1e8 - MARGIN);
  const certain = (npv: { value: number; bound: number }) =>
    Number.isFinite(npv.value) && Number.isFinite(npv.bound) && Math.abs(npv.value) > npv.bound;
  if (!certain(low) || !certain(high) || Math.sign(low.value) === Math.sign(high.value)) return undefined;
  // K × 10^−8 as a rate is K × 10^−6 in percent.
  return formatUnits(BigInt(candidate), 6);
}
