import { randomUUID } from 'node:crypto';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aLease, paymentAllocated, paymentReceived, EVENTS, type TestLease } from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

/**
 * Issue 12, item 11: an account's balance per contract (bank 1000, customer credit 2200) could only be had by
 * summing the journal's CSV. `GET /v1/accounts/{code}/balances?by=contract` answers it at a date.
 */
describe.each(financeSetups())('finance account balances on $backend with the $broker transport', (setup) => {
  let world: FinanceWorld;
  /** A user who may do anything in finance. */
  let admin: string;
  let first: TestLease;
  let second: TestLease;

  beforeAll(async () => {
    world = await startFinance(setup);
    admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
    first = aLease();
    second = aLease();
    const publish = async <Definition extends EventDefinition>(
      definition: Definition,
      data: EventDataOf<Definition>,
    ) => world.handled(await world.publish(definition, data));
    await publish(EVENTS.paymentReceived, paymentReceived(first, '100.00', '2026-03-01'));
    await publish(EVENTS.paymentReceived, paymentReceived(second, '40.00', '2026-03-02'));
    await publish(EVENTS.paymentAllocated, paymentAllocated(first, randomUUID(), '60.00', '2026-03-05'));
    await publish(EVENTS.paymentReceived, paymentReceived(null, '7.00', '2026-03-06'));
  });
  afterAll(async () => {
    await world?.close();
  });

  const balances = (code: string, query = '') =>
    world.call('GET', `/v1/accounts/${code}/balances${query}`, admin);
  const row = (body: any, contractId: string | null) =>
    body.items.find((item: any) => item.contractId === contractId);

  it('should answer the bank account’s balance per contract, money no contract claims on its own line', async () => {
    const { status, body } = await balances('1000');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      legalEntity: 'LESSOR',
      accountCode: '1000',
      currency: 'EUR',
      normalBalance: 'debit',
      by: 'contract',
      total: { amount: '147.00', currency: 'EUR' },
    });
    expect(row(body, first.id)).toMatchObject({
      debit: { amount: '100.00', currency: 'EUR' },
      credit: { amount: '0.00', currency: 'EUR' },
      balance: { amount: '100.00', currency: 'EUR' },
    });
    expect(row(body, second.id).balance.amount).toBe('40.00');
    expect(row(body, null).balance.amount).toBe('7.00');
  });

  it('should answer the customer credit of one contract on its normal (credit) side, at a date', async () => {
    const now = await balances('2200', `?contractId=${first.id}`);
    expect(now.body.normalBalance).toBe('credit');
    expect(now.body.items).toEqual([
      {
        contractId: first.id,
        partyId: null,
        debit: { amount: '60.00', currency: 'EUR' },
        credit: { amount: '100.00', currency: 'EUR' },
        balance: { amount: '40.00', currency: 'EUR' },
      },
    ]);
    // Before the allocation the client's whole payment was still credit.
    const before = await balances('2200', `?contractId=${first.id}&at=2026-03-04`);
    expect(before.body.items[0].balance.amount).toBe('100.00');
    expect(before.body.at).toBe('2026-03-04');
  });

  it('should sum by counterparty when asked, and answer CSV', async () => {
    const byParty = await balances('2200', '?by=party');
    expect(byParty.body.items.find((item: any) => item.partyId === second.partyId)).toMatchObject({
      contractId: null,
      balance: { amount: '40.00' },
    });
    const csv = await balances('1000', `?format=csv&contractId=${second.id}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.trim().split(/\r?\n/)).toEqual([
      'contractId,currency,debit,credit,balance',
      `${second.id},EUR,40.00,0.00,40.00`,
    ]);
  });

  it('should refuse an account the books do not hold, or one in a currency they do not hold it in', async () => {
    expect((await balances('9999')).status).toBe(404);
    expect((await balances('1000', '?currency=USD')).status).toBe(404);
    const refused = await balances('1000', '?currency=ZZZ');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('/query/currency');
  });
});
