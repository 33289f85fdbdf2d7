import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, startBilling, type BillingWorld, type TestContract } from './fixtures.ts';

describe.each(testSetups())(
  'billing overdue: penalties, dunning and aging on $backend with the $broker transport',
  (setup) => {
    let world: BillingWorld;
    let contract: TestContract;

    beforeAll(async () => {
      world = await startBilling(setup, { today: '2026-02-28' });
      contract = aContract({ penaltyRate: '0.1' });
      await world.activate(contract);
      await world.call('POST', '/v1/billing-runs', world.admin, { upTo: '2026-02-28' });
      world.setToday('2026-03-10');
    });
    afterAll(async () => world?.close());

    const penaltyRun = (upTo: string) => world.call('POST', '/v1/penalty-runs', world.admin, { upTo });
    const charged = async () =>
      (await world.outbox('lessor.billing.penalty.charged.v1'))
        .map((event) => event.data as any)
        .filter((data) => data.contractId === contract.snapshot.id);
    const aging = async (at: string) =>
      (await world.call('GET', `/v1/aging?at=${at}&contractId=${contract.snapshot.id}`, world.admin)).body;

    it('should charge the daily penalty on overdue principal once per invoice and day, however often it runs', async () => {
      const first = await penaltyRun('2026-03-05');
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const installment = (await world.invoices(contract.snapshot.id))[1];
      expect(
        first.body.penalties.map((p: any) => [p.invoiceId, p.chargeDate, p.daysOverdue, p.amount]),
      ).toEqual(
        ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((day, index) => [
          installment.id,
          day,
          index + 1,
          { amount: '1.00', currency: 'EUR' },
        ]),
      );
      const again = await penaltyRun('2026-03-05');
      expect(again.body.count).toBe(0);
      const later = await penaltyRun('2026-03-10');
      expect(later.body.penalties.map((p: any) => p.chargeDate)).toEqual([
        '2026-03-06',
        '2026-03-07',
        '2026-03-08',
        '2026-03-09',
        '2026-03-10',
      ]);
      expect((await penaltyRun('2026-03-10')).body.count).toBe(0);
      expect((await penaltyRun('2026-03-11')).status).toBe(400);

      const events = await charged();
      expect(events).toHaveLength(10);
      expect(events[0]).toEqual({
        penaltyId: first.body.penalties[0].id,
        invoiceId: installment.id,
        legalEntity: 'LESSOR',
        contractId: contract.snapshot.id,
        partyId: contract.snapshot.partyId,
        chargeDate: '2026-03-01',
        daysOverdue: 1,
        currency: 'EUR',
        amount: '1.00',
      });
      const detail = await world.call('GET', `/v1/invoices/${installment.id}`, world.admin);
      expect(detail.body).toMatchObject({
        penalties: { amount: '10.00' },
        total: { amount: '1260.00' },
        openAmount: { amount: '1270.00' },
      });
      expect(detail.body.penaltyCharges).toHaveLength(10);
      expect(detail.body.penaltyCharges[0]).toMatchObject({ base: { amount: '1000.00' }, rate: '0.1' });
      // The advance has no principal: it is overdue, but costs no penalty.
      const advance = (await world.invoices(contract.snapshot.id))[0];
      expect(advance.penalties.amount).toBe('0.00');
    });

    it('should record the dunning levels each overdue invoice reached, with their dates', async () => {
      const [advance, installment] = await world.invoices(contract.snapshot.id);
      const dunning = async (id: string) =>
        (await world.call('GET', `/v1/invoices/${id}`, world.admin)).body.dunning;
      // Both issued 2026-02-28: the advance, issued after its due date, counts from its issue. Levels at 7, 30, 60 days.
      expect(await dunning(advance.id)).toEqual([{ level: 1, reachedOn: '2026-03-07' }]);
      expect(await dunning(installment.id)).toEqual([{ level: 1, reachedOn: '2026-03-07' }]);
    });

    it('should age what was open at each date into its bucket, penalties charged by then included', async () => {
      expect(await aging('2026-03-10')).toEqual({
        at: '2026-03-10',
        currencies: [
          {
            currency: 'EUR',
            buckets: [
              { bucket: 'current', amount: { amount: '0.00', currency: 'EUR' }, invoices: 0 },
              { bucket: '1-30', amount: { amount: '1270.00', currency: 'EUR' }, invoices: 1 },
              { bucket: '31-60', amount: { amount: '1000.00', currency: 'EUR' }, invoices: 1 },
              { bucket: '61-90', amount: { amount: '0.00', currency: 'EUR' }, invoices: 0 },
              { bucket: '90+', amount: { amount: '0.00', currency: 'EUR' }, invoices: 0 },
            ],
            total: { amount: '2270.00', currency: 'EUR' },
          },
        ],
      });
      const early = await aging('2026-03-03');
      expect(early.currencies[0].buckets.map((b: any) => [b.bucket, b.amount.amount])).toEqual([
        ['current', '0.00'],
        ['1-30', '1263.00'],
        ['31-60', '1000.00'],
        ['61-90', '0.00'],
        ['90+', '0.00'],
      ]);
      // On the day both were issued: the advance 28 days past due, installment 1 due that day (current).
      const issued = await aging('2026-02-28');
      expect(issued.currencies[0].buckets.map((b: any) => [b.bucket, b.amount.amount, b.invoices])).toEqual([
        ['current', '1260.00', 1],
        ['1-30', '1000.00', 1],
        ['31-60', '0.00', 0],
        ['61-90', '0.00', 0],
        ['90+', '0.00', 0],
      ]);
      expect((await aging('2026-02-27')).currencies).toEqual([]);
      const bad = await world.call('GET', '/v1/aging?at=yesterday', world.admin);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('/query/at');
    });

    it('should stop the penalty once the principal is paid, and count a payment in the aging from its date', async () => {
      world.setToday('2026-03-12');
      const paid = await world.call('POST', '/v1/payments', world.admin, {
        contractId: contract.snapshot.id,
        amount: '2270.00',
        valueDate: '2026-03-11',
        reference: contract.snapshot.paymentReference,
      });
      expect(paid.status, JSON.stringify(paid.body)).toBe(201);
      const run = await penaltyRun('2026-03-12');
      // 2026-03-11: the principal was paid that day, so no day after 2026-03-10 is charged.
      expect(
        run.body.penalties.filter((p: any) => p.invoiceId === paid.body.allocations[1].invoiceId),
      ).toEqual([]);
      expect(
        (await world.invoices(contract.snapshot.id)).slice(0, 2).map((invoice) => invoice.status),
      ).toEqual(['paid', 'paid']);
      expect((await aging('2026-03-10')).currencies[0].total.amount).toBe('2270.00');
      expect((await aging('2026-03-11')).currencies).toEqual([]);
    });

    it('should use changed dunning levels, refusing levels out of order and a change without If-Match', async () => {
      const read = await world.call('GET', '/v1/dunning-levels', world.admin);
      expect(read.body).toMatchObject({
        levels: [
          { level: 1, daysOverdue: 7 },
          { level: 2, daysOverdue: 30 },
          { level: 3, daysOverdue: 60 },
        ],
        version: 1,
      });
      const levels = { levels: [{ level: 1, daysOverdue: 3 }] };
      expect((await world.call('PUT', '/v1/dunning-levels', world.admin, levels)).status).toBe(428);
      const wrong = await world.call(
        'PUT',
        '/v1/dunning-levels',
        world.admin,
        { levels: [{ level: 2, daysOverdue: 3 }] },
        { 'if-match': read.headers.etag as string },
      );
      expect(wrong.status).toBe(422);
      expect(wrong.body).toMatchObject({ code: 'SETTINGS_INVALID', errors: [{ field: '/body/levels' }] });
      const changed = await world.call('PUT', '/v1/dunning-levels', world.admin, levels, {
        'if-match': read.headers.etag as string,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ levels: [{ level: 1, daysOverdue: 3 }], version: 2 });
      const stale = await world.call('PUT', '/v1/dunning-levels', world.admin, levels, {
        'if-match': read.headers.etag as string,
      });
      expect(stale.status).toBe(412);

      const late = aContract();
      await world.activate(late);
      world.setToday('2026-03-01');
      await world.call('POST', '/v1/billing-runs', world.admin, { upTo: '2026-03-01' });
      world.setToday('2026-03-12');
      await penaltyRun('2026-03-12');
      const [advance, installment] = await world.invoices(late.snapshot.id);
      const dunning = async (id: string) =>
        (await world.call('GET', `/v1/invoices/${id}`, world.admin)).body.dunning;
      // Issued 2026-03-01: the advance (due 2026-01-31) and installment 1 (due 2026-02-28) count from then.
      expect(await dunning(advance.id)).toEqual([{ level: 1, reachedOn: '2026-03-04' }]);
      expect(await dunning(installment.id)).toEqual([{ level: 1, reachedOn: '2026-03-04' }]);
    });
  },
);
