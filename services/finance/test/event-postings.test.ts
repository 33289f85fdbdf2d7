import { randomUUID } from 'node:crypto';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import {
  activated,
  aLease,
  installmentInvoice,
  invoiceIssued,
  paymentAllocated,
  paymentMatched,
  paymentReceived,
  penaltyCharged,
  restructured,
  terminated,
  EVENTS,
  type TestLease,
} from './events.ts';
import {
  consumedWith,
  financeSetups,
  redeliver,
  startFinance,
  type FinanceWorld,
} from './fixtures/finance-world.ts';

describe.each(financeSetups())('finance posting events on $backend with the $broker transport', (setup) => {
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

  /** Publishes an event, waits for the consumer, and returns the entry it was posted as. */
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
    entry.lines.map((line: any) => [
      line.side,
      line.accountCode,
      line.amount.amount,
      line.contractId !== null,
    ]);
  const trialBalance = async () => (await world.call('GET', '/v1/trial-balance?at=2026-12-31', admin)).body;
  const balanced = async () => {
    const report = await trialBalance();
    expect(report.totalDebit).toEqual(report.totalCredit);
    return report;
  };

  let lease: TestLease;

  it('should book the net investment when a lease is activated', async () => {
    lease = aLease({ financed: '12000.00', residual: '3000.00', months: 6 });
    const { entry } = await post(EVENTS.activated, activated(lease));
    const interest = lease.installments.reduce((sum, i) => sum + Number(i.interest) * 100, 0) / 100;
    expect(entry).toMatchObject({
      kind: 'event',
      date: lease.startDate,
      sourceEventType: EVENTS.activated.type,
    });
    expect(entry.description).toBe(`Contract ${lease.number} activated`);
    expect(lines(entry)).toEqual([
      ['debit', '1200', (12000 + interest).toFixed(2), true],
      ['credit', '2300', interest.toFixed(2), true],
      ['credit', '2000', '12000.00', true],
    ]);
    expect(entry.lines[0].counterpartyId).toBe(lease.partyId);
    await balanced();
  });

  it('should book an advance invoice as owed to the supplier', async () => {
    const { entry } = await post(EVENTS.invoiceIssued, invoiceIssued(lease, 'advance', { fees: '1000.00' }));
    expect(lines(entry)).toEqual([
      ['debit', '1100', '1000.00', true],
      ['credit', '2000', '1000.00', true],
    ]);
  });

  it('should move billed principal and interest from the lease receivable when an installment is invoiced', async () => {
    const first = lease.installments[0]!;
    const { entry } = await post(EVENTS.invoiceIssued, installmentInvoice(lease, 1));
    const total = (Number(first.principal) + Number(first.interest) + Number(first.vat)).toFixed(2);
    expect(entry.date).toBe(first.dueDate);
    expect(lines(entry)).toEqual([
      ['debit', '1100', total, true],
      ['credit', '1200', (Number(first.principal) + Number(first.interest)).toFixed(2), true],
      ['credit', '2100', first.vat, true],
    ]);
  });

  it('should book fee, termination and buyout invoices by their rules', async () => {
    const fee = await post(EVENTS.invoiceIssued, invoiceIssued(lease, 'fee', { fees: '50.00', vat: '9.50' }));
    expect(lines(fee.entry)).toEqual([
      ['debit', '1100', '59.50', true],
      ['credit', '4100', '50.00', true],
      ['credit', '2100', '9.50', true],
    ]);
    const buyout = await post(
      EVENTS.invoiceIssued,
      invoiceIssued(lease, 'buyout', { principal: '3000.00', vat: '570.00' }),
    );
    expect(lines(buyout.entry)).toEqual([
      ['debit', '1100', '3570.00', true],
      ['credit', '1200', '3000.00', true],
      ['credit', '2100', '570.00', true],
    ]);
  });

  it('should book cash against the client’s credit, or suspense when unmatched, and match it later', async () => {
    const matched = await post(EVENTS.paymentReceived, paymentReceived(lease, '500.00', '2026-02-20'));
    expect(lines(matched.entry)).toEqual([
      ['debit', '1000', '500.00', true],
      ['credit', '2200', '500.00', true],
    ]);
    const unmatchedData = paymentReceived(null, '120.00', '2026-02-21');
    const unmatched = await post(EVENTS.paymentReceived, unmatchedData);
    expect(lines(unmatched.entry)).toEqual([
      ['debit', '1000', '120.00', false],
      ['credit', '2900', '120.00', false],
    ]);
    const match = await post(
      EVENTS.paymentMatched,
      paymentMatched(lease, unmatchedData.paymentId, '120.00', '2026-02-22'),
    );
    expect(lines(match.entry)).toEqual([
      ['debit', '2900', '120.00', true],
      ['credit', '2200', '120.00', true],
    ]);
  });

  it('should settle receivables by allocation and book penalties as income', async () => {
    const allocation = await post(
      EVENTS.paymentAllocated,
      paymentAllocated(lease, randomUUID(), '400.00', '2026-02-23'),
    );
    expect(lines(allocation.entry)).toEqual([
      ['debit', '2200', '400.00', true],
      ['credit', '1100', '400.00', true],
    ]);
    const penalty = await post(
      EVENTS.penaltyCharged,
      penaltyCharged(lease, randomUUID(), '3.21', '2026-02-24'),
    );
    expect(lines(penalty.entry)).toEqual([
      ['debit', '1100', '3.21', true],
      ['credit', '4200', '3.21', true],
    ]);
    await balanced();
  });

  it('should take the never-billed interest off the lease receivable and earn the accrued part on termination', async () => {
    const ended = aLease({ months: 4, monthlyRatePercent: '1' });
    await post(EVENTS.activated, activated(ended));
    // Installments 1 and 2 are due by the termination date (billed); 3 and 4 never will be.
    const later = Number(ended.installments[2]!.interest) + Number(ended.installments[3]!.interest);
    const { entry } = await post(
      EVENTS.terminated,
      terminated(ended, {
        terminationDate: '2026-03-30',
        remainingPrincipal: ended.installments[1]!.balance,
        accruedInterest: '12.34',
        fee: '100.00',
      }),
    );
    expect(lines(entry)).toEqual([
      ['debit', '2300', (later - 12.34).toFixed(2), true],
      ['credit', '1200', (later - 12.34).toFixed(2), true],
      ['debit', '2300', '12.34', true],
      ['credit', '4000', '12.34', true],
    ]);
  });

  it('should leave the lease receivable and unearned income at zero after a lease ends by termination', async () => {
    const ended = aLease({ months: 4, monthlyRatePercent: '1', financed: '8000.00', residual: '2000.00' });
    const contract = `contractId=${ended.id}`;
    await post(EVENTS.activated, activated(ended));
    await post(EVENTS.invoiceIssued, installmentInvoice(ended, 1));
    await post(EVENTS.invoiceIssued, installmentInvoice(ended, 2));
    const recognised = await world.call('POST', '/v1/income-recognition-runs', admin, { upTo: '2026-03-30' });
    expect(recognised.status).toBe(200);
    const accrued = '7.77';
    await post(
      EVENTS.terminated,
      terminated(ended, {
        terminationDate: '2026-03-30',
        remainingPrincipal: ended.installments[1]!.balance,
        accruedInterest: accrued,
        fee: '100.00',
      }),
    );
    const principal = ended.installments[1]!.balance;
    await post(
      EVENTS.invoiceIssued,
      invoiceIssued(
        ended,
        'termination',
        { principal, interest: accrued, fees: '100.00', vat: '19.00' },
        {
          issueDate: '2026-03-30',
        },
      ),
    );
    const entries = (await world.call('GET', `/v1/entries?${contract}&limit=200`, admin)).body.items;
    const net = (code: string) =>
      entries
        .flatMap((entry: any) => entry.lines)
        .filter((line: any) => line.accountCode === code && line.contractId === ended.id)
        .reduce(
          (sum: number, line: any) =>
            sum + (line.side === 'debit' ? 1 : -1) * Number(line.amount.amount) * 100,
          0,
        );
    expect(Math.round(net('1200'))).toBe(0);
    expect(Math.round(net('2300'))).toBe(0);
  });

  it('should grow the lease receivable and unearned income by the interest a restructuring adds', async () => {
    const changed = aLease({ months: 4 });
    await post(EVENTS.activated, activated(changed));
    const next = changed.installments.map((installment) =>
      installment.n >= 3
        ? { ...installment, interest: (Number(installment.interest) + 10).toFixed(2) }
        : installment,
    );
    const { entry } = await post(
      EVENTS.restructured,
      restructured(changed, next, changed.installments[2]!.dueDate, '2026-03-20'),
    );
    expect(lines(entry)).toEqual([
      ['debit', '1200', '20.00', true],
      ['credit', '2300', '20.00', true],
    ]);
    const lower = next.map((installment) =>
      installment.n >= 4
        ? { ...installment, interest: (Number(installment.interest) - 15).toFixed(2) }
        : installment,
    );
    const second = await post(
      EVENTS.restructured,
      restructured(changed, lower, changed.installments[3]!.dueDate, '2026-04-20', 3),
    );
    // Less interest: the same accounts, the other way round.
    expect(lines(second.entry)).toEqual([
      ['credit', '1200', '15.00', true],
      ['debit', '2300', '15.00', true],
    ]);
  });

  it('should post an event once when the same envelope is delivered twice', async () => {
    const data = paymentReceived(lease, '77.00', '2026-03-01');
    const { envelope, entry } = await post(EVENTS.paymentReceived, data);
    const duplicates = await consumedWith(world, 'duplicate');
    await redeliver(world, envelope);
    await eventually(async () => (await consumedWith(world, 'duplicate')) > duplicates, {
      timeoutMs: 20_000,
    });
    const page = (await world.call('GET', `/v1/entries?sourceEventId=${envelope.id}`, admin)).body;
    expect(page.items.map((item: any) => item.id)).toEqual([entry.id]);
    expect(
      (await world.outbox('lessor.finance.entry.posted.v1')).filter((e) => e.subject === entry.id),
    ).toHaveLength(1);
  });

  it('should announce every entry with its lines when it is posted', async () => {
    const { entry } = await post(EVENTS.paymentReceived, paymentReceived(lease, '12.00', '2026-03-02'));
    const [announced] = (await world.outbox('lessor.finance.entry.posted.v1')).filter(
      (e) => e.subject === entry.id,
    );
    expect(announced!.data).toMatchObject({
      entryId: entry.id,
      legalEntity: 'LESSOR',
      entryDate: '2026-03-02',
      kind: 'event',
      lines: [
        { accountCode: '1000', side: 'debit', amount: '12.00', currency: 'EUR', contractId: lease.id },
        { accountCode: '2200', side: 'credit', amount: '12.00' },
      ],
    });
  });

  it('should open an account in a new currency when a posting needs one', async () => {
    const usd = aLease({ currency: 'USD' });
    const { entry } = await post(EVENTS.paymentReceived, paymentReceived(usd, '250.00', '2026-03-03'));
    expect(entry.lines.map((line: any) => line.amount)).toEqual([
      { amount: '250.00', currency: 'USD' },
      { amount: '250.00', currency: 'USD' },
    ]);
    const accounts = (await world.call('GET', '/v1/accounts?currency=USD', admin)).body.items;
    expect(accounts.map((account: any) => [account.code, account.name, account.createdBy])).toEqual([
      ['1000', 'Bank', 'system'],
      ['2200', 'Customer credit (money received, not yet allocated)', 'system'],
    ]);
    const report = (await world.call('PUT', '/v1/fx-rates/2026-01-01/USD/EUR', admin, { rate: '0.9' }))
      .status;
    expect(report).toBe(200);
    await balanced();
  });
});
