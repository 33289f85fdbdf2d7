import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import type { EventEnvelope } from '@lessor/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activated,
  aLease,
  installmentInvoice,
  invoiceIssued,
  paymentAllocated,
  paymentReceived,
  penaltyCharged,
  EVENTS,
} from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

const cents = (min: number, max: number) =>
  fc.integer({ min, max }).map((value) => new Decimal(value).dividedBy(100).toFixed(2));

/** One contract and what billing does with it: invoices issued, payments, allocations, penalties. */
const contractScenario = fc.record({
  financed: cents(100_000, 5_000_000),
  residualPercent: fc.integer({ min: 0, max: 30 }),
  months: fc.integer({ min: 1, max: 6 }),
  monthlyRatePercent: fc.integer({ min: 0, max: 200 }).map((value) => (value / 100).toFixed(2)),
  advance: fc.option(cents(1, 500_000), { nil: undefined }),
  issued: fc.integer({ min: 0, max: 6 }),
  steps: fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('payment' as const), amount: cents(1, 300_000) }),
      fc.record({ kind: fc.constant('allocation' as const), share: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ kind: fc.constant('penalty' as const), amount: cents(1, 5_000) }),
    ),
    { maxLength: 8 },
  ),
});

// For random contracts (activated schedules) and random payments, allocations and penalties sent as events,
// finance's receivables sub-ledger (1100 by contract) must equal invoices issued − payments allocated +
// penalties, and the trial balance must stay zero.
describe.each(financeSetups())(
  'the receivables sub-ledger against billing’s arithmetic on $backend',
  (setup) => {
    let world: FinanceWorld;
    /** A user who may do anything in finance. */
    let admin: string;

    beforeAll(async () => {
      world = await startFinance(setup);
      admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
    });
    afterAll(async () => {
      await world?.close();
    });

    it('should equal invoices issued − allocations + penalties per contract, with a zero trial balance', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(contractScenario, { minLength: 1, maxLength: 3 }), async (contracts) => {
          const expected = new Map<string, Decimal>();
          const published: EventEnvelope[] = [];
          const send = async <Definition extends EventDefinition>(
            definition: Definition,
            data: EventDataOf<Definition>,
          ) => published.push(await world.publish(definition, data));

          for (const scenario of contracts) {
            const residual = new Decimal(scenario.financed)
              .times(scenario.residualPercent)
              .dividedBy(100)
              .toDecimalPlaces(2, Decimal.ROUND_DOWN)
              .toFixed(2);
            const lease = aLease({
              financed: scenario.financed,
              residual,
              months: scenario.months,
              monthlyRatePercent: scenario.monthlyRatePercent,
              ...(scenario.advance ? { advance: scenario.advance } : {}),
            });
            await send(EVENTS.activated, activated(lease));
            // Billing's open amount of the contract: what finance's 1100 must show.
            const open: { id: string; open: Decimal }[] = [];
            let receivable = new Decimal(0);
            if (scenario.advance) {
              const advance = invoiceIssued(lease, 'advance', { fees: scenario.advance });
              await send(EVENTS.invoiceIssued, advance);
              open.push({ id: advance.invoiceId, open: new Decimal(advance.amounts.total) });
              receivable = receivable.plus(advance.amounts.total);
            }
            for (let n = 1; n <= Math.min(scenario.issued, scenario.months); n++) {
              const invoice = installmentInvoice(lease, n);
              await send(EVENTS.invoiceIssued, invoice);
              open.push({ id: invoice.invoiceId, open: new Decimal(invoice.amounts.total) });
              receivable = receivable.plus(invoice.amounts.total);
            }
            let credit = new Decimal(0);
            for (const step of scenario.steps) {
              if (step.kind === 'payment') {
                await send(EVENTS.paymentReceived, paymentReceived(lease, step.amount, '2026-06-01'));
                credit = credit.plus(step.amount);
              } else if (step.kind === 'penalty' && open.length > 0) {
                await send(
                  EVENTS.penaltyCharged,
                  penaltyCharged(lease, open[0]!.id, step.amount, '2026-06-02'),
                );
                open[0]!.open = open[0]!.open.plus(step.amount);
                receivable = receivable.plus(step.amount);
              } else if (step.kind === 'allocation') {
                // Billing allocates the client's credit to the oldest open invoice, never more than either.
                const invoice = open.find((candidate) => candidate.open.gt(0));
                if (!invoice || credit.lte(0)) continue;
                const amount = Decimal.min(invoice.open, credit)
                  .times(step.share)
                  .dividedBy(100)
                  .toDecimalPlaces(2, Decimal.ROUND_DOWN);
                if (amount.lte(0)) continue;
                await send(
                  EVENTS.paymentAllocated,
                  paymentAllocated(lease, invoice.id, amount.toFixed(2), '2026-06-03'),
                );
                invoice.open = invoice.open.minus(amount);
                credit = credit.minus(amount);
                receivable = receivable.minus(amount);
              }
            }
            expected.set(lease.id, receivable);
          }
          for (const envelope of published) await world.handled(envelope);

          const byContract = (await world.call('GET', '/v1/receivables?by=contract', admin)).body.items;
          for (const [contractId, amount] of expected) {
            const row = byContract.find((item: any) => item.contractId === contractId);
            expect(row?.balance.amount ?? '0.00', contractId).toBe(amount.toFixed(2));
          }
          const trialBalance = (await world.call('GET', '/v1/trial-balance?currency=EUR', admin)).body;
          expect(trialBalance.totalDebit).toEqual(trialBalance.totalCredit);
          expect((await world.call('GET', '/v1/review-items?status=open', admin)).body.items).toEqual([]);
        }),
        { numRuns: 12 },
      );
    }, 300_000);
  },
);
