import { financeEvents } from '@lessor/event-catalog';
import { buildService } from '@lessor/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../openapi.ts';
import { financeService } from '../src/index.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

describe.each(financeSetups())('finance chart, rules and legal entities on $backend', (setup) => {
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

  it('should open the configured legal entity with the default chart and rules at first start', async () => {
    const api = world.api<paths>(admin);
    expect((await api.GET('/v1/legal-entities')).data?.items).toEqual([
      expect.objectContaining({
        code: 'LESSOR',
        functionalCurrency: 'EUR',
        businessDate: '2026-12-31',
        followsSystemDate: true,
      }),
    ]);
    const chart =
      (await api.GET('/v1/accounts', { params: { query: { limit: 100, deleted: 'exclude' } } })).data
        ?.items ?? [];
    expect(chart.map((account) => [account.code, account.type])).toEqual([
      ['1000', 'asset'],
      ['1100', 'asset'],
      ['1200', 'asset'],
      ['1300', 'asset'],
      ['2000', 'liability'],
      ['2100', 'liability'],
      ['2200', 'liability'],
      ['2300', 'liability'],
      ['2900', 'liability'],
      ['3000', 'equity'],
      ['4000', 'income'],
      ['4100', 'income'],
      ['4200', 'income'],
      ['6900', 'expense'],
    ]);
    const rules = await api.GET('/v1/posting-rules', {
      params: { query: { limit: 100, deleted: 'exclude' } },
    });
    expect(rules.data?.items).toHaveLength(16);
    expect((await world.outbox(financeEvents.accountCreated)).length).toBeGreaterThanOrEqual(14);
  });

  it('should not install the defaults again when the app starts on the same database', async () => {
    const transport = world.app.events?.transport;
    if (!transport) throw new Error('finance has no event transport');
    const again = await buildService(financeService, {
      env: { LOG_LEVEL: 'silent' },
      database: world.database,
      transport,
    });
    // Built, not started: the first-start work runs in build.
    expect((await world.call('GET', '/v1/posting-rules?limit=100', admin)).body.items).toHaveLength(16);
    expect((await world.call('GET', '/v1/accounts?limit=100', admin)).body.items).toHaveLength(14);
    await again.events?.relay.stop();
  });

  it('should open, rename, disable, delete and restore an account', async () => {
    const created = await world.call('POST', '/v1/accounts', admin, {
      code: '1400',
      name: 'Other receivables',
      type: 'asset',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      legalEntity: 'LESSOR',
      currency: 'EUR',
      disabled: false,
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');
    const duplicate = await world.call('POST', '/v1/accounts', admin, {
      code: '1400',
      name: 'Again',
      type: 'asset',
    });
    expect(duplicate.body.code).toBe('ACCOUNT_CODE_TAKEN');
    const inChf = await world.call('POST', '/v1/accounts', admin, {
      code: '1400',
      currency: 'CHF',
      name: 'Other',
      type: 'asset',
    });
    expect(inChf.status).toBe(201);
    const renamed = await world.call(
      'PATCH',
      `/v1/accounts/${created.body.id}`,
      admin,
      { name: 'Sundry receivables' },
      {
        'if-match': '"1"',
      },
    );
    expect(renamed.body).toMatchObject({ name: 'Sundry receivables', version: 2 });
    expect(
      (
        await world.call(
          'PATCH',
          `/v1/accounts/${created.body.id}`,
          admin,
          { disabled: true },
          { 'if-match': '"1"' },
        )
      ).status,
    ).toBe(412);
    const deleted = await world.call('DELETE', `/v1/accounts/${created.body.id}`, admin, undefined, {
      'if-match': '"2"',
    });
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await world.call('GET', `/v1/accounts?code=1400&currency=EUR`, admin)).body.items).toEqual([]);
    expect(
      (await world.call('GET', `/v1/accounts?code=1400&currency=EUR&deleted=only`, admin)).body.items,
    ).toHaveLength(1);
    expect(
      (await world.call('POST', `/v1/accounts/${created.body.id}/restore`, admin)).body.deletedAt,
    ).toBeNull();
  });

  it('should refuse to delete an account that still has a balance', async () => {
    await world.call('POST', '/v1/entries', admin, {
      description: 'Capital',
      date: '2026-01-02',
      lines: [
        { accountCode: '1000', side: 'debit', amount: '1000' },
        { accountCode: '3000', side: 'credit', amount: '1000' },
      ],
    });
    const bank = (await world.call('GET', '/v1/accounts?code=1000&currency=EUR', admin)).body.items[0];
    const refused = await world.call('DELETE', `/v1/accounts/${bank.id}`, admin, undefined, {
      'if-match': `"${bank.version}"`,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'ACCOUNT_HAS_BALANCE',
      detail: 'Account 1000 (EUR) has a balance of 1000',
    });
  });

  it('should refuse an invalid posting rule with 422 naming each field', async () => {
    const answer = await world.call('POST', '/v1/posting-rules', admin, {
      name: 'Broken',
      eventType: 'lessor.billing.invoice.issued.v1',
      conditions: [{ path: 'kind', op: 'in', value: 'fee' }],
      datePath: 'issuedOn',
      entryDescription: 'x',
      lines: [
        { accountCode: '1100', side: 'debit', amount: 'amounts.total' },
        { accountCode: '7777', side: 'credit', amount: 'amounts.totl' },
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.code).toBe('POSTING_RULE_INVALID');
    expect(answer.body.errors.map((error: any) => error.field)).toEqual([
      '/body/conditions/0/value',
      '/body/datePath',
      '/body/lines/1/amount',
      '/body/lines/1/accountCode',
    ]);
    const unknownType = await world.call('POST', '/v1/posting-rules', admin, {
      name: 'Users',
      eventType: 'lessor.sso.user.created.v1',
      datePath: 'x',
      entryDescription: 'x',
      lines: [
        { accountCode: '1000', side: 'debit', amount: '1' },
        { accountCode: '3000', side: 'credit', amount: '1' },
      ],
    });
    expect(unknownType.body.errors[0]).toMatchObject({ field: '/body/eventType' });
  });

  it('should add, change and read a valid rule, and announce the change', async () => {
    const created = await world.call('POST', '/v1/posting-rules', admin, {
      name: 'Big penalties to a separate account',
      eventType: 'lessor.billing.penalty.charged.v1',
      legalEntity: 'LESSOR',
      conditions: [{ path: 'daysOverdue', op: 'equals', value: 90 }],
      datePath: 'chargeDate',
      entryDescription: 'Penalty {penaltyId}',
      lines: [
        { accountCode: '1100', side: 'debit', amount: 'amount' },
        { accountCode: '4200', side: 'credit', amount: 'amount' },
      ],
    });
    expect(created.status).toBe(201);
    const changed = await world.call(
      'PATCH',
      `/v1/posting-rules/${created.body.id}`,
      admin,
      { name: 'Penalties at 90 days' },
      {
        'if-match': '"1"',
      },
    );
    expect(changed.body).toMatchObject({ name: 'Penalties at 90 days', version: 2, legalEntity: 'LESSOR' });
    const events = (await world.outbox('lessor.finance.posting-rule.updated.v1')).filter(
      (event) => event.subject === created.body.id,
    );
    expect(events.map((event) => (event.data as any).changed)).toEqual([['name']]);
  });

  it('should open the books of another legal entity, empty or with the default chart', async () => {
    const created = await world.call('POST', '/v1/legal-entities', admin, {
      code: 'LESSOR-CH',
      name: 'Lessor Schweiz AG',
      functionalCurrency: 'CHF',
    });
    expect(created.status).toBe(201);
    const chart = (await world.call('GET', '/v1/accounts?legalEntity=LESSOR-CH&limit=100', admin)).body.items;
    expect(chart).toHaveLength(14);
    expect(chart.every((account: any) => account.currency === 'CHF')).toBe(true);
    expect(
      (
        await world.call('POST', '/v1/legal-entities', admin, {
          code: 'LESSOR-CH',
          name: 'x',
          functionalCurrency: 'CHF',
        })
      ).body.code,
    ).toBe('LEGAL_ENTITY_EXISTS');
    await world.call('POST', '/v1/legal-entities', admin, {
      code: 'EMPTY',
      name: 'Empty',
      functionalCurrency: 'EUR',
      chart: 'empty',
    });
    expect((await world.call('GET', '/v1/accounts?legalEntity=EMPTY', admin)).body.items).toEqual([]);
  });

  it('should refuse every route to a caller without its permission', async () => {
    const reader = await world.token(['finance:reports:read']);
    const call = (method: string, url: string) =>
      world.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${reader}` } });
    expect((await call('GET', '/v1/trial-balance')).statusCode).toBe(200);
    expect((await call('GET', '/v1/entries')).statusCode).toBe(403);
    expect((await call('POST', '/v1/periods/LESSOR/2026-01/close')).statusCode).toBe(403);
    expect((await call('GET', '/v1/review-items')).statusCode).toBe(403);
    expect((await world.app.inject({ method: 'GET', url: '/v1/trial-balance' })).statusCode).toBe(401);
  });
});
