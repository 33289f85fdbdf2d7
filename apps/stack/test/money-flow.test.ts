import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { readOutbox, eventually } from '@lessor/events/testing';
import { openDatabase, type Database } from '@lessor/service-kit';
import { ADMIN_PASSWORD, bootForTest, systemSetups, type BootedForTest } from './support/booted-system.ts';

/**
 * Issue 5's end-to-end flow, through the gateway: activate a contract → invoices planned → issue those due →
 * a payment → the ledger shows receivable, income, VAT and cash; the trial balance is zero at every step and
 * the contract's receivable in finance equals billing's open amount for it. Then every event of the flow is
 * delivered a second time, and nothing changes.
 */
describe.each(systemSetups())(
  'money from activation to cash on $backend with the $broker transport',
  (setup) => {
    let booted: BootedForTest;
    let admin: string;
    let risk: string;
    let contractId: string;
    let paymentReference: string;

    beforeAll(async () => {
      booted = await bootForTest(setup);
      admin = await booted.login('admin', ADMIN_PASSWORD);
      ({ token: risk } = await booted.user(
        'risk',
        ['leasing:contracts:read', 'leasing:contracts:approve', 'parties:parties:read', 'assets:assets:read'],
        admin,
      ));
    });
    afterAll(async () => booted?.close());

    const api = (method: string, path: string, body?: unknown) => booted.api(method, path, admin, body);
    const amount = (money: { amount: string }) => new Decimal(money.amount);

    /** The trial balance now: its totals must be equal, and the balance of one account by code. */
    async function trialBalance() {
      const answer = await api('GET', '/api/finance/v1/trial-balance?at=2099-12-31&currency=EUR');
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.totalDebit).toEqual(answer.body.totalCredit);
      const balance = (code: string) => {
        const line = answer.body.lines.find(
          (candidate: { accountCode: string }) => candidate.accountCode === code,
        );
        return line ? amount(line.debit).minus(amount(line.credit)) : new Decimal(0);
      };
      return { balance, body: answer.body };
    }

    /** finance's receivable for the contract (account 1100) and billing's open amount for it agree. */
    async function receivableMatchesBilling(): Promise<Decimal> {
      const invoices = await api('GET', `/api/billing/v1/invoices?contractId=${contractId}&limit=200`);
      const open = invoices.body.items
        .filter(
          (invoice: { status: string }) => invoice.status !== 'planned' && invoice.status !== 'cancelled',
        )
        .reduce(
          (sum: Decimal, invoice: { openAmount: { amount: string } }) => sum.plus(invoice.openAmount.amount),
          new Decimal(0),
        );
      const receivables = await api('GET', '/api/finance/v1/receivables?by=contract&at=2099-12-31');
      const mine = receivables.body.items.find(
        (item: { contractId: string }) => item.contractId === contractId,
      );
      const ledger = mine ? amount(mine.balance) : new Decimal(0);
      if (!ledger.eq(open)) throw new Error(`finance ${ledger} ≠ billing ${open}`);
      return open;
    }

    it('should book activation, invoices and a payment exactly, the books balanced at each step', async () => {
      const product = await api('POST', '/api/leasing/v1/products', {
        code: 'MONEY-CAR',
        name: 'Cars',
        currencies: ['EUR'],
        scheduleTypes: ['annuity'],
        minTermMonths: 12,
        maxTermMonths: 60,
        minRate: '3',
        maxRate: '12',
      });
      const party = await api('POST', '/api/parties/v1/parties', {
        kind: 'company',
        name: 'Money Flow GmbH',
        legalForm: 'GmbH',
        country: 'DE',
      });
      await api('POST', `/api/parties/v1/parties/${party.body.id}/kyc`, { status: 'verified', reason: 'ok' });
      const asset = await api('POST', '/api/assets/v1/assets', {
        type: 'car',
        make: 'Audi',
        model: 'Q4',
        vin: 'WAUZZZF40NA000001',
        year: 2025,
        price: { amount: '60000.00', currency: 'EUR' },
      });
      const calculation = await api('POST', '/api/leasing/v1/calculations', {
        productId: product.body.id,
        assetPrice: { amount: '60000.00', currency: 'EUR' },
        advance: { percent: '10' },
        termMonths: 24,
        annualRate: '6',
        scheduleType: 'annuity',
        residualValue: { amount: '5000.00', currency: 'EUR' },
        startDate: '2026-01-15',
        vatRate: '20',
      });
      expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
      const contract = await api('POST', '/api/leasing/v1/contracts', {
        calculationId: calculation.body.id,
        partyId: party.body.id,
        assetId: asset.body.id,
      });
      expect(contract.status, JSON.stringify(contract.body)).toBe(201);
      contractId = contract.body.id;
      paymentReference = contract.body.paymentReference;
      await booted.api('POST', `/api/leasing/v1/contracts/${contractId}/approve`, risk, {});
      await api('POST', `/api/leasing/v1/contracts/${contractId}/sign`, {});
      const active = await api('POST', `/api/leasing/v1/contracts/${contractId}/activate`, {
        businessDate: '2026-01-15',
      });
      expect(active.body.status).toBe('active');

      // Activation: billing plans the advance and 24 installments; finance books the net investment.
      await eventually(
        async () => {
          const invoices = await api('GET', `/api/billing/v1/invoices?contractId=${contractId}&limit=200`);
          return invoices.body?.items?.length === 25;
        },
        { timeoutMs: 45_000 },
      );
      const afterActivation = await eventually(
        async () => {
          const books = await trialBalance();
          return books.balance('1200').gt(0) ? books : undefined;
        },
        { timeoutMs: 45_000 },
      );
      const interestTotal = amount(calculation.body.totals.interest);
      // Gross investment = principal (financed − residual) + residual + interest.
      expect(afterActivation.balance('1200').toFixed(2)).toBe(
        new Decimal('54000.00').plus(interestTotal).toFixed(2),
      );
      expect(afterActivation.balance('2300').toFixed(2)).toBe(interestTotal.negated().toFixed(2));
      expect(await receivableMatchesBilling()).toEqual(new Decimal(0));

      // Issue everything due up to 31 March: the advance and the February and March installments.
      const run = await api('POST', '/api/billing/v1/billing-runs', { upTo: '2026-03-31' });
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      const issued = await eventually(
        async () => {
          const open = await receivableMatchesBilling().catch(() => undefined);
          return open?.gt(0) ? open : undefined;
        },
        { timeoutMs: 45_000 },
      );
      const schedule = calculation.body.schedule;
      const billed = [0, 1].reduce(
        (sum, index) => sum.plus(schedule[index].payment.amount).plus(schedule[index].vat.amount),
        new Decimal('6000.00'),
      );
      expect(issued.toFixed(2)).toBe(billed.toFixed(2));
      const afterInvoices = await trialBalance();
      expect(afterInvoices.balance('1100').toFixed(2)).toBe(billed.toFixed(2));
      expect(afterInvoices.balance('2100').toFixed(2)).toBe(
        new Decimal(schedule[0].vat.amount).plus(schedule[1].vat.amount).negated().toFixed(2),
      );

      // The client pays the advance and the first installment: cash in, the oldest invoices settled.
      const paid = new Decimal('6000.00').plus(schedule[0].payment.amount).plus(schedule[0].vat.amount);
      const payment = await api('POST', '/api/billing/v1/payments', {
        contractId,
        amount: paid.toFixed(2),
        valueDate: '2026-03-01',
        reference: paymentReference,
      });
      expect(payment.status, JSON.stringify(payment.body)).toBe(201);
      const left = await eventually(
        async () => {
          const open = await receivableMatchesBilling().catch(() => undefined);
          return open?.lt(issued) ? open : undefined;
        },
        { timeoutMs: 45_000 },
      );
      expect(left.toFixed(2)).toBe(issued.minus(paid).toFixed(2));
      const afterPayment = await trialBalance();
      expect(afterPayment.balance('1000').toFixed(2)).toBe(paid.toFixed(2));
      expect(afterPayment.balance('2200').toFixed(2)).toBe('0.00');
    });

    it('should change nothing when every event of the flow is delivered a second time', async () => {
      const before = {
        books: (await trialBalance()).body,
        invoices: (await api('GET', `/api/billing/v1/invoices?contractId=${contractId}&limit=200`)).body,
        entries: (await api('GET', '/api/finance/v1/entries?limit=200')).body.items.length,
      };
      const databases: Database<unknown>[] = [];
      const schemaOf = async (schema: string) => {
        const db = await openDatabase<unknown>({ schema, url: booted.database.url });
        databases.push(db);
        return db;
      };
      try {
        const events = [
          ...(await readOutbox((await schemaOf('leasing')).db)),
          ...(await readOutbox((await schemaOf('billing')).db)),
        ];
        expect(events.length).toBeGreaterThan(10);
        // Through the gateway's own transport would not do: each service's relay publishes through the one its
        // app was built with, so publish through leasing's (the same bus or broker every consumer reads).
        await booted.system.apps.get('leasing')!.events!.transport.publish(events);
        // Give the consumers time to see them all: the inbox must absorb every one.
        await new Promise((resolve) => setTimeout(resolve, 5000));
        await eventually(async () => (await api('GET', '/api/finance/v1/review-items')).status === 200);
      } finally {
        for (const db of databases) await db.close();
      }
      expect((await trialBalance()).body).toEqual(before.books);
      expect((await api('GET', `/api/billing/v1/invoices?contractId=${contractId}&limit=200`)).body).toEqual(
        before.invoices,
      );
      expect((await api('GET', '/api/finance/v1/entries?limit=200')).body.items.length).toBe(before.entries);
      expect(await receivableMatchesBilling()).toBeDefined();
    });
  },
);
