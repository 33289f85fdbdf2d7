import { D, ONE, ZERO, isDecimalString, type Decimal } from './decimal.ts';
import { epochDay, parseDate } from './dates.ts';
import { IssueCollector, LeaseTermsError } from './errors.ts';

/**
 * The periodic payment of an annuity, as Excel's `PMT(rate, n, pv, fv)` with payments at period ends
 * (type 0), unrounded.
 *
 * Excel's sign convention: money received is positive, money paid out negative, so the payment has the
 * opposite sign to the present value. A lessor who pays out F and gets back `residual` at the end calls
 * `pmt(r, n, -F, residual)` and receives a positive payment; a borrower's `pmt(r, n, F)` is negative.
 * Solves pv·(1+r)^n + pmt·((1+r)^n − 1)/r + fv = 0; with rate 0 it is −(pv + fv)/n (no division by zero).
 *
 * @param rate the rate per period as a fraction (0.0079 for 9.5 % a year paid monthly), > −1
 * @param n the number of periods, an integer ≥ 1
 */
export function pmt(rate: Decimal | string, n: number, presentValue: string, futureValue = '0'): Decimal {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const r = new D(rate);
  if (r.lte(-1)) throw new RangeError(`rate must be > -1, got ${r.toString()}`);
  const pv = new D(presentValue);
  const fv = new D(futureValue);
  if (r.isZero()) return pv.plus(fv).div(n).neg();
  const growth = r.plus(1).pow(n);
  return pv.times(growth).plus(fv).times(r).div(growth.minus(1)).neg();
}

/** A dated cash flow: positive received, negative paid. */
export interface CashFlow {
  date: string;
  amount: string;
}

/** A cash flow prepared for discounting: `years` = days since the first flow / 365. */
interface TimedFlow {
  days: number;
  amount: Decimal;
}

const DAYS_IN_YEAR = 365;
const NEWTON_STEPS = 50;
// Converged when a Newton step moves the rate by less than 1e-15: near the root Newton doubles the correct
// digits each step, so the next iterate, returned, is good to ~1e-28 — a cent on 10^9 over 50 years needs 1e-13.
const NEWTON_TOLERANCE = new D('1e-15');
// The fallback halves its bracket down to this width.
const BISECTION_WIDTH = new D('1e-18');
const BISECTION_STEPS = 400;

/**
 * The annual internal rate of return of dated cash flows, as Excel's `XIRR`: the rate x for which
 * Σ amount_i / (1 + x)^(days_i / 365) = 0, days counted actually from the earliest date. Returns x as a
 * fraction (0.103812… for 10.38 %).
 *
 * Newton's method from `guess` (default 0.1), first in float64 only to find a starting point close to the
 * root cheaply, then in decimal arithmetic, which decides the result (one or two decimal steps from a good
 * start instead of five or six). When Newton leaves the domain (x ≤ −1), stalls on a flat derivative or does
 * not settle, a bracket with a sign change is searched and bisected, so a root is found whenever one exists. Throws {@link LeaseTermsError} on `/flows` when the flows cannot
 * have one (fewer than two, or not both a positive and a negative amount).
 */
export function xirr(flows: CashFlow[], guess = '0.1'): Decimal {
  const timed = prepareFlows(flows);
  const npv = (rate: Decimal) => discount(timed, rate);

  let rate = new D(isDecimalString(guess) ? guess : '0.1');
  if (rate.lte(-1)) rate = new D('0.1');
  const start = floatNewton(timed, rate.toNumber());
  if (start !== undefined) rate = new D(start);
  for (let step = 0; step < NEWTON_STEPS; step++) {
    const { value, derivative } = npv(rate);
    if (value.isZero()) return rate;
    if (derivative.isZero() || !derivative.isFinite()) break;
    const next = rate.minus(value.div(derivative));
    if (!next.isFinite() || next.lte(-1)) break;
    if (next.minus(rate).abs().lt(NEWTON_TOLERANCE)) return next;
    rate = next;
  }
  return bisect(timed);
}

/** Newton in float64: a starting point for the decimal iteration, or undefined when it does not settle. */
function floatNewton(flows: TimedFlow[], guess: number): number | undefined {
  return floatNewtonOn(
    flows.map((flow) => flow.amount.toNumber()),
    flows.map((flow) => flow.days / DAYS_IN_YEAR),
    guess,
  );
}

/**
 * Newton's method for Σ amount_i · (1 + x)^(−years_i) = 0 in float64, from `guess`; undefined when it leaves the
 * domain or does not settle (a step under 1e−12) in 50 steps.
 */
