import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasingEvents } from '@lessor/event-catalog';
import { testSetups } from '@lessor/service-kit/testing';
import {
  aContract,
  contractEvent,
  LEASING_ACTOR,
  scheduleOf,
  startBilling,
  type BillingWorld,
  type Installment,
  type TestContract,
} from './fixtures.ts';

// A restructuring dated in the past: leasing's new schedule version re-prices installments billing has issued
// already. Billing credits each one billed at other amounts and plans the new line in its place; finance, running
// beside it, must end with the contract's lease receivable (1200) at what the new schedule has still to bill.
describe.each(testSetups())(
  'billing restructuring dated in the past on $backend with the $broker transport',
  (setup) => {
    let world: BillingWorld;
    let financeReader: string;

    beforeAll(async () => {
      world = await startBilling(setup, { finance: true, today: '2026-01-31' });
      financeReader = await world.token(['finance:*:*']);
    });
    afterAll(async () => world?.close());

    const TODAY = '2026-04-30';
    const run = (upTo: string) => world.call('POST', '/v1/billing-runs', world.admin, { upTo });
    const invoice = async (id: string) => (await world.call('GET', `/v1/invoices/${id}`, world.admin)).body;
    const balance = async (contract: TestContract) =>
      (await world.call('GET', `/v1/contracts/${contract.snapshot.id}/balance`, world.admin)).body;
    const creditNotesOf = async (contract: TestContract) =>
      (await world.call('GET', `/v1/credit-notes?contractId=${contract.snapshot.id}&limit=200`, world.admin))
        .body.items as any[];
    const finance = async (url: string) =>
      (await world.service('finance').call('GET', url, financeReader)).body;

    /** Four installments of 1000.00 principal, interest 40/30/20/10, VAT 20 % of the payment. */
    const aFourMonthContract = () =>
      aContract({
        assetPrice: '5000.00',
        financedAmount: '4000.00',
        termMonths: 4,
        installments: [
          { n: 1, dueDate: '2026-02-28', principal: '1000.00', interest: '40.00', vat: '208.00' },
          { n: 2, dueDate: '2026-03-31', principal: '1000.00', interest: '30.00', vat: '206.00' },
          { n: 3, dueDate: '2026-04-30', principal: '1000.00', interest: '20.00', vat: '204.00' },
          { n: 4, dueDate: '2026-05-31', principal: '1000.00', interest: '10.00', vat: '202.00' },
        ],
      });

    /** leasing's new schedule version from `effectiveFrom`: the installments before it kept, the rest given. */
    async function restructure(
      contract: TestContract,
      version: number,
      effectiveFrom: string,
      from: Installment[],
    ): Promise<{ restructured: TestContract; publishAgain: () => Promise<void> }> {
      const restructured: TestContract = {
        snapshot: { ...contract.snapshot, scheduleVersion: version },
        installments: [...contract.installments.filter((line) => line.dueDate < effectiveFrom), ...from],
      };
      const extra = { schedule: scheduleOf(restructured, version, effectiveFrom) };
      await world.handled(
        await world.publish(...contractEvent(leasingEvents.contractRestructured, restructured, extra, TODAY)),
      );
      return {
        restructured,
        // The same fact published again (leasing's relay re-sending it under a new id).
        publishAgain: async () => {
          await world.handled(
            await world.publish(
              ...contractEvent(leasingEvents.contractRestructured, restructured, extra, TODAY),
            ),
          );
        },
      };
    }

    /** The installments as billing has them, by installment and version: status, total, what was credited. */
    const installments = async (contract: TestContract) =>
      (await world.invoices(contract.snapshot.id))
        .filter((item) => item.kind === 'installment')
        .sort((a, b) => a.installment - b.installment || a.scheduleVersion - b.scheduleVersion)
        .map((item) => [
          item.installment,
          item.scheduleVersion,
          item.status,
          item.total.amount,
          item.credited.amount,
        ]);

    /** What billing has still to invoice of the lease: principal + interest of its planned installments. */
    const stillToBill = async (contract: TestContract) =>
      (await world.invoices(contract.snapshot.id))
        .filter((item) => item.status === 'planned')
        .reduce(
          (total: Decimal, item: any) => total.plus(item.principal.amount).plus(item.interest.amount),
          new Decimal(0),
        );

    /** finance's lease receivable (1200) of one contract: its lines in the journal, debit less credit. */
    async function leaseReceivable(contract: TestContract): Promise<Decimal> {
      const id = contract.snapshot.id;
      const page = await finance(`/v1/entries?contractId=${id}&accountCode=1200&limit=200`);
      return (page.items as any[])
        .flatMap((entry) => entry.lines)
        .filter((line) => line.accountCode === '1200' && line.contractId === id)
        .reduce(
          (total: Decimal, line: any) =>
            line.side === 'debit' ? total.plus(line.amount.amount) : total.minus(line.amount.amount),
          new Decimal(0),
        );
    }

    /**
     * finance once it has posted everything: nothing on review, the contract's lease receivable (1200) at what
     * billing has still to invoice, its trade receivable (1100) at billing's open amount, the customer credit
     * (2200) at billing's clients' credit. Answers 1200.
     */
    async function booksAgreeWith(contract: TestContract): Promise<string> {
      const toBill = await stillToBill(contract);
      const owed = new Decimal((await balance(contract)).openAmount.amount);
      let last = '';
      const agreed = world.until(async () => {
        const review = await finance('/v1/review-items');
        if ((review.items ?? []).length > 0)
          throw new Error(`finance review: ${JSON.stringify(review.items)}`);
        const lease = await leaseReceivable(contract);
        const receivables = await finance('/v1/receivables?by=contract&at=2099-12-31');
        const mine = receivables.items.find((item: any) => item.contractId === contract.snapshot.id);
        const trade = new Decimal(mine?.balance?.amount ?? mine?.balance ?? 0);
        // Customer credit (2200, every contract's) is every matched payment's money no invoice has taken.
        const payments = (await world.call('GET', '/v1/payments?status=matched&limit=200', world.admin)).body;
        const credit = (payments.items as any[]).reduce(
          (total: Decimal, payment: any) => total.plus(payment.unallocated.amount),
          new Decimal(0),
        );
        const books = await finance('/v1/trial-balance?at=2099-12-31&currency=EUR');
        const line = books.lines.find((candidate: any) => candidate.accountCode === '2200');
        const customerCredit = line
          ? new Decimal(line.credit.amount).minus(line.debit.amount)
          : new Decimal(0);
        last =
          `1200 ${lease.toFixed(2)} (billing: ${toBill.toFixed(2)}), 1100 ${trade.toFixed(2)} ` +
          `(billing: ${owed.toFixed(2)}), 2200 ${customerCredit.toFixed(2)} (billing: ${credit.toFixed(2)})`;
        return lease.eq(toBill) && trade.eq(owed) && customerCredit.eq(credit) ? lease.toFixed(2) : undefined;
      }, `finance agrees with billing on ${contract.snapshot.number}`);
      return agreed.catch((error: Error) => {
        throw new Error(`${error.message}: ${last}`);
      });
    }

    /** Activated, then billed up to 2026-04-30: the advance and installments 1 to 3 issued, 4 planned. */
    async function billedToApril(contract: TestContract) {
      world.setToday('2026-01-31');
      await world.activate(contract);
      world.setToday(TODAY);
      await run(TODAY);
      expect(await installments(contract)).toEqual([
        [1, 1, 'issued', '1248.00', '0.00'],
        [2, 1, 'issued', '1236.00', '0.00'],
        [3, 1, 'issued', '1224.00', '0.00'],
        [4, 1, 'planned', '1212.00', '0.00'],
      ]);
    }

    // Version 2 from 2026-03-15: installments 2 and 4 cheaper, 3 unchanged.
    const version2: Installment[] = [
      { n: 2, dueDate: '2026-03-31', principal: '1000.00', interest: '24.00', vat: '204.80' },
      { n: 3, dueDate: '2026-04-30', principal: '1000.00', interest: '20.00', vat: '204.00' },
      { n: 4, dueDate: '2026-05-31', principal: '1000.00', interest: '8.00', vat: '201.60' },
    ];

    it('should credit each installment issued at other amounts in full and plan its new line, and leave the rest alone', async () => {
      const contract = aFourMonthContract();
      await billedToApril(contract);
      const before = await world.invoices(contract.snapshot.id);
      const [first, second, third] = before.filter((item) => item.kind === 'installment');
      // finance before: 4100.00 activated, 3090.00 invoiced.
      expect(await booksAgreeWith(contract)).toBe('1010.00');

      await restructure(contract, 2, '2026-03-15', version2);

      expect(await installments(contract)).toEqual([
        [1, 1, 'issued', '1248.00', '0.00'],
        [2, 1, 'paid', '1236.00', '1236.00'],
        [2, 2, 'planned', '1228.80', '0.00'],
        [3, 1, 'issued', '1224.00', '0.00'],
        [4, 1, 'cancelled', '1212.00', '0.00'],
        [4, 2, 'planned', '1209.60', '0.00'],
      ]);
      // Installment 2, billed at the old amounts: one credit note for all of it, settled by its own credit.
      const [note, ...others] = await creditNotesOf(contract);
      expect(others).toEqual([]);
      expect(note).toMatchObject({
        invoiceId: second.id,
        issueDate: TODAY,
        reason: 'Installment 2 replaced by schedule version 2 from 2026-03-15',
        principal: { amount: '1000.00', currency: 'EUR' },
        interest: { amount: '30.00' },
        fees: { amount: '0.00' },
        vat: { amount: '206.00' },
        total: { amount: '1236.00' },
        appliedToInvoice: { amount: '1236.00' },
        toCredit: { amount: '0.00' },
        createdBy: LEASING_ACTOR,
      });
      expect(note.number).toMatch(/^CN-LESSOR-2026-\d{6}$/);
      expect(await invoice(second.id)).toMatchObject({
        number: second.number,
        status: 'paid',
        openAmount: { amount: '0.00' },
        creditNotes: [{ id: note.id, total: { amount: '1236.00', currency: 'EUR' } }],
      });
      // Before the date, and unchanged from it: untouched.
      for (const untouched of [first, third])
        expect(await invoice(untouched.id)).toMatchObject({
          number: untouched.number,
          status: 'issued',
          credited: { amount: '0.00' },
          creditNotes: [],
          allocations: [],
        });
      const replacement = (await world.invoices(contract.snapshot.id)).find(
        (item) => item.installment === 2 && item.scheduleVersion === 2,
      );
      expect(replacement).toMatchObject({
        dueDate: '2026-03-31',
        principal: { amount: '1000.00' },
        interest: { amount: '24.00' },
        vat: { amount: '204.80' },
        total: { amount: '1228.80' },
        number: null,
      });

      // Published for finance and audit, with leasing's user as the actor.
      const issued = (await world.outbox('lessor.billing.credit-note.issued.v1')).filter(
        (event) => (event.data as any).contractId === contract.snapshot.id,
      );
      expect(
        issued.map((event) => [event.actor, (event.data as any).invoiceKind, (event.data as any).amounts]),
      ).toEqual([
        [
          LEASING_ACTOR,
          'installment',
          { principal: '1000.00', interest: '30.00', fees: '0.00', vat: '206.00', total: '1236.00' },
        ],
      ]);
      const created = (await world.outbox('lessor.billing.invoice.created.v1')).filter(
        (event) => (event.data as any).after.id === replacement.id,
      );
      expect(created.map((event) => event.actor)).toEqual([LEASING_ACTOR]);

      // finance: 1010.00 − 8.00 of interest (the restructuring) + 1030.00 back (the credit note) = what billing has
      // still to invoice: 1024.00 of installment 2 and 1008.00 of 4. Before, it stayed at 1002.00.
      expect(await booksAgreeWith(contract)).toBe('2032.00');

      // The next billing run issues the replacement, dated the day it runs, like any planned invoice whose date has
      // passed; installment 4 waits for its date.
      expect((await run(TODAY)).body.count).toBe(1);
      expect(await invoice(replacement.id)).toMatchObject({
        status: 'issued',
        issueDate: TODAY,
        openAmount: { amount: '1228.80' },
      });
      expect(await booksAgreeWith(contract)).toBe('1008.00');
      expect(await balance(contract)).toMatchObject({
        invoiced: { amount: '5936.80' },
        credited: { amount: '1236.00' },
        openAmount: { amount: '4700.80' },
        credit: { amount: '0.00' },
      });
    });

    it('should turn what the client paid of a corrected installment into their credit, which pays their open invoices', async () => {
      const contract = aFourMonthContract();
      await billedToApril(contract);
      const [, second, third] = (await world.invoices(contract.snapshot.id)).filter(
        (item) => item.kind === 'installment',
      );
      // The advance, installments 1 and 2 paid; 3 open.
      const paid = await world.call('POST', '/v1/payments', world.admin, {
        contractId: contract.snapshot.id,
        amount: '3484.00',
        valueDate: '2026-04-15',
        reference: contract.snapshot.paymentReference,
      });
      expect(paid.status, JSON.stringify(paid.body)).toBe(201);
      expect((await invoice(second.id)).status).toBe('paid');

      await restructure(contract, 2, '2026-03-15', version2);

      const [note] = await creditNotesOf(contract);
      expect(note).toMatchObject({
        invoiceId: second.id,
        total: { amount: '1236.00' },
        appliedToInvoice: { amount: '0.00' },
        toCredit: { amount: '1236.00' },
      });
      // The allocation rules put the credit on the open installment 3 at once (1224.00); 12.00 is left over.
      const open = await invoice(third.id);
      expect(open).toMatchObject({ status: 'paid', credited: { amount: '0.00' } });
      expect(open.allocations.map((a: any) => [a.paymentId, a.total.amount])).toEqual([
        [note.paymentId, '1224.00'],
      ]);
      expect((await balance(contract)).credit.amount).toBe('12.00');
      expect(await booksAgreeWith(contract)).toBe('2032.00');

      // The replacement, issued by the next run, takes the rest of the credit.
      await run(TODAY);
      const replacement = (await world.invoices(contract.snapshot.id)).find(
        (item) => item.installment === 2 && item.scheduleVersion === 2,
      );
      expect(replacement).toMatchObject({
        status: 'partially-paid',
        total: { amount: '1228.80' },
        openAmount: { amount: '1216.80' },
      });
      expect((await balance(contract)).credit.amount).toBe('0.00');
      expect(await booksAgreeWith(contract)).toBe('1008.00');
    });

    it('should correct again when a second restructuring dated in the past follows the first, each invoice credited once', async () => {
      const contract = aFourMonthContract();
      await billedToApril(contract);
      const { restructured: second } = await restructure(contract, 2, '2026-03-15', version2);
      await run(TODAY);
      expect(await installments(contract)).toEqual([
        [1, 1, 'issued', '1248.00', '0.00'],
        [2, 1, 'paid', '1236.00', '1236.00'],
        [2, 2, 'issued', '1228.80', '0.00'],
        [3, 1, 'issued', '1224.00', '0.00'],
        [4, 1, 'cancelled', '1212.00', '0.00'],
        [4, 2, 'planned', '1209.60', '0.00'],
      ]);

      // Version 3, from the same date again: every installment from it changes, 3 too this time.
      await restructure(second, 3, '2026-03-15', [
        { n: 2, dueDate: '2026-03-31', principal: '1000.00', interest: '27.00', vat: '205.40' },
        { n: 3, dueDate: '2026-04-30', principal: '1000.00', interest: '15.00', vat: '203.00' },
        { n: 4, dueDate: '2026-05-31', principal: '1000.00', interest: '5.00', vat: '201.00' },
      ]);

      expect(await installments(contract)).toEqual([
        [1, 1, 'issued', '1248.00', '0.00'],
        [2, 1, 'paid', '1236.00', '1236.00'],
        [2, 2, 'paid', '1228.80', '1228.80'],
        [2, 3, 'planned', '1232.40', '0.00'],
        [3, 1, 'paid', '1224.00', '1224.00'],
        [3, 3, 'planned', '1218.00', '0.00'],
        [4, 1, 'cancelled', '1212.00', '0.00'],
        [4, 2, 'cancelled', '1209.60', '0.00'],
        [4, 3, 'planned', '1206.00', '0.00'],
      ]);
      const notes = (await creditNotesOf(contract)).map((note) => [note.reason, note.total.amount]);
      expect(notes.sort()).toEqual([
        ['Installment 2 replaced by schedule version 2 from 2026-03-15', '1236.00'],
        ['Installment 2 replaced by schedule version 3 from 2026-03-15', '1228.80'],
        ['Installment 3 replaced by schedule version 3 from 2026-03-15', '1224.00'],
      ]);
      // finance: 1008.00 − 5.00 of interest (version 3 against 2) + 1024.00 + 1020.00 credited = 3047.00, the
      // principal and interest of the three planned installments.
      expect(await booksAgreeWith(contract)).toBe('3047.00');
      await run(TODAY);
      expect(await booksAgreeWith(contract)).toBe('1005.00');
    });

    it('should change nothing when the same restructuring arrives again, nor when an older one does', async () => {
      const contract = aFourMonthContract();
      await billedToApril(contract);
      const { restructured: second, publishAgain: version2Again } = await restructure(
        contract,
        2,
        '2026-03-15',
        version2,
      );
      const state = async () => ({
        invoices: await world.invoices(contract.snapshot.id),
        creditNotes: await creditNotesOf(contract),
        balance: await balance(contract),
        published: (await world.outbox()).length,
      });
      const after2 = await state();
      expect(after2.creditNotes).toHaveLength(1);

      await version2Again();
      expect(await state()).toEqual(after2);

      const { publishAgain: version3Again } = await restructure(second, 3, '2026-03-15', [
        { n: 2, dueDate: '2026-03-31', principal: '1000.00', interest: '27.00', vat: '205.40' },
        ...version2.slice(1),
      ]);
      const after3 = await state();
      // Installment 2's version-2 line was planned, never issued: cancelled, no credit note.
      expect(after3.creditNotes).toHaveLength(1);
      expect(await installments(contract)).toEqual([
        [1, 1, 'issued', '1248.00', '0.00'],
        [2, 1, 'paid', '1236.00', '1236.00'],
        [2, 2, 'cancelled', '1228.80', '0.00'],
        [2, 3, 'planned', '1232.40', '0.00'],
        [3, 1, 'issued', '1224.00', '0.00'],
        [4, 1, 'cancelled', '1212.00', '0.00'],
        [4, 2, 'cancelled', '1209.60', '0.00'],
        [4, 3, 'planned', '1209.60', '0.00'],
      ]);
      await version3Again();
      expect(await state()).toEqual(after3);
      expect(await booksAgreeWith(contract)).toBe('2035.00');
      // An older version arriving late finds a newer one kept: neither billing nor finance changes anything.
      await version2Again();
      expect(await state()).toEqual(after3);
      expect(await booksAgreeWith(contract)).toBe('2035.00');
    });
  },
);
