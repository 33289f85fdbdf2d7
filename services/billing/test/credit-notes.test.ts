import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, startBilling, type BillingWorld, type TestContract } from './fixtures.ts';

describe.each(testSetups())('billing credit notes on $backend with the $broker transport', (setup) => {
  let world: BillingWorld;
  let financeReader: string;

  beforeAll(async () => {
    // finance runs beside billing, posting what both publish: the books must follow every credit note.
    world = await startBilling(setup, { finance: true });
    financeReader = await world.token(['finance:*:*']);
  });
  afterAll(async () => world?.close());

  const run = (upTo: string) => world.call('POST', '/v1/billing-runs', world.admin, { upTo });
  const credit = (invoiceId: string, body: unknown, headers?: Record<string, string>) =>
    world.call('POST', `/v1/invoices/${invoiceId}/credit-notes`, world.admin, body, headers);
  const pay = (contract: TestContract, amount: string) =>
    world.call('POST', '/v1/payments', world.admin, {
      contractId: contract.snapshot.id,
      amount,
      valueDate: '2026-02-20',
      reference: contract.snapshot.paymentReference,
    });
  const invoice = async (id: string) => (await world.call('GET', `/v1/invoices/${id}`, world.admin)).body;
  const balance = async (contract: TestContract) =>
    (await world.call('GET', `/v1/contracts/${contract.snapshot.id}/balance`, world.admin)).body;
  const eventsOf = async (type: string) =>
    (await world.outbox(`lessor.billing.${type}.v1`)).map((event) => event.data as any);
  const finance = async (url: string) =>
    (await world.service('finance').call('GET', url, financeReader)).body;

  /**
   * finance's books once it has posted everything billing published: balanced, the contract's trade receivable
   * (1100) equal to billing's open amount for it, and the customer credit (2200) to billing's credit.
   */
  async function booksAgreeWith(contract: TestContract) {
    const owed = await balance(contract);
    return world.until(async () => {
      const books = await finance('/v1/trial-balance?at=2099-12-31&currency=EUR');
      if (books.totalDebit?.amount !== books.totalCredit?.amount) return undefined;
      const receivables = await finance('/v1/receivables?by=contract&at=2099-12-31');
      const mine = receivables.items.find((item: any) => item.contractId === contract.snapshot.id);
      const ledger = new Decimal(mine?.balance?.amount ?? mine?.balance ?? 0);
      if (!ledger.eq(owed.openAmount.amount)) return undefined;
      const review = await finance('/v1/review-items');
      if ((review.items ?? []).length > 0) throw new Error(`finance review: ${JSON.stringify(review.items)}`);
      // Customer credit (2200) is every matched payment's money no invoice has taken, credit notes' included.
      const payments = (await world.call('GET', '/v1/payments?status=matched&limit=200', world.admin)).body;
      const credit = payments.items.reduce(
        (total: Decimal, payment: any) => total.plus(payment.unallocated.amount),
        new Decimal(0),
      );
      const line = books.lines.find((candidate: any) => candidate.accountCode === '2200');
      const customerCredit = line ? new Decimal(line.credit.amount).minus(line.debit.amount) : new Decimal(0);
      if (!customerCredit.eq(credit)) return undefined;
      return { books, receivable: ledger.toFixed(2) };
    }, `finance agrees with billing on ${contract.snapshot.number}`);
  }

  it('should credit an unpaid invoice in full: settled by the credit, numbered in its own series, published with the amounts', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    expect((await run('2026-02-28')).body.count).toBe(2);
    const [advance, first] = await world.invoices(contract.snapshot.id);

    const answer = await credit(first.id, { reason: 'The February rate was wrong' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.headers.location).toBe(`/v1/credit-notes/${answer.body.id}`);
    expect(answer.body).toMatchObject({
      number: 'CN-LESSOR-2026-000001',
      invoiceId: first.id,
      issueDate: '2026-02-28',
      reason: 'The February rate was wrong',
      principal: { amount: '1000.00', currency: 'EUR' },
      interest: { amount: '50.00' },
      fees: { amount: '0.00' },
      vat: { amount: '210.00' },
      total: { amount: '1260.00' },
      appliedToInvoice: { amount: '1260.00' },
      toCredit: { amount: '0.00' },
      createdBy: 'user-billing-admin',
    });
    expect(
      answer.body.lines.map((line: any) => [line.position, line.invoiceLine, line.kind, line.amount.amount]),
    ).toEqual([
      [1, 1, 'principal', '1000.00'],
      [2, 2, 'interest', '50.00'],
      [3, 3, 'vat', '210.00'],
    ]);

    // The invoice itself is unchanged (an issued invoice is never edited): it is settled by the credit.
    const corrected = await invoice(first.id);
    expect(corrected).toMatchObject({
      number: first.number,
      total: { amount: '1260.00' },
      status: 'paid',
      paid: { amount: '1260.00' },
      credited: { amount: '1260.00' },
      openAmount: { amount: '0.00' },
    });
    expect(corrected.creditNotes).toEqual([
      {
        id: answer.body.id,
        number: 'CN-LESSOR-2026-000001',
        issueDate: '2026-02-28',
        total: { amount: '1260.00', currency: 'EUR' },
      },
    ]);
    expect(corrected.allocations.map((a: any) => [a.paymentId, a.total.amount])).toEqual([
      [answer.body.paymentId, '1260.00'],
    ]);

    // For finance: the credit note with its amounts, then its credit allocated; no money was received.
    const [issued] = (await eventsOf('credit-note.issued')).filter((data) => data.invoiceId === first.id);
    expect(issued).toEqual({
      creditNoteId: answer.body.id,
      number: 'CN-LESSOR-2026-000001',
      invoiceId: first.id,
      invoiceNumber: first.number,
      invoiceKind: 'installment',
      legalEntity: 'LESSOR',
      contractId: contract.snapshot.id,
      partyId: contract.snapshot.partyId,
      issueDate: '2026-02-28',
      currency: 'EUR',
      amounts: { principal: '1000.00', interest: '50.00', fees: '0.00', vat: '210.00', total: '1260.00' },
      appliedToInvoice: '1260.00',
      toCredit: '0.00',
      paymentId: answer.body.paymentId,
      reason: 'The February rate was wrong',
    });
    expect(
      (await eventsOf('payment.allocated'))
        .filter((data) => data.paymentId === answer.body.paymentId)
        .map((data) => data.amounts),
    ).toEqual([
      {
        penalty: '0.00',
        interest: '50.00',
        principal: '1000.00',
        fees: '0.00',
        vat: '210.00',
        total: '1260.00',
      },
    ]);
    expect(
      (await eventsOf('payment.received')).some((data) => data.paymentId === answer.body.paymentId),
    ).toBe(false);
    const creditMoney = (await world.call('GET', `/v1/payments/${answer.body.paymentId}`, world.admin)).body;
    expect(creditMoney).toMatchObject({
      source: 'credit-note',
      creditNoteId: answer.body.id,
      reference: 'CN-LESSOR-2026-000001',
      amount: { amount: '1260.00' },
      unallocated: { amount: '0.00' },
    });

    expect(await balance(contract)).toMatchObject({
      invoiced: { amount: '2260.00' },
      credited: { amount: '1260.00' },
      openAmount: { amount: advance.total.amount },
      credit: { amount: '0.00' },
    });
    expect((await booksAgreeWith(contract)).receivable).toBe('1000.00');

    // Nothing is left to credit.
    const again = await credit(first.id, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'INVOICE_NOT_CREDITABLE' });
    expect(again.body.detail).toMatch(/credited in full already/);
  });

  it('should credit a paid invoice by line: the credit becomes the client’s, and the next invoice takes it', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    await run('2026-02-28');
    const [, first] = await world.invoices(contract.snapshot.id);
    // The advance (1000.00) and installment 1 (1260.00), paid in full.
    expect((await pay(contract, '2260.00')).status).toBe(201);
    expect(await invoice(first.id)).toMatchObject({ status: 'paid', openAmount: { amount: '0.00' } });

    // 600.00 of the principal line and 30.00 of the VAT line: the client paid them, so they owe that much less.
    const answer = await credit(first.id, {
      reason: 'Goodwill after the late delivery',
      lines: [
        { position: 1, amount: '600.00' },
        { position: 3, amount: '30.00' },
      ],
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      principal: { amount: '600.00' },
      interest: { amount: '0.00' },
      vat: { amount: '30.00' },
      total: { amount: '630.00' },
      appliedToInvoice: { amount: '0.00' },
      toCredit: { amount: '630.00' },
    });
    expect(answer.body.lines.map((line: any) => [line.invoiceLine, line.kind, line.amount.amount])).toEqual([
      [1, 'principal', '600.00'],
      [3, 'vat', '30.00'],
    ]);
    expect(await invoice(first.id)).toMatchObject({
      status: 'paid',
      credited: { amount: '630.00' },
      openAmount: { amount: '0.00' },
    });
    expect(await balance(contract)).toMatchObject({
      credit: { amount: '630.00' },
      credited: { amount: '630.00' },
      openAmount: { amount: '0.00' },
    });
    await booksAgreeWith(contract);

    // What is left of a line is what can still be credited.
    const tooMuch = await credit(first.id, { reason: 'more', lines: [{ position: 1, amount: '400.01' }] });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({
      code: 'CREDIT_NOTE_INVALID',
      errors: [{ field: '/body/lines/0/amount', message: 'only 400.00 of line 1 is left to credit' }],
    });

    // The next invoice issued takes the credit first.
    world.setToday('2026-03-31');
    await run('2026-03-31');
    const second = (await world.invoices(contract.snapshot.id))[2];
    const detail = await invoice(second.id);
    expect(detail.allocations.map((a: any) => [a.paymentId, a.total.amount])).toEqual([
      [answer.body.paymentId, '630.00'],
    ]);
    expect(detail).toMatchObject({ status: 'partially-paid', openAmount: { amount: '610.00' } });
    expect((await balance(contract)).credit.amount).toBe('0.00');
    await booksAgreeWith(contract);
  });

  it('should settle the credited parts still open and let the rest, paid already, pay what the invoice still asks', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    await run('2026-02-28');
    const [, first] = await world.invoices(contract.snapshot.id);
    // The advance and 500.00 of installment 1: its interest 50.00 and 450.00 of its principal (the rules' order).
    expect((await pay(contract, '1500.00')).status).toBe(201);

    const answer = await credit(first.id, { reason: 'Principal billed twice', lines: [{ position: 1 }] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    // 550.00 of the principal was open; the 450.00 the client paid of it is their credit, which pays the VAT.
    expect(answer.body).toMatchObject({
      total: { amount: '1000.00' },
      appliedToInvoice: { amount: '550.00' },
      toCredit: { amount: '450.00' },
    });
    // It now asks 260.00 (1260.00 − 1000.00 credited) and was paid 500.00: paid, with 240.00 over as credit.
    expect(await invoice(first.id)).toMatchObject({
      status: 'paid',
      credited: { amount: '1000.00' },
      openAmount: { amount: '0.00' },
    });
    expect((await balance(contract)).credit.amount).toBe('240.00');
    await booksAgreeWith(contract);
  });

  it('should number credit notes without gaps when several are issued at once, apart from invoice numbers', async () => {
    const contracts = [aContract(), aContract(), aContract(), aContract()];
    for (const contract of contracts) await world.activate(contract);
    world.setToday('2026-03-31');
    await run('2026-03-31');
    const before = (await world.call('GET', '/v1/credit-notes?limit=200', world.admin)).body.items.length;
    const targets = (
      await Promise.all(contracts.map((contract) => world.invoices(contract.snapshot.id)))
    ).flatMap((invoices) => invoices.filter((invoice) => invoice.status === 'issued').slice(0, 2));
    const answers = await Promise.all(
      targets.map((target) =>
        credit(target.id, { reason: 'batch', lines: [{ position: 1, amount: '1.00' }] }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(targets.map(() => 201));
    const numbers = answers.map((answer) => answer.body.number as string).sort();
    expect(numbers).toEqual(
      targets.map((_, index) => `CN-LESSOR-2026-${String(before + index + 1).padStart(6, '0')}`),
    );
    // The invoice series went on by itself: no invoice number was taken by a credit note.
    const invoiceNumbers = (
      await world.call('GET', '/v1/invoices?limit=200&status=paid', world.admin)
    ).body.items
      .concat((await world.call('GET', '/v1/invoices?limit=200&status=issued', world.admin)).body.items)
      .concat(
        (await world.call('GET', '/v1/invoices?limit=200&status=partially-paid', world.admin)).body.items,
      )
      .map((invoice: any) => Number(invoice.number.slice(-6)))
      .sort((a: number, b: number) => a - b);
    expect(invoiceNumbers).toEqual(invoiceNumbers.map((_: number, index: number) => index + 1));
  });

  it('should refuse bad credit notes with problem+json naming the field, and keep nothing of them', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    await run('2026-02-28');
    const [advance, first, planned] = await world.invoices(contract.snapshot.id);
    const outboxBefore = (await world.outbox()).length;
    const notesBefore = (await world.call('GET', '/v1/credit-notes?limit=200', world.admin)).body.items
      .length;

    const onPlanned = await credit(planned.id, { reason: 'early' });
    expect([onPlanned.status, onPlanned.body.code]).toEqual([409, 'INVOICE_NOT_CREDITABLE']);
    expect(onPlanned.headers['content-type']).toMatch(/application\/problem\+json/);

    const unknown = await credit('0193a1b2-0000-7000-8000-000000000000', { reason: 'x' });
    expect(unknown.status).toBe(404);

    const misfit = await credit(first.id, {
      reason: 'misfit',
      lines: [{ position: 7 }, { position: 2, amount: '50.01' }, { position: 2 }],
    });
    expect(misfit.status).toBe(422);
    expect(misfit.body.errors.map((error: any) => error.field)).toEqual([
      '/body/lines/0/position',
      '/body/lines/1/amount',
      '/body/lines/2/position',
    ]);

    const decimals = await credit(first.id, { reason: 'cents', lines: [{ position: 1, amount: '1.005' }] });
    expect(decimals.status).toBe(400);
    expect(decimals.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: '/body/lines/0/amount', message: 'has more than 2 decimals for EUR' }],
    });

    const shapes = await credit(first.id, { lines: [{ position: 0, amount: '-1' }], extra: true });
    expect(shapes.status).toBe(400);
    const fields = shapes.body.errors.map((error: any) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining(['/body/reason', '/body/lines/0/position', '/body/lines/0/amount']),
    );

    const reader = await world.token(['billing:invoices:read']);
    const forbidden = await world.call('POST', `/v1/invoices/${advance.id}/credit-notes`, reader, {
      reason: 'not mine to give',
    });
    expect(forbidden.status).toBe(403);

    // A refused credit note leaves nothing behind: no number taken, no row, no event.
    expect((await world.call('GET', '/v1/credit-notes?limit=200', world.admin)).body.items.length).toBe(
      notesBefore,
    );
    expect((await world.outbox()).length).toBe(outboxBefore);
    expect(await invoice(first.id)).toMatchObject({ credited: { amount: '0.00' }, status: 'issued' });
  });

  it('should issue one credit note when the same Idempotency-Key is sent twice', async () => {
    const contract = aContract();
    await world.activate(contract);
    world.setToday('2026-02-28');
    await run('2026-02-28');
    const [advance] = await world.invoices(contract.snapshot.id);
    const headers = { 'idempotency-key': `credit-${contract.snapshot.id}` };
    const body = { reason: 'Advance too high', lines: [{ position: 1, amount: '100.00' }] };
    const first = await credit(advance.id, body, headers);
    const second = await credit(advance.id, body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const listed = (await world.call('GET', `/v1/credit-notes?invoiceId=${advance.id}`, world.admin)).body;
    expect(listed.items.map((note: any) => note.id)).toEqual([first.body.id]);
    expect(await invoice(advance.id)).toMatchObject({
      credited: { amount: '100.00' },
      openAmount: { amount: '900.00' },
    });
    await booksAgreeWith(contract);
  });
});