export function floatNewtonOn(amounts: number[], years: number[], guess: number): number | undefined {
  let rate = guess;
  for (let step = 0; step < NEWTON_STEPS; step++) {
    let value = 0;
    let derivative = 0;
    for (let i = 0; i < amounts.length; i++) {
      const present = amounts[i]! * (1 + rate) ** -years[i]!;
      value += present;
      derivative -= (years[i]! * present) / (1 + rate);
    }
    const next = rate - value / derivative;
    if (!Number.isFinite(next) || next <= -1) return undefined;
    if (Math.abs(next - rate) < 1e-12) return next;
    rate = next;
  }
  return undefined;
}

function prepareFlows(flows: CashFlow[]): TimedFlow[] {
  const issues = new IssueCollector();
  if (!Array.isArray(flows) || flows.length < 2) {
    throw new LeaseTermsError([{ field: '/flows', message: 'at least two cash flows are needed' }]);
  }
  const parsed = flows.map((flow, index) => {
    const date = parseDate(flow.date);
    if (!date) issues.add(`/flows/${index}/date`, 'must be a real date YYYY-MM-DD');
    if (!isDecimalString(flow.amount)) issues.add(`/flows/${index}/amount`, 'must be a decimal string');
    return {
      day: date ? epochDay(date) : 0,
      amount: isDecimalString(flow.amount) ? new D(flow.amount) : ZERO,
    };
  });
  issues.throwIfAny();
  if (
    !parsed.some((flow) => flow.amount.isPositive() && !flow.amount.isZero()) ||
    !parsed.some((f) => f.amount.isNegative() && !f.amount.isZero())
  ) {
    throw new LeaseTermsError([
      { field: '/flows', message: 'needs at least one positive and one negative amount' },
    ]);
  }
  const first = Math.min(...parsed.map((flow) => flow.day));
  // Sorted by date so the discount factors can be built by multiplying up from the previous one.
  return parsed
    .map((flow) => ({ days: flow.day - first, amount: flow.amount }))
    .sort((a, b) => a.days - b.days);
}

/**
 * NPV and its derivative at `rate`. The discount factor for a flow d days out is v^d with
 * v = (1 + rate)^(−1/365): one fractional power per evaluation, the rest integer powers of v, which is what
 * keeps a 360-flow XIRR in decimals fast.
 */
function discount(flows: TimedFlow[], rate: Decimal): { value: Decimal; derivative: Decimal } {
  const base = rate.plus(1);
  const v = base.pow(new D(-1).div(DAYS_IN_YEAR));
  const steps = new Map<number, Decimal>();
  let factor = ONE;
  let previousDays = 0;
  let value = ZERO;
  let weighted = ZERO;
  for (const flow of flows) {
    const gap = flow.days - previousDays;
    if (gap > 0) {
      let step = steps.get(gap);
      if (!step) {
        step = v.pow(gap);
        steps.set(gap, step);
      }
      factor = factor.times(step);
      previousDays = flow.days;
    }
    const present = flow.amount.times(factor);
    value = value.plus(present);
    weighted = weighted.plus(present.times(flow.days));
  }
  // d/dx Σ a·(1+x)^(−t/365) = −Σ a·(t/365)·(1+x)^(−t/365) / (1+x)
  const derivative = weighted.div(DAYS_IN_YEAR).div(base).neg();
  return { value, derivative };
}

/** The fallback: find rates lo < hi where the NPV changes sign, then halve the bracket until it is tiny. */
function bisect(flows: TimedFlow[]): Decimal {
  const sign = (rate: Decimal) => discount(flows, rate).value.comparedTo(0);
  const candidates = [
    '-0.999999999',
    '-0.99',
    '-0.9',
    '-0.5',
    '0',
    '0.1',
    '0.5',
    '1',
    '10',
    '100',
    '1e4',
    '1e6',
    '1e9',
    '1e12',
  ].map((value) => new D(value));
  let lo: Decimal | undefined;
  let hi: Decimal | undefined;
  let loSign = sign(candidates[0]!);
  if (loSign === 0) return candidates[0]!;
  for (let i = 1; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    const candidateSign = sign(candidate);
    if (candidateSign === 0) return candidate;
    if (candidateSign !== loSign) {
      lo = candidates[i - 1];
      hi = candidate;
      break;
    }
    loSign = candidateSign;
  }
  if (!lo || !hi) {
    throw new LeaseTermsError([
      { field: '/flows', message: 'no rate between -99.9999999 % and 1e14 % makes the NPV zero' },
    ]);
  }
  for (let step = 0; step < BISECTION_STEPS && hi.minus(lo).gt(BISECTION_WIDTH); step++) {
    const mid = lo.plus(hi).div(2);
    const midSign = sign(mid);
    if (midSign === 0) return mid;
    if (midSign === loSign) lo = mid;
    else hi = mid;
  }
  return lo.plus(hi).div(2);
}
