import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, LEASING_ACTOR, startBilling, type BillingWorld, type TestContract } from './fixtures.ts';

const ADA = 'user-ada-accountant';

describe.each(testSetups())('the audit trail of billing on $backend with the $broker transport', (setup) => {
  let world: BillingWorld;
  let ada: string;
  let auditor: string;
  let contract: TestContract;

  beforeAll(async () => {
    // audit runs beside billing and records what billing's outbox publishes, as in the running system.
    world = await startBilling(setup, { audit: true });
    ada = await world.token(['billing:*:*'], ADA);
    auditor = await world.token(['audit:records:read']);
    contract = aContract();
    await world.activate(contract);
  });
  afterAll(async () => world?.close());

  const as = (method: string, url: string, payload?: unknown, headers?: Record<string, string>) =>
    world.call(method, url, ada, payload, headers);

  /**
   * audit's records of one entity (its change events only, unless `all`), oldest first, once there are at least
   * `count`. Events of one transaction share their time: compare those without relying on their order.
   */
  async function recordsOf(entityType: string, entityId: string, count = 1, all = false): Promise<any[]> {
    return world.until(async () => {
      const answer = await world
        .service('audit')
        .call('GET', `/v1/records?entityType=${entityType}&entityId=${entityId}&limit=200`, auditor);
      const items = (answer.body.items as any[])
        .filter((record) => all || /\.(created|updated)\.v1$/.test(record.eventType))
        .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
      return items.length >= count ? items : undefined;
    }, `${count} audit record(s) of ${entityType} ${entityId}`);
  }

  it('should record who changed each invoice, payment and allocation: leasing’s user for planning, the caller for the rest', async () => {
    const [advance] = await world.invoices(contract.snapshot.id);
    const planned = await recordsOf('invoice', advance.id);
    expect(planned[0]).toMatchObject({
      service: 'billing',
      eventType: 'lessor.billing.invoice.created.v1',
      action: 'created',
      actor: LEASING_ACTOR,
      before: null,
      after: { status: 'planned', number: null, amounts: { fees: '1000.00', total: '1000.00' } },
    });

    world.setToday('2026-02-28');
    expect((await as('POST', '/v1/billing-runs', { upTo: '2026-02-28' })).status).toBe(200);
    const payment = await as('POST', '/v1/payments', {
      contractId: contract.snapshot.id,
      amount: '400.00',
      valueDate: '2026-02-27',
      reference: contract.snapshot.paymentReference,
      payerName: 'Anna Muster',
      payerAccount: 'DE89370400440532013000',
    });
    expect(payment.status).toBe(201);

    const invoiceTrail = await recordsOf('invoice', advance.id, 3);
    expect(invoiceTrail.map((record) => [record.action, record.actor, record.after.status])).toEqual([
      ['created', LEASING_ACTOR, 'planned'],
      ['updated', ADA, 'issued'],
      ['updated', ADA, 'partially-paid'],
    ]);
    expect(invoiceTrail[1].changed).toEqual(expect.arrayContaining(['number', 'status', 'openAmount']));
    expect(invoiceTrail[2].before.openAmount).toBe('1000.00');
    expect(invoiceTrail[2].after.openAmount).toBe('600.00');
    // The business fact is kept beside the change.
    const issued = await recordsOf('invoice', advance.id, 4, true);
    expect(issued.map((record) => record.eventType)).toContain('lessor.billing.invoice.issued.v1');

    // Created, then spent by its allocation, in one transaction.
    const paymentTrail = await recordsOf('payment', payment.body.id, 2);
    expect(
      paymentTrail
        .map((record) => [
          record.action,
          record.actor,
          record.before?.unallocated ?? null,
          record.after.unallocated,
        ])
        .sort(),
    ).toEqual([
      ['created', ADA, null, '400.00'],
      ['updated', ADA, '400.00', '0.00'],
    ]);
    const [allocation] = payment.body.allocations;
    expect((await recordsOf('allocation', allocation.id))[0]).toMatchObject({
      action: 'created',
      actor: ADA,
      after: {
        paymentId: payment.body.id,
        invoiceId: advance.id,
        amounts: { fees: '400.00', total: '400.00' },
      },
    });
    // The payer's name and account are personal data: they stay in billing.
    const published = JSON.stringify(await world.outbox());
    expect(published).not.toContain('DE89370400440532013000');
    expect(published).not.toContain('Anna Muster');
  });

  it('should record changes of the allocation rules and dunning levels with before and after, and nothing for a refused one', async () => {
    const rules = await as('GET', '/v1/allocation-rules');
    const changed = await as(
      'PUT',
      '/v1/allocation-rules',
      { invoiceOrder: 'newest-first', componentOrder: ['vat', 'fees', 'principal', 'interest', 'penalty'] },
      { 'if-match': rules.headers.etag as string },
    );
    expect(changed.status).toBe(200);
    const before = (await world.outbox()).length;
    const stale = await as(
      'PUT',
      '/v1/allocation-rules',
      { invoiceOrder: 'oldest-first', componentOrder: ['penalty', 'interest', 'principal', 'fees', 'vat'] },
      { 'if-match': rules.headers.etag as string },
    );
    expect(stale.status).toBe(412);
    expect((await world.outbox()).length).toBe(before);

    const [record] = await recordsOf('allocation-rule-set', '0195f3c0-0000-7000-8000-00000000a101');
    expect(record).toMatchObject({
      action: 'updated',
      actor: ADA,
      before: { invoiceOrder: 'oldest-first', version: 1 },
      after: {
        invoiceOrder: 'newest-first',
        componentOrder: ['vat', 'fees', 'principal', 'interest', 'penalty'],
        version: 2,
      },
    });
    expect(record.changed).toEqual(['invoiceOrder', 'componentOrder', 'version']);

    const levels = await as('GET', '/v1/dunning-levels');
    const dunning = await as(
      'PUT',
      '/v1/dunning-levels',
      { levels: [{ level: 1, daysOverdue: 3 }] },
      { 'if-match': levels.headers.etag as string },
    );
    expect(dunning.status).toBe(200);
    const [levelsRecord] = await recordsOf('dunning-level-set', '0195f3c0-0000-7000-8000-00000000a102');
    expect(levelsRecord).toMatchObject({
      actor: ADA,
      before: { levels: [{ level: 1, daysOverdue: 7 }, { level: 2 }, { level: 3 }] },
      after: { levels: [{ level: 1, daysOverdue: 3 }], version: 2 },
    });
  });

  it('should record a penalty run’s penalties, dunning notices and invoice change with the caller as actor', async () => {
    const first = (await world.invoices(contract.snapshot.id))[1];
    world.setToday('2026-03-05');
    const run = await as('POST', '/v1/penalty-runs', { upTo: '2026-03-04' });
    expect(run.status).toBe(200);
    const penalties = run.body.penalties.filter((penalty: any) => penalty.invoiceId === first.id);
    expect(penalties).toHaveLength(4);
    expect((await recordsOf('penalty', penalties[0].id))[0]).toMatchObject({
      action: 'created',
      actor: ADA,
      after: { invoiceId: first.id, chargeDate: '2026-03-01', amount: '1.00', currency: 'EUR' },
    });
    const trail = await recordsOf('invoice', first.id, 3);
    // One change for the run's four days on this invoice, not one per day.
    const charged = trail.filter(
      (record) => record.action === 'updated' && record.changed.includes('penalties') && record.actor === ADA,
    );
    expect(charged.map((record) => [record.before.penalties, record.after.penalties])).toEqual([
      ['0.00', '4.00'],
    ]);
    // Level 1 (changed to 3 days above) was reached on 2026-03-03.
    const notices = (await world.outbox('lessor.billing.dunning-notice.created.v1')).filter(
      (event) => (event.data as any).after.invoiceId === first.id,
    );
    expect(
      notices.map((event) => [
        event.actor,
        (event.data as any).after.level,
        (event.data as any).after.reachedOn,
      ]),
    ).toEqual([[ADA, 1, '2026-03-03']]);
    expect((await recordsOf('dunning-notice', notices[0]!.subject))[0].actor).toBe(ADA);
  });

  it('should record a credit note and a bank statement import with the caller as actor', async () => {
    const first = (await world.invoices(contract.snapshot.id))[1];
    const note = await as('POST', `/v1/invoices/${first.id}/credit-notes`, {
      reason: 'VAT rate was wrong',
      lines: [{ position: 3, amount: '10.00' }],
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(
      (await recordsOf('credit-note', note.body.id, 2, true))
        .map((record) => [record.eventType, record.actor])
        .sort(),
    ).toEqual([
      ['lessor.billing.credit-note.created.v1', ADA],
      ['lessor.billing.credit-note.issued.v1', ADA],
    ]);

    const csv = [
      'valueDate,amount,currency,reference,bankReference',
      `2026-03-02,5.00,EUR,${contract.snapshot.paymentReference},AUDIT-${contract.snapshot.id}-1`,
      `2026-03-02,7.00,EUR,nobody,AUDIT-${contract.snapshot.id}-2`,
    ].join('\n');
    const upload = await as('POST', '/v1/imports?fileName=audit.csv', csv, { 'content-type': 'text/csv' });
    expect(upload.status).toBe(202);
    await world.importsIdle();
    const trail = await recordsOf('bank-statement-import', upload.body.id, 2);
    expect(
      trail.map((record) => [record.action, record.actor, record.after.status, record.after.linesDone]),
    ).toEqual([
      ['created', ADA, 'running', 0],
      ['updated', ADA, 'completed', 2],
    ]);
    const imported = (await as('GET', `/v1/payments?importId=${upload.body.id}`)).body.items;
    expect(imported).toHaveLength(2);
    for (const payment of imported)
      expect((await recordsOf('payment', payment.id))[0]).toMatchObject({ action: 'created', actor: ADA });
  });
});
