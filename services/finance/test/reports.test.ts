import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activated,
  aLease,
  installmentInvoice,
  paymentAllocated,
  paymentReceived,
  penaltyCharged,
  EVENTS,
  type TestLease,
} from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

describe.each(financeSetups())('finance reports on $backend with the $broker transport', (setup) => {
  let world: FinanceWorld;
  /** A user who may do anything in finance. */
  let admin: string;
  let first: TestLease;
  let second: TestLease;
  const invoiceIds: string[] = [];

  async function publish<Definition extends EventDefinition>(
    definition: Definition,
    data: EventDataOf<Definition>,
  ) {
    const envelope = await world.publish(definition, data);
    await world.handled(envelope);
  }

  beforeAll(async () => {
    world = await startFinance(setup);
    admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
    const party = randomUUID();
    first = aLease({ partyId: party, startDate: '2026-01-10' });
    second = aLease({ partyId: party, startDate: '2026-02-10', financed: '6000.00', residual: '1000.00' });
    for (const lease of [first, second]) {
      await publish(EVENTS.activated, activated(lease));
      for (const n of [1, 2]) {
        const invoice = installmentInvoice(lease, n);
        invoiceIds.push(invoice.invoiceId);
        await publish(EVENTS.invoiceIssued, invoice);
      }
    }
    await publish(EVENTS.paymentReceived, paymentReceived(first, '1000.00', '2026-03-12'));
    await publish(EVENTS.paymentAllocated, paymentAllocated(first, invoiceIds[0]!, '800.00', '2026-03-12'));
    await publish(EVENTS.penaltyCharged, penaltyCharged(first, invoiceIds[1]!, '1.50', '2026-03-20'));
  });
  afterAll(async () => {
    await world?.close();
  });

  const invoiced = (lease: TestLease, upTo: number) =>
    lease.installments
      .slice(0, upTo)
      .reduce((sum, i) => sum.plus(i.principal).plus(i.interest).plus(i.vat), new Decimal(0));

  it('should balance the trial balance and show each account on its side at any date', async () => {
    for (const at of ['2026-01-10', '2026-02-15', '2026-03-31', '2026-12-31']) {
      const report = (await world.call('GET', `/v1/trial-balance?at=${at}&currency=EUR`, admin)).body;
      expect(report.totalDebit).toEqual(report.totalCredit);
      const debit = report.lines.reduce(
        (sum: Decimal, line: any) => sum.plus(line.debit.amount),
        new Decimal(0),
      );
      expect(debit.toFixed(2)).toBe(report.totalDebit.amount);
      for (const line of report.lines) {
        expect(Object.keys(line)).toEqual(
          expect.arrayContaining(['accountCode', 'accountName', 'debit', 'credit']),
        );
        expect(Number(line.debit.amount) === 0 || Number(line.credit.amount) === 0).toBe(true);
      }
    }
    const early = (await world.call('GET', '/v1/trial-balance?at=2026-01-10', admin)).body;
    expect(early.lines.map((line: any) => line.accountCode)).toEqual(['1200', '2000', '2300']);
    expect(early.lines.find((line: any) => line.accountCode === '2000').credit).toEqual({
      amount: '12000.00',
      currency: 'EUR',
    });
  });

  it('should show trade receivables as invoiced − allocated + penalties, by contract and by party', async () => {
    const expectedFirst = invoiced(first, 2).minus('800.00').plus('1.50');
    const expectedSecond = invoiced(second, 2);
    const byContract = (await world.call('GET', '/v1/receivables?by=contract', admin)).body;
    const balanceOf = (id: string) => byContract.items.find((item: any) => item.contractId === id)?.balance;
    expect(balanceOf(first.id)).toEqual({ amount: expectedFirst.toFixed(2), currency: 'EUR' });
    expect(balanceOf(second.id)).toEqual({ amount: expectedSecond.toFixed(2), currency: 'EUR' });
    const byParty = (await world.call('GET', `/v1/receivables?by=party&partyId=${first.partyId}`, admin))
      .body;
    expect(byParty.items).toEqual([
      {
        partyId: first.partyId,
        contractId: null,
        debit: {
          amount: invoiced(first, 2).plus(invoiced(second, 2)).plus('1.50').toFixed(2),
          currency: 'EUR',
        },
        credit: { amount: '800.00', currency: 'EUR' },
        balance: { amount: expectedFirst.plus(expectedSecond).toFixed(2), currency: 'EUR' },
      },
    ]);
    const trialBalance = (await world.call('GET', '/v1/trial-balance', admin)).body;
    expect(trialBalance.lines.find((line: any) => line.accountCode === '1100').debit.amount).toBe(
      expectedFirst.plus(expectedSecond).toFixed(2),
    );
  });

  it('should give an account statement with opening balance, running balance and closing balance', async () => {
    const statement = (
      await world.call('GET', '/v1/accounts/1100/statement?from=2026-03-01&to=2026-12-31', admin)
    ).body;
    // Before March only the first lease's first installment was invoiced (due 2026-02-10).
    const opening = invoiced(first, 1);
    expect(statement).toMatchObject({
      accountCode: '1100',
      currency: 'EUR',
      normalBalance: 'debit',
      opening: { amount: opening.toFixed(2) },
    });
    let running = opening;
    for (const line of statement.lines) {
      running = running.plus(line.debit.amount).minus(line.credit.amount);
      expect(line.balance.amount).toBe(running.toFixed(2));
    }
    expect(statement.lines.map((line: any) => line.date)).toEqual([
      '2026-03-10',
      '2026-03-10',
      '2026-03-12',
      '2026-03-20',
      '2026-04-10',
    ]);
    expect(statement.closing.amount).toBe(running.toFixed(2));

    // A liability's balance is shown positive on the credit side.
    const credit = (await world.call('GET', '/v1/accounts/2200/statement', admin)).body;
    expect(credit).toMatchObject({
      normalBalance: 'credit',
      closing: { amount: '200.00' },
      opening: { amount: '0.00' },
    });
  });

  it('should export each report as CSV when asked by Accept or by format', async () => {
    const trialBalance = await world.call('GET', '/v1/trial-balance?at=2026-03-31', admin, undefined, {
      accept: 'text/csv',
    });
    expect(trialBalance.headers['content-type']).toContain('text/csv');
    const rows = trialBalance.body.trim().split('\r\n');
    expect(rows[0]).toBe('accountCode,accountName,accountType,accountCurrency,debit,credit,currency');
    const json = (await world.call('GET', '/v1/trial-balance?at=2026-03-31', admin)).body;
    expect(rows.at(-1)).toBe(`TOTAL,,,,${json.totalDebit.amount},${json.totalCredit.amount},EUR`);
    expect(rows).toHaveLength(json.lines.length + 2);

    const statement = await world.call('GET', '/v1/accounts/1100/statement?format=csv', admin);
    expect(statement.headers['content-disposition']).toContain('statement-LESSOR-1100-EUR.csv');
    expect(statement.body.split('\r\n')[1]).toBe(',,Opening balance,,,0.00,,');

    const receivables = await world.call(
      'GET',
      `/v1/receivables?by=contract&contractId=${second.id}&format=csv`,
      admin,
    );
    expect(receivables.body).toBe(
      `contractId,currency,debit,credit,balance\r\n${second.id},EUR,${invoiced(second, 2).toFixed(2)},0.00,${invoiced(second, 2).toFixed(2)}\r\n`,
    );
  });

  it('should convert a trial balance into another currency at the rate on or before the date', async () => {
    const usd = aLease({ currency: 'USD' });
    await publish(EVENTS.paymentReceived, paymentReceived(usd, '100.01', '2026-04-01'));
    const missing = await world.call('GET', '/v1/trial-balance?at=2026-04-30', admin);
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      code: 'FX_RATE_MISSING',
      errors: [{ message: expect.stringContaining('USD/EUR') }],
    });

    await world.call('PUT', '/v1/fx-rates/2026-04-01/USD/EUR', admin, { rate: '0.5' });
    await world.call('PUT', '/v1/fx-rates/2026-05-01/USD/EUR', admin, { rate: '0.8' });
    const april = (await world.call('GET', '/v1/trial-balance?at=2026-04-30&currency=EUR', admin)).body;
    const bank = april.lines.filter((line: any) => line.accountCode === '1000');
    expect(bank.find((line: any) => line.accountCurrency === 'USD')).toMatchObject({
      debit: { amount: '50.01', currency: 'EUR' },
      converted: { debit: { amount: '100.01', currency: 'USD' }, rate: '0.5' },
    });
    // 100.01 × 0.5 = 50.005 → 50.01 on both sides: no rounding line needed here, and the totals agree.
    expect(april.totalDebit).toEqual(april.totalCredit);
    expect(april.byCurrency.find((c: any) => c.currency === 'USD')).toEqual({
      currency: 'USD',
      totalDebit: { amount: '100.01', currency: 'USD' },
      totalCredit: { amount: '100.01', currency: 'USD' },
    });
    const may = (await world.call('GET', '/v1/trial-balance?at=2026-05-31&currency=EUR', admin)).body;
    expect(may.lines.find((line: any) => line.accountCurrency === 'USD').converted.rate).toBe('0.8');

    // Into USD: EUR accounts at the inverse of the USD→EUR quote.
    const inUsd = (await world.call('GET', '/v1/trial-balance?at=2026-05-31&currency=USD', admin)).body;
    expect(inUsd.currency).toBe('USD');
    expect(inUsd.totalDebit).toEqual(inUsd.totalCredit);
    expect(inUsd.lines.find((line: any) => line.accountCurrency === 'EUR').converted.rate).toBe('1.25');
  });

  it('should recognise finance income installment by installment, once, up to a date', async () => {
    const run = (upTo: string) => world.call('POST', '/v1/income-recognition-runs', admin, { upTo });
    const expected = [first, second]
      .flatMap((lease) => lease.installments)
      .filter((i) => i.dueDate <= '2026-04-30')
      .reduce((sum, i) => sum.plus(i.interest), new Decimal(0));
    const answer = (await run('2026-04-30')).body;
    expect(answer).toMatchObject({ legalEntity: 'LESSOR', upTo: '2026-04-30', recognised: 5, skipped: [] });
    expect(answer.amounts).toEqual([{ amount: expected.toFixed(2), currency: 'EUR' }]);
    expect((await run('2026-04-30')).body.recognised).toBe(0);
    const income = (await world.call('GET', '/v1/entries?kind=income&limit=100', admin)).body.items;
    expect(income).toHaveLength(5);
    expect(
      income.every(
        (entry: any) => entry.lines[0].accountCode === '2300' && entry.lines[1].accountCode === '4000',
      ),
    ).toBe(true);
    const report = (await world.call('GET', '/v1/trial-balance?at=2026-04-30&currency=EUR', admin)).body;
    expect(report.lines.find((line: any) => line.accountCode === '4000').credit.amount).toBe(
      expected.toFixed(2),
    );
    expect((await run('2027-02-01')).body.code).toBe('ENTRY_DATE_IN_FUTURE');
  });
});
