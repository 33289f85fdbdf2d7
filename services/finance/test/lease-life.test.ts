import { Decimal } from 'decimal.js';
import { sql, type Kysely } from 'kysely';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import {
  activated,
  aLease,
  closed,
  installmentInvoice,
  invoiceIssued,
  repriced,
  restructured,
  EVENTS,
  type TestInstallment,
  type TestLease,
} from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

const sum = (installments: readonly TestInstallment[], field: 'interest' | 'principal') =>
  installments.reduce((total, installment) => total.plus(installment[field]), new Decimal(0));

// A lease after its activation: restructured with an effective date in the past, and closed at the end of its
// term with the asset returned or bought. Each contract's balances are checked against what its schedule says.
describe.each(financeSetups())(
  'finance following a lease to its end on $backend with the $broker transport',
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

    async function post<Definition extends EventDefinition>(
      definition: Definition,
      data: EventDataOf<Definition>,
    ) {
      const envelope = await world.publish(definition, data);
      await world.handled(envelope);
      const page = (await world.call('GET', `/v1/entries?sourceEventId=${envelope.id}`, admin)).body;
      return { envelope, entry: page.items[0] };
    }
    const lines = (entry: any) =>
      entry.lines.map((line: any) => [line.side, line.accountCode, line.amount.amount]);
    /** A contract's balance on an account (debits − credits) from the journal. */
    async function balance(lease: TestLease, code: string): Promise<Decimal> {
      const entries = (await world.call('GET', `/v1/entries?contractId=${lease.id}&limit=200`, admin)).body
        .items;
      return entries
        .flatMap((entry: any) => entry.lines)
        .filter((line: any) => line.accountCode === code && line.contractId === lease.id)
        .reduce(
          (total: Decimal, line: any) =>
            line.side === 'debit' ? total.plus(line.amount.amount) : total.minus(line.amount.amount),
          new Decimal(0),
        );
    }
    async function recognise(upTo: string) {
      const run = await world.call('POST', '/v1/income-recognition-runs', admin, { upTo });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      return run.body;
    }
    async function balanced() {
      const report = (await world.call('GET', '/v1/trial-balance?at=2026-12-31', admin)).body;
      expect(report.totalDebit).toEqual(report.totalCredit);
    }

    it('should leave 2300 at the new schedule’s interest not yet earned after a restructuring dated in the past', async () => {
      const lease = aLease({ months: 6, monthlyRatePercent: '1', startDate: '2026-01-15' });
      await post(EVENTS.activated, activated(lease));
      // Installments 1–4 (due 15 Feb – 15 May) are earned at the old rate.
      expect((await recognise('2026-05-20')).recognised).toBe(4);

      // On 20 May the rate is lowered from installment 3 (due 15 April): two of the re-priced installments were
      // earned already, at the old interest.
      const next = repriced(lease, 3, '0.97');
      const earnedDifference = sum(next.slice(2, 4), 'interest').minus(
        sum(lease.installments.slice(2, 4), 'interest'),
      );
      expect(earnedDifference.isZero()).toBe(false);
      const { entry } = await post(
        EVENTS.restructured,
        restructured(lease, next, lease.installments[2]!.dueDate, '2026-05-20'),
      );
      // 2300 holds the interest of the new schedule's installments not yet earned (5 and 6), exactly.
      expect((await balance(lease, '2300')).negated().toFixed(2)).toBe(
        sum(next.slice(4), 'interest').toFixed(2),
      );
      expect((await balance(lease, '4000')).negated().toFixed(2)).toBe(
        sum(next.slice(0, 4), 'interest').toFixed(2),
      );
      // The receivable is the new schedule's gross investment (nothing billed in this test).
      expect((await balance(lease, '1200')).toFixed(2)).toBe(
        sum(next, 'principal').plus(lease.residualValue).plus(sum(next, 'interest')).toFixed(2),
      );

      const change = sum(next.slice(2), 'interest').minus(sum(lease.installments.slice(2), 'interest'));
      // Less interest from installment 3: off the receivable and the unearned income; and the part of that
      // difference that belongs to installments 3 and 4, earned already, leaves the income (a catch-up).
      expect(lines(entry)).toEqual([
        ['credit', '1200', change.abs().toFixed(2)],
        ['debit', '2300', change.abs().toFixed(2)],
        ['credit', '2300', earnedDifference.abs().toFixed(2)],
        ['debit', '4000', earnedDifference.abs().toFixed(2)],
      ]);

      // Earning the rest empties 2300; the income is the new schedule's interest, every cent of it.
      expect((await recognise('2026-12-31')).recognised).toBe(2);
      expect((await balance(lease, '2300')).toFixed(2)).toBe('0.00');
      expect((await balance(lease, '4000')).negated().toFixed(2)).toBe(sum(next, 'interest').toFixed(2));
      await balanced();
    });

    it('should post nothing for a restructuring whose version it keeps already, published again under a new id', async () => {
      const lease = aLease({ months: 6, monthlyRatePercent: '1', startDate: '2026-01-15' });
      await post(EVENTS.activated, activated(lease));
      const data = restructured(
        lease,
        repriced(lease, 3, '0.97'),
        lease.installments[2]!.dueDate,
        '2026-02-20',
      );
      expect((await post(EVENTS.restructured, data)).entry).toBeDefined();
      const receivable = (await balance(lease, '1200')).toFixed(2);
      const unearned = (await balance(lease, '2300')).toFixed(2);

      expect((await post(EVENTS.restructured, data)).entry).toBeUndefined();
      expect((await balance(lease, '1200')).toFixed(2)).toBe(receivable);
      expect((await balance(lease, '2300')).toFixed(2)).toBe(unearned);
      // The kept schedule is still the one posted once: earning it all empties 2300 to the cent.
      expect((await recognise('2026-12-31')).recognised).toBe(6);
      expect((await balance(lease, '2300')).toFixed(2)).toBe('0.00');
      await balanced();
    });

    it('should earn the difference when a restructuring dated in the past raises the interest', async () => {
      const lease = aLease({ months: 4, monthlyRatePercent: '0.5', startDate: '2026-03-10' });
      await post(EVENTS.activated, activated(lease));
      expect((await recognise('2026-05-31')).recognised).toBe(2);
      const next = repriced(lease, 2, '0.51');
      const earnedDifference = new Decimal(next[1]!.interest).minus(lease.installments[1]!.interest);
      const { entry } = await post(
        EVENTS.restructured,
        restructured(lease, next, lease.installments[1]!.dueDate, '2026-05-31'),
      );
      expect(lines(entry).slice(2)).toEqual([
        ['debit', '2300', earnedDifference.toFixed(2)],
        ['credit', '4000', earnedDifference.toFixed(2)],
      ]);
      expect((await balance(lease, '2300')).negated().toFixed(2)).toBe(
        sum(next.slice(2), 'interest').toFixed(2),
      );
      await recognise('2026-12-31');
      expect((await balance(lease, '2300')).toFixed(2)).toBe('0.00');
      expect((await balance(lease, '4000')).negated().toFixed(2)).toBe(sum(next, 'interest').toFixed(2));
    });

    // A recognition and a restructuring overlap: two sessions, as on any PostgreSQL server.
    it('should recognise the interest an installment has when its row is locked, not when the run listed it', async () => {
      const lease = aLease({ months: 2, monthlyRatePercent: '1', startDate: '2026-02-03' });
      await post(EVENTS.activated, activated(lease));
      const db = world.database.db as Kysely<any>;
      const waiting = async () => {
        const rows = await sql<{ count: string }>`select count(*)::text as count from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'
            and query ilike '%lease_installments%for update%'`.execute(db);
        return rows.rows[0]!.count !== '0' || undefined;
      };
      let run: Promise<{ status: number; body: any }> | undefined;
      // A restructuring re-prices installment 1 while the run waits for its row: the run must post the new
      // interest (the restructuring's catch-up assumes exactly that).
      await db.transaction().execute(async (trx) => {
        await trx
          .selectFrom('leaseInstallments')
          .select('n')
          .where('contractId', '=', lease.id)
          .where('n', '=', 1)
          .forUpdate()
          .execute();
        run = world.call('POST', '/v1/income-recognition-runs', admin, {
          upTo: lease.installments[0]!.dueDate,
        });
        await eventually(waiting, { timeoutMs: 20_000, message: 'the run waits for the installment' });
        await trx
          .updateTable('leaseInstallments')
          .set({ interest: '77.77' })
          .where('contractId', '=', lease.id)
          .where('n', '=', 1)
          .execute();
      });
      const answer = await run!;
      expect(answer.body).toMatchObject({ recognised: 1, amounts: [{ amount: '77.77', currency: 'EUR' }] });
      expect((await balance(lease, '4000')).toFixed(2)).toBe('-77.77');
    });

    it('should move the residual from the lease receivable to returned assets when a lease closes with the asset returned', async () => {
      const lease = aLease({ months: 3, monthlyRatePercent: '1', financed: '9000.00', residual: '2500.00' });
      await post(EVENTS.activated, activated(lease));
      await post(EVENTS.invoiceIssued, installmentInvoice(lease, 1));
      await post(EVENTS.invoiceIssued, installmentInvoice(lease, 2));
      // The close may arrive before billing's last invoice (two publishers, no order between them): the entry
      // takes the residual the event carries, not what 1200 holds at that moment.
      const { entry } = await post(EVENTS.closed, closed(lease, false));
      expect(entry.description).toBe(`Contract ${lease.number} closed, asset returned`);
      expect(entry.date).toBe(lease.installments[2]!.dueDate);
      expect(lines(entry)).toEqual([
        ['debit', '1300', '2500.00'],
        ['credit', '1200', '2500.00'],
      ]);
      await post(EVENTS.invoiceIssued, installmentInvoice(lease, 3));
      await recognise('2026-12-31');
      expect((await balance(lease, '1200')).toFixed(2)).toBe('0.00');
      expect((await balance(lease, '2300')).toFixed(2)).toBe('0.00');
      expect((await balance(lease, '1300')).toFixed(2)).toBe('2500.00');
      const account = (await world.call('GET', '/v1/accounts?code=1300', admin)).body.items[0];
      expect(account).toMatchObject({ name: 'Returned assets held for sale', type: 'asset' });
      await balanced();
    });

    it('should post nothing for a close with buyout, the buyout invoice having billed the residual', async () => {
      const lease = aLease({ months: 2, monthlyRatePercent: '1', financed: '5000.00', residual: '1000.00' });
      await post(EVENTS.activated, activated(lease));
      await post(EVENTS.invoiceIssued, installmentInvoice(lease, 1));
      await post(EVENTS.invoiceIssued, installmentInvoice(lease, 2));
      const reviewBefore = (await world.call('GET', '/v1/review-items?status=open', admin)).body.items.length;
      const { entry } = await post(EVENTS.closed, closed(lease, true));
      expect(entry).toBeUndefined();
      expect((await world.call('GET', '/v1/review-items?status=open', admin)).body.items).toHaveLength(
        reviewBefore,
      );
      await post(
        EVENTS.invoiceIssued,
        invoiceIssued(
          lease,
          'buyout',
          { principal: '1000.00', vat: '190.00' },
          { issueDate: lease.installments[1]!.dueDate },
        ),
      );
      expect((await balance(lease, '1200')).toFixed(2)).toBe('0.00');
      expect((await balance(lease, '1300')).toFixed(2)).toBe('0.00');
      await balanced();
    });
  },
);
