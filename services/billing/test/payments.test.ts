import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testSetups } from '@lessor/service-kit/testing';
import { aContract, startBilling, type BillingWorld, type TestContract } from './fixtures.ts';

describe.each(testSetups())(
  'billing payments and allocation on $backend with the $broker transport',
  (setup) => {
    let world: BillingWorld;

    beforeAll(async () => {
      world = await startBilling(setup);
    });
    afterAll(async () => world?.close());

    const run = (upTo: string) => world.call('POST', '/v1/billing-runs', world.admin, { upTo });
    const penalties = (upTo: string) => world.call('POST', '/v1/penalty-runs', world.admin, { upTo });
    const pay = (body: Record<string, unknown>, headers?: Record<string, string>) =>
      world.call('POST', '/v1/payments', world.admin, body, headers);
    const eventsOf = async (type: string, contract: TestContract) =>
      (await world.outbox(`lessor.billing.${type}.v1`))
        .map((event) => event.data as any)
        .filter((data) => data.contractId === contract.snapshot.id);
    const balance = async (contract: TestContract) =>
      (await world.call('GET', `/v1/contracts/${contract.snapshot.id}/balance`, world.admin)).body;

    it('should settle penalty, then interest, then principal of the oldest invoice first, and keep an overpayment as credit for the next invoice', async () => {
      const contract = aContract();
      await world.activate(contract);
      world.setToday('2026-02-28');
      await run('2026-02-28');

      // The advance, paid on time: a plain decimal amount is in the contract's currency.
      const advance = await pay({
        contractId: contract.snapshot.id,
        amount: '1000.00',
        valueDate: '2026-02-01',
        reference: contract.snapshot.paymentReference,
      });
      expect(advance.status, JSON.stringify(advance.body)).toBe(201);
      expect(advance.body).toMatchObject({
        status: 'matched',
        amount: { amount: '1000.00', currency: 'EUR' },
        allocated: { amount: '1000.00', currency: 'EUR' },
        unallocated: { amount: '0.00', currency: 'EUR' },
      });
      // Paid before the invoice was issued: the allocation is dated the issue date, when both were known.
      expect(advance.body.allocations.map((a: any) => [a.fees.amount, a.total.amount, a.valueDate])).toEqual([
        ['1000.00', '1000.00', '2026-02-28'],
      ]);

      // Installment 1 (due 2026-02-28) is five days overdue: 0.1 % a day on 1000.00 principal.
      world.setToday('2026-03-05');
      const charged = await penalties('2026-03-05');
      expect(charged.status).toBe(200);
      const first = (await world.invoices(contract.snapshot.id))[1];
      expect(
        charged.body.penalties
          .filter((penalty: any) => penalty.invoiceId === first.id)
          .map((penalty: any) => [penalty.chargeDate, penalty.daysOverdue, penalty.amount.amount]),
      ).toEqual([
        ['2026-03-01', 1, '1.00'],
        ['2026-03-02', 2, '1.00'],
        ['2026-03-03', 3, '1.00'],
        ['2026-03-04', 4, '1.00'],
        ['2026-03-05', 5, '1.00'],
      ]);

      const part = await pay({
        contractId: contract.snapshot.id,
        amount: { amount: '500.00', currency: 'EUR' },
        valueDate: '2026-03-05',
        reference: 'Rate 1',
      });
      expect(part.status).toBe(201);
      expect(part.body.allocations).toHaveLength(1);
      expect(part.body.allocations[0]).toMatchObject({
        penalty: { amount: '5.00' },
        interest: { amount: '50.00' },
        principal: { amount: '445.00' },
        fees: { amount: '0.00' },
        vat: { amount: '0.00' },
        total: { amount: '500.00' },
        valueDate: '2026-03-05',
      });

      const over = await pay({
        contractId: contract.snapshot.id,
        amount: { amount: '2000.00', currency: 'EUR' },
        valueDate: '2026-03-05',
        reference: contract.snapshot.paymentReference,
      });
      expect(
        over.body.allocations.map((a: any) => [a.principal.amount, a.vat.amount, a.total.amount]),
      ).toEqual([['555.00', '210.00', '765.00']]);
      expect(over.body.unallocated.amount).toBe('1235.00');
      expect(await balance(contract)).toMatchObject({
        openAmount: { amount: '0.00', currency: 'EUR' },
        credit: { amount: '1235.00', currency: 'EUR' },
        invoiced: { amount: '2260.00' },
        penalties: { amount: '5.00' },
        paid: { amount: '2265.00' },
      });

      // The next invoice, when it is issued, takes the credit first.
      world.setToday('2026-03-31');
      await run('2026-03-31');
      const invoices = await world.invoices(contract.snapshot.id);
      expect(invoices.map((invoice) => [invoice.status, invoice.openAmount.amount])).toEqual([
        ['paid', '0.00'],
        ['paid', '0.00'],
        ['partially-paid', '5.00'],
        ['planned', '0.00'],
      ]);
      expect(await balance(contract)).toMatchObject({
        openAmount: { amount: '5.00' },
        credit: { amount: '0.00' },
      });

      const allocated = await eventsOf('payment.allocated', contract);
      expect(allocated.map((data) => [data.paymentId, data.valueDate, data.amounts])).toEqual([
        [
          advance.body.id,
          '2026-02-28',
          {
            penalty: '0.00',
            interest: '0.00',
            principal: '0.00',
            fees: '1000.00',
            vat: '0.00',
            total: '1000.00',
          },
        ],
        [
          part.body.id,
          '2026-03-05',
          {
            penalty: '5.00',
            interest: '50.00',
            principal: '445.00',
            fees: '0.00',
            vat: '0.00',
            total: '500.00',
          },
        ],
        [
          over.body.id,
          '2026-03-05',
          {
            penalty: '0.00',
            interest: '0.00',
            principal: '555.00',
            fees: '0.00',
            vat: '210.00',
            total: '765.00',
          },
        ],
        [
          over.body.id,
          '2026-03-31',
          {
            penalty: '0.00',
            interest: '33.33',
            principal: '1000.00',
            fees: '0.00',
            vat: '201.67',
            total: '1235.00',
          },
        ],
      ]);
      expect(allocated.at(-1)!.invoiceId).toBe(invoices[2].id);
      expect(
        allocated.every(
          (data) => data.partyId === contract.snapshot.partyId && data.legalEntity === 'LESSOR',
        ),
      ).toBe(true);
      const received = await eventsOf('payment.received', contract);
      expect(received.map((data) => [data.amount, data.source, data.valueDate])).toEqual([
        ['1000.00', 'manual', '2026-02-01'],
        ['500.00', 'manual', '2026-03-05'],
        ['2000.00', 'manual', '2026-03-05'],
      ]);
    });

    it('should match a payment by the reference in its text, and keep one with a mistyped or no reference unmatched saying why', async () => {
      const contract = aContract();
      await world.activate(contract);
      world.setToday('2026-02-28');
      await run('2026-02-28');
      const matched = await pay({
        amount: { amount: '100.00', currency: 'EUR' },
        valueDate: '2026-02-28',
        reference: `Rate 1 ${contract.snapshot.paymentReference.toLowerCase()} thanks`,
      });
      expect(matched.body).toMatchObject({
        status: 'matched',
        contractId: contract.snapshot.id,
        matchNote: null,
      });

      const mistyped = contract.snapshot.paymentReference.replace(/\d{2}$/, (digits) =>
        String((Number(digits) + 1) % 100).padStart(2, '0'),
      );
      const typo = await pay({
        contractId: null,
        amount: { amount: '50.00', currency: 'EUR' },
        valueDate: '2026-02-28',
        reference: mistyped,
      });
      expect(typo.body).toMatchObject({ status: 'unmatched', contractId: null, allocations: [] });
      expect(typo.body.matchNote).toMatch(/check digits are wrong/);
      const none = await pay({
        amount: { amount: '25.00', currency: 'EUR' },
        valueDate: '2026-02-28',
        reference: 'thank you',
      });
      expect(none.body.matchNote).toBe('no payment reference found');

      const received = (await world.outbox('lessor.billing.payment.received.v1')).find(
        (event) => (event.data as any).paymentId === typo.body.id,
      );
      expect(received!.data).toMatchObject({
        contractId: null,
        partyId: null,
        amount: '50.00',
        legalEntity: 'LESSOR',
      });

      const list = await world.call('GET', '/v1/payments?status=unmatched&limit=200', world.admin);
      expect(list.body.items.map((item: any) => item.id)).toEqual(
        expect.arrayContaining([typo.body.id, none.body.id]),
      );

      // Matched by hand: payment.matched, then allocation like any matched payment.
      world.setToday('2026-03-02');
      const byHand = await world.call('POST', `/v1/payments/${typo.body.id}/match`, world.admin, {
        contractId: contract.snapshot.id,
      });
      expect(byHand.status, JSON.stringify(byHand.body)).toBe(200);
      expect(byHand.body).toMatchObject({
        status: 'matched',
        matchDate: '2026-03-02',
        unallocated: { amount: '0.00' },
      });
      expect(byHand.body.allocations[0]).toMatchObject({
        total: { amount: '50.00' },
        valueDate: '2026-03-02',
      });
      const matchedEvents = await eventsOf('payment.matched', contract);
      expect(matchedEvents).toEqual([
        {
          paymentId: typo.body.id,
          legalEntity: 'LESSOR',
          contractId: contract.snapshot.id,
          partyId: contract.snapshot.partyId,
          matchDate: '2026-03-02',
          currency: 'EUR',
          amount: '50.00',
        },
      ]);
      const again = await world.call('POST', `/v1/payments/${typo.body.id}/match`, world.admin, {
        contractId: contract.snapshot.id,
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('PAYMENT_ALREADY_MATCHED');
    });

    it('should register a payment once when the same Idempotency-Key is sent twice, and refuse a bank reference seen before', async () => {
      const contract = aContract();
      await world.activate(contract);
      const body = {
        contractId: contract.snapshot.id,
        amount: '10.00',
        valueDate: '2026-01-31',
        reference: 'x',
        bankReference: `BANK-${contract.snapshot.number}`,
      };
      const first = await pay(body, { 'idempotency-key': `pay-${contract.snapshot.id}` });
      const second = await pay(body, { 'idempotency-key': `pay-${contract.snapshot.id}` });
      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body.id).toBe(first.body.id);
      expect(await eventsOf('payment.received', contract)).toHaveLength(1);
      const duplicate = await pay(body);
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toMatchObject({ code: 'PAYMENT_DUPLICATE', paymentId: first.body.id });
    });

    it('should find a payment by its bank reference, exactly, when the list is filtered by it', async () => {
      const contract = aContract();
      await world.activate(contract);
      const bankReference = `STMT-${contract.snapshot.number}/1`;
      const paid = await pay({
        contractId: contract.snapshot.id,
        amount: '10.00',
        valueDate: '2026-01-31',
        reference: 'x',
        bankReference,
      });
      await pay({
        contractId: contract.snapshot.id,
        amount: '11.00',
        valueDate: '2026-01-31',
        reference: 'x',
        bankReference: `${bankReference}0`,
      });
      const list = (query: string) =>
        world.call('GET', `/v1/payments?bankReference=${encodeURIComponent(query)}`, world.admin);
      const found = await list(bankReference);
      expect(found.status).toBe(200);
      expect(found.body.items.map((payment: any) => [payment.id, payment.bankReference])).toEqual([
        [paid.body.id, bankReference],
      ]);
      // Exact: neither a prefix, nor another case, nor a pattern finds it.
      for (const other of [
        bankReference.slice(0, -2),
        bankReference.toLowerCase(),
        `${bankReference.slice(0, -1)}%`,
      ])
        expect((await list(other)).body.items, other).toEqual([]);
      expect((await list('')).status).toBe(400);
    });

    it('should answer problem+json naming the field when a payment is not valid', async () => {
      const contract = aContract({ currency: 'EUR' });
      await world.activate(contract);
      world.setToday('2026-02-28');
      const base = {
        contractId: contract.snapshot.id,
        amount: '10.00',
        valueDate: '2026-02-01',
        reference: '',
      };
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ ...base, amount: '-5' }, 400, 'VALIDATION_FAILED', '/body/amount'],
        [{ ...base, amount: '10.001' }, 400, 'VALIDATION_FAILED', '/body/amount'],
        [
          { ...base, amount: { amount: '0', currency: 'EUR' } },
          400,
          'VALIDATION_FAILED',
          '/body/amount/amount',
        ],
        [
          { ...base, amount: { amount: '1', currency: 'ABC' } },
          400,
          'VALIDATION_FAILED',
          '/body/amount/currency',
        ],
        [{ ...base, valueDate: '2026-02-30' }, 400, 'VALIDATION_FAILED', '/body/valueDate'],
        [{ ...base, valueDate: undefined }, 400, 'VALIDATION_FAILED', '/body/valueDate'],
        [
          { ...base, contractId: '0193a1b2-0000-7000-8000-000000000000' },
          422,
          'BILLING_CONTRACT_UNKNOWN',
          '/body/contractId',
        ],
        [{ ...base, contractId: undefined, reference: 'none' }, 400, 'VALIDATION_FAILED', '/body/amount'],
        [{ ...base, surplus: 1 }, 400, 'VALIDATION_FAILED', '/body/surplus'],
      ];
      for (const [body, status, code, field] of cases) {
        const answer = await pay(body);
        expect(answer.status, JSON.stringify([body, answer.body])).toBe(status);
        expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(answer.body.code).toBe(code);
        expect(answer.body.errors.map((error: any) => error.field)).toContain(field);
      }
      const usd = await pay({ ...base, amount: { amount: '10.00', currency: 'USD' } });
      expect(usd.status).toBe(422);
      expect(usd.body.code).toBe('PAYMENT_NOT_MATCHABLE');
    });

    it('should allocate by the rules in force when they are changed, and refuse a change without If-Match', async () => {
      const read = await world.call('GET', '/v1/allocation-rules', world.admin);
      expect(read.body).toMatchObject({
        invoiceOrder: 'oldest-first',
        componentOrder: ['penalty', 'interest', 'principal', 'fees', 'vat'],
      });
      const rules = {
        invoiceOrder: 'oldest-first',
        componentOrder: ['vat', 'interest', 'principal', 'fees', 'penalty'],
      };
      expect((await world.call('PUT', '/v1/allocation-rules', world.admin, rules)).status).toBe(428);
      const twice = await world.call('PUT', '/v1/allocation-rules', world.admin, {
        ...rules,
        componentOrder: ['vat', 'vat', 'principal', 'fees', 'penalty'],
      });
      expect(twice.status).toBe(400);
      const changed = await world.call('PUT', '/v1/allocation-rules', world.admin, rules, {
        'if-match': read.headers.etag as string,
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body.updatedBy).toBe('user-billing-admin');
      try {
        const contract = aContract();
        await world.activate(contract);
        world.setToday('2026-02-28');
        await run('2026-02-28');
        const paid = await pay({
          contractId: contract.snapshot.id,
          amount: '1220.00',
          valueDate: '2026-02-28',
          reference: '',
        });
        // Oldest first still: the advance's fee, then installment 1's VAT before its interest and principal.
        expect(
          paid.body.allocations.map((a: any) => [
            a.fees.amount,
            a.vat.amount,
            a.interest.amount,
            a.principal.amount,
          ]),
        ).toEqual([
          ['1000.00', '0.00', '0.00', '0.00'],
          ['0.00', '210.00', '10.00', '0.00'],
        ]);
      } finally {
        const current = await world.call('GET', '/v1/allocation-rules', world.admin);
        await world.call(
          'PUT',
          '/v1/allocation-rules',
          world.admin,
          {
            invoiceOrder: 'oldest-first',
            componentOrder: ['penalty', 'interest', 'principal', 'fees', 'vat'],
          },
          { 'if-match': current.headers.etag as string },
        );
      }
    });
  },
);
