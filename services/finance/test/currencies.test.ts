import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

/**
 * Issue 12, item 4: finance took any three capital letters for a currency (a journal entry, an FX rate and a
 * trial balance in `ZZZ`) while billing refused them. Every currency finance takes is an active ISO 4217 code
 * of the one list in @lessor/reference-data; anything else is a 400 naming the field.
 */
describe.each(financeSetups())('finance currencies on $backend with the $broker transport', (setup) => {
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

  const refusedOn = async (answer: Promise<{ status: number; body: any }>, field: string) => {
    const { status, body } = await answer;
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toContainEqual({ field, message: 'is not one of the accepted codes' });
  };

  it('should refuse a journal entry in a currency that is not ISO 4217', async () => {
    await refusedOn(
      world.call('POST', '/v1/entries', admin, {
        description: 'In a made-up currency',
        date: '2026-01-02',
        lines: [
          { accountCode: '1000', currency: 'ZZZ', side: 'debit', amount: '10' },
          { accountCode: '3000', currency: 'ZZZ', side: 'credit', amount: '10' },
        ],
      }),
      '/body/lines/0/currency',
    );
    const journal = await world.call('GET', '/v1/entries?limit=200', admin);
    expect(journal.body.items.filter((entry: any) => entry.description === 'In a made-up currency')).toEqual(
      [],
    );
  });

  it('should refuse an FX rate from or to a currency that is not ISO 4217', async () => {
    await refusedOn(
      world.call('PUT', '/v1/fx-rates/2026-01-01/ZZZ/EUR', admin, { rate: '1.5' }),
      '/params/from',
    );
    await refusedOn(
      world.call('PUT', '/v1/fx-rates/2026-01-01/EUR/ZZZ', admin, { rate: '1.5' }),
      '/params/to',
    );
    // A withdrawn code (the lev since the euro, 2026) is no longer a currency either.
    await refusedOn(
      world.call('PUT', '/v1/fx-rates/2026-01-01/BGN/EUR', admin, { rate: '0.51' }),
      '/params/from',
    );
    expect((await world.call('GET', '/v1/fx-rates?from=ZZZ', admin)).status).toBe(400);
    expect(
      (await world.call('PUT', '/v1/fx-rates/2026-01-01/JPY/EUR', admin, { rate: '0.0061' })).status,
    ).toBe(200);
  });

  it('should refuse reports, accounts and legal entities in a currency that is not ISO 4217', async () => {
    await refusedOn(world.call('GET', '/v1/trial-balance?currency=ZZZ', admin), '/query/currency');
    await refusedOn(world.call('GET', '/v1/accounts/1000/statement?currency=ZZZ', admin), '/query/currency');
    await refusedOn(
      world.call('POST', '/v1/accounts', admin, {
        code: '1410',
        currency: 'ZZZ',
        name: 'Made up',
        type: 'asset',
      }),
      '/body/currency',
    );
    await refusedOn(world.call('GET', '/v1/accounts?currency=ZZZ', admin), '/query/currency');
    await refusedOn(
      world.call('POST', '/v1/legal-entities', admin, {
        code: 'ZZ-CO',
        name: 'Made up',
        functionalCurrency: 'ZZZ',
      }),
      '/body/functionalCurrency',
    );
    expect((await world.call('GET', '/v1/trial-balance?currency=USD', admin)).status).toBe(200);
  });
});
