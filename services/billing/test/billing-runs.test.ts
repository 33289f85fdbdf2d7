import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingInternals } from '../src/app.ts';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, startBilling, type BillingWorld } from './fixtures.ts';

/**
 * Issue 12, item 6: on a fresh `npm start` an active demo contract showed 21 past installments "not issued yet".
 * The daily job runs once when billing starts — before the demo's contracts (or any contract activated with a
 * start in the past) have reached billing — and then hourly: invoices planned with an issue date already passed
 * waited for its next run, and nothing said why (the demo now replays billing's past itself, ADR 15). A run
 * never leaves out an invoice it found due without saying why: in its answer, its log and a metric.
 */
describe.each(testSetups())('billing runs on $backend with the $broker transport', (setup) => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBilling(setup, {
      today: '2026-06-30',
      // The job as in production: it runs at start (nothing to issue yet), then hourly.
      env: { BILLING_JOBS_ENABLED: 'true', BILLING_JOB_INTERVAL_MS: '3600000' },
    });
  });
  afterAll(async () => world?.close());

  const run = (upTo: string) => world.call('POST', '/v1/billing-runs', world.admin, { upTo });
  const skippedMetric = async (reason: string) => {
    const metrics = (await world.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = metrics
      .split('\n')
      .find(
        (text) => text.startsWith('lessor_billing_run_skipped_total{') && text.includes(`reason="${reason}"`),
      );
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  it('should leave invoices planned after the job’s run at start for its next run, which issues every one of them', async () => {
    const contract = aContract();
    // Activated with a start five months ago, after the job's run at start: the advance and four installments
    // are due, and nothing has issued them — on a fresh `npm start` the demo's contracts looked like this.
    const planned = await world.activate(contract);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await world.invoices(contract.snapshot.id)).map((invoice) => invoice.status)).toEqual(
      planned.map(() => 'planned'),
    );
    // The job's next run (hourly) issues them, dated the day it runs; none is left out.
    await billingInternals(world.app).job!.tick();
    const issued = await world.invoices(contract.snapshot.id);
    expect(issued.map((invoice) => [invoice.issueDate, invoice.status])).toEqual(
      planned.map(() => ['2026-06-30', 'issued']),
    );
    expect((await run('2026-06-30')).body).toMatchObject({ count: 0, skipped: [] });
  });

  it('should list an invoice it found due and did not issue in its answer with the reason, and count it', async () => {
    // Planned on a day none of it is due yet: nothing wakes the job, the run below does the work.
    world.setToday('2026-01-01');
    const contract = aContract();
    const planned = await world.activate(contract);
    world.setToday('2026-06-30');
    // A planned invoice whose currency is not its contract's (data no code path writes; say so, never bill it).
    const odd = planned.find((invoice) => invoice.installment === 2)!;
    await sql`update invoices set currency = 'USD' where id = ${odd.id}::uuid`.execute(
      world.database.db as Kysely<unknown>,
    );
    const before = await skippedMetric('currency-mismatch');

    const answer = await run('2026-06-30');
    expect(answer.status).toBe(200);
    expect(answer.body.count).toBe(planned.length - 1);
    expect(answer.body.issued.map((invoice: any) => invoice.id)).not.toContain(odd.id);
    expect(answer.body.skipped).toEqual([
      {
        invoiceId: odd.id,
        contractId: contract.snapshot.id,
        contractNumber: contract.snapshot.number,
        kind: 'installment',
        installment: 2,
        issueDate: odd.issueDate,
        reason: 'currency-mismatch',
        detail: expect.stringContaining('USD'),
      },
    ]);
    expect(await skippedMetric('currency-mismatch')).toBe(before + 1);
    const after = await world.invoices(contract.snapshot.id);
    expect(after.find((invoice) => invoice.id === odd.id)!.status).toBe('planned');

    // Two runs at once: every invoice is issued by one of them; what the other found issued it lists, with why.
    await sql`update invoices set currency = 'EUR' where id = ${odd.id}::uuid`.execute(
      world.database.db as Kysely<unknown>,
    );
    const third = aContract();
    world.setToday('2026-01-01');
    const more = await world.activate(third);
    world.setToday('2026-06-30');
    const [a, b] = await Promise.all([run('2026-06-30'), run('2026-06-30')]);
    const issuedIds = [...a.body.issued, ...b.body.issued].map((invoice: any) => invoice.id);
    expect(issuedIds.sort()).toEqual([odd.id, ...more.map((invoice) => invoice.id)].sort());
    for (const [mine, theirs] of [
      [a.body, b.body],
      [b.body, a.body],
    ]) {
      for (const skipped of mine.skipped) {
        expect(skipped.reason).toBe('issued-meanwhile');
        expect(theirs.issued.map((invoice: any) => invoice.id)).toContain(skipped.invoiceId);
      }
    }
  });
});
