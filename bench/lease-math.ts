/**
 * What exact decimal arithmetic costs for a schedule: a 360-month annuity with its effective rate (XIRR) built
 * by @lessor/lease-math (exact decimals: BigInt minor units per row, decimal.js once per schedule, XIRR decided
 * exactly to 6 decimals), against @formulajs/formulajs (Excel's formulas in float64) computing the same PMT,
 * the 360 IPMTs and the XIRR of the same flows, in the same run. Prints ms per schedule for each (median of 5
 * alternating batches) and the speed ratio formulajs / lease-math (≥ 1: lease-math is at least as fast).
 * Checks first that both agree on the payment and the rate. Also times the implementation it replaced (decimal.js
 * at every step, kept as the test oracle in packages/lease-math/test/reference) for a before/after in one run.
 *
 *   npm run bench:lease-math
 *   node --import tsx bench/lease-math.ts [schedules=200] [warmup=20]
 */
import * as formulajs from '@formulajs/formulajs';
import { calculateSchedule, effectiveRateFlows, type LeaseTerms } from '@lessor/lease-math';
import * as before from '../packages/lease-math/test/reference/index.ts';

const total = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);

const terms: LeaseTerms = {
  currency: 'EUR',
  assetPrice: '120000.00',
  advance: { percent: '20' },
  termMonths: 360,
  annualRate: '9.5',
  scheduleType: 'annuity',
  residualValue: '10000.00',
  startDate: '2026-01-31',
  vatRate: '20',
};
const n = terms.termMonths;
const rate = 9.5 / 12 / 100;
const financed = 96000;
const residual = 10000;

// The same flows for formulajs's XIRR, taken once from our schedule (both sides then solve the same problem).
const reference = calculateSchedule(terms);
const flows = effectiveRateFlows(reference);
const values = flows.map((flow) => Number(flow.amount));
const dates = flows.map((flow) => flow.date);

/** formulajs: PMT, the 360 IPMTs (the interest column) and XIRR. */
function formulajsSchedule(): { payment: number; interest: number; rate: number } {
  const payment = formulajs.PMT(rate, n, -financed, residual) as number;
  let interest = 0;
  for (let k = 1; k <= n; k++) interest += formulajs.IPMT(rate, k, n, -financed, residual) as number;
  return { payment, interest, rate: formulajs.XIRR(values, dates) as number };
}

const ROUNDS = 5;

/** ms per run of one batch of total / ROUNDS runs. */
function timeBatch(run: () => unknown): number {
  const runs = Math.max(1, Math.round(total / ROUNDS));
  const started = performance.now();
  for (let i = 0; i < runs; i++) run();
  return (performance.now() - started) / runs;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const excel = formulajsSchedule();
const paymentGap = Math.abs(Number(reference.installments[0]!.payment) - excel.payment);
const rateGap = Math.abs(Number(reference.effectiveRate) - excel.rate * 100);
if (JSON.stringify(before.calculateSchedule(terms)) !== JSON.stringify(reference)) {
  throw new Error('lease-math and its reference implementation disagree on the schedule');
}
if (paymentGap > 0.005 || rateGap > 0.0001) {
  throw new Error(
    `lease-math and formulajs disagree: payment by ${paymentGap}, effective rate by ${rateGap} points`,
  );
}

// Warm both up, then alternate batches so a change in the shared machine's load hits both alike; median batch.
for (let i = 0; i < warmup; i++) {
  calculateSchedule(terms);
  formulajsSchedule();
  before.calculateSchedule(terms);
}
const oursBatches: number[] = [];
const theirsBatches: number[] = [];
const beforeBatches: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  oursBatches.push(timeBatch(() => calculateSchedule(terms)));
  theirsBatches.push(timeBatch(formulajsSchedule));
  beforeBatches.push(timeBatch(() => before.calculateSchedule(terms)));
}
const ours = median(oursBatches);
const theirs = median(theirsBatches);
const previous = median(beforeBatches);
console.log(
  `lease-math, ${n}-month annuity with XIRR, ${total} schedules each in ${ROUNDS} alternating batches after ${warmup} warm-up (median batch); payment ${reference.installments[0]!.payment}, effective rate ${reference.effectiveRate} %`,
);
console.log(`formulajs (float64: PMT + ${n} IPMT + XIRR): ${theirs.toFixed(3)} ms per schedule`);
console.log(
  `lease-math (exact decimals: whole schedule, VAT, totals, XIRR): ${ours.toFixed(3)} ms per schedule`,
);
console.log(
  `before (decimal.js at every step, test/reference): ${previous.toFixed(3)} ms per schedule, time ratio to formulajs ${(previous / theirs).toFixed(2)}`,
);
console.log(`time ratio lease-math/formulajs: ${(ours / theirs).toFixed(2)}`);
console.log(
  `speed ratio formulajs/lease-math: ${(theirs / ours).toFixed(2)} (≥ 1.0: lease-math at least as fast)`,
);
