import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasingEvents } from '@lessor/event-catalog';
import { testSetups } from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import {
  activated,
  aContract,
  contractEvent,
  scheduleOf,
  startBilling,
  type BillingWorld,
  type TestContract,
} from './fixtures.ts';

describe.each(testSetups())('billing invoices on $backend with the $broker transport', (setup) => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBilling(setup);
  });
  afterAll(async () => world?.close());

  const run = (upTo: string) => world.call('POST', '/v1/billing-runs', world.admin, { upTo });
  const issuedFor =
    (contract: TestContract) =>
    async (type = 'lessor.billing.invoice.issued.v1') =>
      (await world.outbox(type)).filter((event) => (event.data as any).contractId === contract.snapshot.id);

  it('should plan the advance and one invoice per installment, unnumbered and unposted, when a contract is activated', async () => {
    const contract = aContract();
    const planned = await world.activate(contract);
    expect(
      planned.map((invoice) => [
        invoice.kind,
        invoice.installment,
        invoice.dueDate,
        invoice.total.amount,
        invoice.status,
      ]),
    ).toEqual([
      ['advance', null, '2026-01-31', '1000.00', 'planned'],
      ['installment', 1, '2026-02-28', '1260.00', 'planned'],
      ['installment', 2, '2026-03-31', '1240.00', 'planned'],
      ['installment', 3, '2026-04-30', '1220.00', 'planned'],
    ]);
    expect(planned.every((invoice) => invoice.number === null && invoice.openAmount.amount === '0.00')).toBe(
      true,
    );
    expect(planned[1]).toMatchObject({
      contractId: contract.snapshot.id,
      partyId: contract.snapshot.partyId,
      legalEntity: 'LESSOR',
      currency: 'EUR',
      principal: { amount: '1000.00', currency: 'EUR' },
      interest: { amount: '50.00', currency: 'EUR' },
      vat: { amount: '210.00', currency: 'EUR' },
      fees: { amount: '0.00', currency: 'EUR' },
    });
    const detail = await world.call('GET', `/v1/invoices/${planned[1].id}`, world.admin);
    expect(detail.status).toBe(200);
    expect(detail.body.lines).toEqual([
      {
        position: 1,
        kind: 'principal',
        description: 'Installment 1 of 3: principal',
        amount: { amount: '1000.00', currency: 'EUR' },
      },
      {
        position: 2,
        kind: 'interest',
        description: 'Installment 1 of 3: interest',
        amount: { amount: '50.00', currency: 'EUR' },
      },
      {
        position: 3,
        kind: 'vat',
        description: 'Installment 1 of 3: VAT',
        amount: { amount: '210.00', currency: 'EUR' },
      },
    ]);
    const advance = await world.call('GET', `/v1/invoices/${planned[0].id}`, world.admin);
    expect(advance.body.lines).toEqual([
      {
        position: 1,
        kind: 'fee',
        description: 'Advance payment',
        amount: { amount: '1000.00', currency: 'EUR' },
      },
    ]);
    // Planned invoices are not posted: finance hears of an invoice when it is issued.
    expect(await issuedFor(contract)()).toEqual([]);

    // The same fact published again under a new id plans nothing twice.
    await world.handled(await world.publish(...activated(contract)));
    expect(await world.invoices(contract.snapshot.id)).toHaveLength(4);
  });

  it('should issue exactly the invoices due up to the date, numbered, and nothing more when the run repeats', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    const api = world.api<paths>(world.admin);
    const first = await api.POST('/v1/billing-runs', { body: { upTo: '2026-02-28' } });
    expect(first.response.status, JSON.stringify(first.error)).toBe(200);
    const mine = first.data!.issued.filter((item) => item.contractId === contract.snapshot.id);
    expect(mine.map((item) => [item.kind, item.dueDate, item.total.amount])).toEqual([
      ['advance', '2026-01-31', '1000.00'],
      ['installment', '2026-02-28', '1260.00'],
    ]);
    for (const item of mine) expect(item.number).toMatch(/^INV-LESSOR-2026-\d{6}$/);

    const second = await api.POST('/v1/billing-runs', { body: { upTo: '2026-02-28' } });
    expect(second.response.status).toBe(200);
    expect(second.data!.count).toBe(0);

    const invoices = await world.invoices(contract.snapshot.id);
    expect(invoices.map((invoice) => [invoice.status, invoice.openAmount.amount])).toEqual([
      ['issued', '1000.00'],
      ['issued', '1260.00'],
      ['planned', '0.00'],
      ['planned', '0.00'],
    ]);
    const events = await issuedFor(contract)();
    expect(events.map((event) => event.data)).toEqual([
      {
        invoiceId: invoices[0].id,
        number: invoices[0].number,
        kind: 'advance',
        legalEntity: 'LESSOR',
        contractId: contract.snapshot.id,
        partyId: contract.snapshot.partyId,
        installment: null,
        // Dated the day it was issued, not the day it was planned for.
        issueDate: '2026-02-28',
        dueDate: '2026-01-31',
        currency: 'EUR',
        amounts: { principal: '0.00', interest: '0.00', fees: '1000.00', vat: '0.00', total: '1000.00' },
      },
      {
        invoiceId: invoices[1].id,
        number: invoices[1].number,
        kind: 'installment',
        legalEntity: 'LESSOR',
        contractId: contract.snapshot.id,
        partyId: contract.snapshot.partyId,
        installment: 1,
        issueDate: '2026-02-28',
        dueDate: '2026-02-28',
        currency: 'EUR',
        amounts: { principal: '1000.00', interest: '50.00', fees: '0.00', vat: '210.00', total: '1260.00' },
      },
    ]);
    expect(events.every((event) => event.actor === 'user-billing-admin')).toBe(true);
  });

  it('should give gap-free numbers 1..N without duplicates when several billing runs race', async () => {
    world.setToday('2026-04-30');
    const contracts = Array.from({ length: 5 }, () => aContract({ legalEntity: 'GAPLESS' }));
    for (const contract of contracts) await world.activate(contract);
    const answers = await Promise.all(Array.from({ length: 4 }, () => run('2026-04-30')));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const issued = answers
      .flatMap((answer) => answer.body.issued)
      .filter((item: any) => item.number.startsWith('INV-GAPLESS-'));
    // Each invoice was issued by exactly one of the runs.
    expect(issued).toHaveLength(20);
    const numbers = issued.map((item: any) => item.number).sort();
    expect(numbers).toEqual(
      Array.from({ length: 20 }, (_, index) => `INV-GAPLESS-2026-${String(index + 1).padStart(6, '0')}`),
    );
    const events = (await world.outbox('lessor.billing.invoice.issued.v1')).filter(
      (event) => (event.data as any).legalEntity === 'GAPLESS',
    );
    expect(events.map((event) => (event.data as any).number).sort()).toEqual(numbers);
  });

  it('should cancel planned installments from the date and plan the new version when a contract is restructured', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    await run('2026-02-28');
    const restructured: TestContract = {
      snapshot: { ...contract.snapshot, scheduleVersion: 2, termMonths: 4 },
      installments: [
        contract.installments[0]!,
        { n: 2, dueDate: '2026-03-31', principal: '500.00', interest: '33.33', vat: '106.67' },
        { n: 3, dueDate: '2026-04-30', principal: '750.00', interest: '25.00', vat: '155.00' },
        { n: 4, dueDate: '2026-05-31', principal: '750.00', interest: '12.50', vat: '152.50' },
      ],
    };
    const schedule = scheduleOf(restructured, 2, '2026-03-15');
    await world.publish(
      ...contractEvent(leasingEvents.contractRestructured, restructured, {
        schedule: {
          ...schedule,
          installments: schedule.installments.filter((line) => line.dueDate >= '2026-03-15'),
        },
      }),
    );
    const after = await world.until(async () => {
      const invoices = await world.invoices(contract.snapshot.id);
      return invoices.length === 7 ? invoices : undefined;
    });
    expect(
      after.map((invoice) => [
        invoice.kind,
        invoice.installment,
        invoice.scheduleVersion,
        invoice.status,
        invoice.total.amount,
      ]),
    ).toEqual([
      ['advance', null, 1, 'issued', '1000.00'],
      ['installment', 1, 1, 'issued', '1260.00'],
      ['installment', 2, 1, 'cancelled', '1240.00'],
      ['installment', 2, 2, 'planned', '640.00'],
      ['installment', 3, 1, 'cancelled', '1220.00'],
      ['installment', 3, 2, 'planned', '930.00'],
      ['installment', 4, 2, 'planned', '915.00'],
    ]);
    expect(after[2].cancelReason).toBe('replaced by schedule version 2 from 2026-03-15');

    // The same restructuring published again finds its version planned: nothing changes.
    await world.handled(
      await world.publish(...contractEvent(leasingEvents.contractRestructured, restructured, { schedule })),
    );
    expect(await world.invoices(contract.snapshot.id)).toHaveLength(7);
  });

  it('should cancel installments due after the termination date and invoice the settlement when a contract is terminated', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-03-15');
    const money = (amount: string) => ({ amount, currency: 'EUR' });
    await world.publish(
      ...contractEvent(
        leasingEvents.contractTerminated,
        contract,
        {
          settlement: {
            terminationDate: '2026-03-15',
            remainingPrincipal: money('2000.00'),
            accruedInterest: money('16.44'),
            fee: money('60.00'),
            feeVat: money('12.00'),
            overdue: money('0.00'),
            total: money('2088.44'),
          },
        },
        '2026-03-15',
      ),
    );
    const after = await world.until(async () => {
      const invoices = await world.invoices(contract.snapshot.id);
      return invoices.some((invoice) => invoice.kind === 'termination') ? invoices : undefined;
    });
    expect(
      after.map((invoice) => [invoice.kind, invoice.installment, invoice.status, invoice.dueDate]),
    ).toEqual([
      ['advance', null, 'planned', '2026-01-31'],
      ['installment', 1, 'planned', '2026-02-28'],
      ['termination', null, 'planned', '2026-03-15'],
      ['installment', 2, 'cancelled', '2026-03-31'],
      ['installment', 3, 'cancelled', '2026-04-30'],
    ]);
    // Installments due by the termination date are still billed; the settlement comes with them.
    await run('2026-03-15');
    const termination = (await issuedFor(contract)()).find(
      (event) => (event.data as any).kind === 'termination',
    );
    expect((termination!.data as any).amounts).toEqual({
      principal: '2000.00',
      interest: '16.44',
      fees: '60.00',
      vat: '12.00',
      total: '2088.44',
    });
    expect((await issuedFor(contract)()).map((event) => (event.data as any).kind)).toEqual([
      'advance',
      'installment',
      'termination',
    ]);
  });

  it('should invoice the residual value with VAT on a close with buyout and nothing on a close without', async () => {
    const bought = aContract({ residualValue: '500.00', financedAmount: '3500.00' });
    const returned = aContract({ residualValue: '500.00', financedAmount: '3500.00' });
    await world.activate(bought);
    await world.activate(returned);
    await world.publish(
      ...contractEvent(leasingEvents.contractClosed, bought, { buyout: true }, '2026-04-30'),
    );
    const closedWithout = await world.publish(
      ...contractEvent(leasingEvents.contractClosed, returned, { buyout: false }, '2026-04-30'),
    );
    const invoices = await world.until(async () => {
      const all = await world.invoices(bought.snapshot.id);
      return all.length === 5 ? all : undefined;
    });
    expect(invoices.at(-1)).toMatchObject({
      kind: 'buyout',
      dueDate: '2026-04-30',
      principal: { amount: '500.00' },
      vat: { amount: '100.00' },
      total: { amount: '600.00' },
      status: 'planned',
    });
    await world.handled(closedWithout);
    expect((await world.invoices(returned.snapshot.id)).map((invoice) => invoice.kind)).not.toContain(
      'buyout',
    );
  });

  it('should park an event about a contract billing never saw activated, after its retries', async () => {
    const stranger = aContract();
    const envelope = await world.publish(
      ...contractEvent(leasingEvents.contractClosed, stranger, { buyout: true }),
    );
    const parked = await world.until(async () => {
      const answer = await world.call('GET', '/v1/events/parked', world.admin);
      return answer.body.items.find((item: any) => item.eventId === envelope.id);
    });
    expect(parked.reason).toMatch(/has not seen activated/);
  });

  it('should answer problem+json naming the field for bad input, 404 for an unknown invoice and 403 without the permission', async () => {
    const bad = await world.call('GET', '/v1/invoices?contractId=nope&status=open', world.admin);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.errors.map((error: any) => error.field).sort()).toEqual([
      '/query/contractId',
      '/query/status',
    ]);
    const badRun = await run('31.01.2026');
    expect(badRun.status).toBe(400);
    expect(badRun.body.errors[0].field).toBe('/body/upTo');
    const missing = await world.call('GET', '/v1/invoices/0193a1b2-0000-7000-8000-000000000000', world.admin);
    expect(missing.status).toBe(404);
    const reader = await world.token(['billing:payments:read']);
    expect((await world.call('GET', '/v1/invoices', reader)).status).toBe(403);
    expect((await world.call('POST', '/v1/billing-runs', reader, { upTo: '2026-01-31' })).status).toBe(403);
  });
});

describe.each(testSetups().slice(0, 1))('billing’s daily job on $backend', (setup) => {
  let world: BillingWorld;

  beforeAll(async () => {
    world = await startBilling(setup, {
      today: '2026-02-28',
      env: { BILLING_JOBS_ENABLED: 'true', BILLING_JOB_INTERVAL_MS: '1000' },
    });
  });
  afterAll(async () => world?.close());

  it('should issue what is due today by itself when the job is on', async () => {
    const contract = aContract();
    await world.publish(...activated(contract));
    const issued = await world.until(async () => {
      const invoices = await world.invoices(contract.snapshot.id);
      return invoices.filter((invoice) => invoice.status === 'issued').length === 2 ? invoices : undefined;
    }, 'the job issued the invoices due by 2026-02-28');
    expect(issued.map((invoice) => invoice.status)).toEqual(['issued', 'issued', 'planned', 'planned']);
  });
});
