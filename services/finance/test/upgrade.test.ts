import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventMigrations } from '@lessor/events';
import { migrate, newId } from '@lessor/service-kit';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { ledgerMigration } from '../migrations/0001_ledger.ts';
import { DEFAULT_CHART } from '../src/accounts/default-chart.ts';
import { DEFAULT_POSTING_RULES } from '../src/posting-rules/default-rules.ts';
import { activated, aLease, closed, restructured, subjectOf, TYPES } from './events.ts';
import { financeSetups, startWorld, type FinanceWorld } from './harness.ts';

const CLOSED = 'lessor.leasing.contract.closed.v1';
const RESTRUCTURED = 'lessor.leasing.contract.restructured.v1';
const OLD_RESTRUCTURING_LINES = [
  { accountCode: '1200', side: 'debit', amount: '$interestChange' },
  { accountCode: '2300', side: 'credit', amount: '$interestChange' },
];
const lease = aLease({ months: 4, startDate: '2026-01-15' });
const reviewedEventId = randomUUID();

/**
 * The books an earlier release left: migration 0001 and its first start — the chart without 1300, no rule for
 * `contract.closed`, the restructuring rule without its catch-up lines — plus a legal entity opened with an
 * empty chart, one that books restructurings its own way, and a restructuring waiting on the review list.
 */
async function booksOfTheEarlierRelease(database: TestDatabase<unknown>): Promise<void> {
  await migrate(database, [...eventMigrations, ledgerMigration]);
  const db = database.db as Kysely<any>;
  const audit = { createdBy: 'system', updatedBy: 'system' };
  for (const code of ['LESSOR', 'EMPTYCO']) {
    await db
      .insertInto('legalEntities')
      .values({ code, name: code, functionalCurrency: 'EUR', ...audit })
      .execute();
  }
  await db
    .insertInto('accounts')
    .values(
      DEFAULT_CHART.filter((account) => account.code !== '1300').map((account) => ({
        id: newId(),
        legalEntity: 'LESSOR',
        currency: 'EUR',
        ...account,
        ...audit,
      })),
    )
    .execute();
  const rules = DEFAULT_POSTING_RULES.filter((rule) => rule.eventType !== CLOSED).map((rule) =>
    rule.eventType === RESTRUCTURED ? { ...rule, lines: OLD_RESTRUCTURING_LINES } : rule,
  );
  const own = { ...rules.find((rule) => rule.eventType === RESTRUCTURED)!, legalEntity: 'EMPTYCO' };
  await db
    .insertInto('postingRules')
    .values(
      [...rules, own].map((rule) => ({
        id: newId(),
        name: rule.name,
        eventType: rule.eventType,
        legalEntity: rule.legalEntity,
        description: rule.description,
        conditions: JSON.stringify(rule.conditions),
        datePath: rule.datePath,
        entryDescription: rule.entryDescription,
        lines: JSON.stringify(rule.lines),
        ...(rule === own ? { createdBy: 'u-admin', updatedBy: 'u-admin' } : audit),
      })),
    )
    .execute();
  await db
    .insertInto('reviewItems')
    .values({
      id: newId(),
      eventId: reviewedEventId,
      eventType: RESTRUCTURED,
      legalEntity: 'LESSOR',
      envelope: JSON.stringify({
        specversion: '1.0',
        id: reviewedEventId,
        source: '/lessor/leasing',
        type: RESTRUCTURED,
        subject: lease.id,
        time: '2026-03-20T10:00:00.000Z',
        data: restructured(lease, lease.installments, lease.installments[2]!.dueDate, '2026-03-20'),
      }),
      derived: JSON.stringify({ interestChange: '20' }),
      reasonCode: 'PERIOD_CLOSED',
      reason: 'period 2026-03 of LESSOR is closed',
      status: 'open',
    })
    .execute();
}

describe.each(financeSetups())('finance upgrading the books of an earlier release on $backend', (setup) => {
  let world: FinanceWorld;

  beforeAll(async () => {
    world = await startWorld(setup, { prepare: booksOfTheEarlierRelease });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('should open account 1300 where the default chart is, and announce it', async () => {
    const [account] = (await world.call('GET', '/v1/accounts?code=1300')).body.items;
    expect(account).toMatchObject({
      code: '1300',
      currency: 'EUR',
      name: 'Returned assets held for sale',
      type: 'asset',
      createdBy: 'system',
    });
    expect((await world.call('GET', '/v1/accounts?legalEntity=EMPTYCO')).body.items).toEqual([]);
    const [created] = (await world.outbox('lessor.finance.account.created.v1')).filter(
      (event) => event.subject === account.id,
    );
    expect(created).toMatchObject({
      actor: 'system',
      data: { after: { code: '1300', legalEntity: 'LESSOR' } },
    });
  });

  it('should install the close rules and give the installed restructuring rule its catch-up lines', async () => {
    const close = (await world.call('GET', `/v1/posting-rules?eventType=${CLOSED}`)).body.items;
    expect(close.map((rule: any) => [rule.name, rule.lines.length]).sort()).toEqual([
      ['Lease closed with buyout', 0],
      ['Lease closed, asset returned', 2],
    ]);
    const restructuring = (await world.call('GET', `/v1/posting-rules?eventType=${RESTRUCTURED}`)).body.items;
    const installed = restructuring.find((rule: any) => rule.legalEntity === null);
    const own = restructuring.find((rule: any) => rule.legalEntity === 'EMPTYCO');
    expect(installed.lines).toEqual(
      DEFAULT_POSTING_RULES.find((rule) => rule.eventType === RESTRUCTURED)!.lines,
    );
    expect(installed).toMatchObject({ version: 2, updatedBy: 'system' });
    // A rule someone wrote is theirs: it is left as it is.
    expect(own).toMatchObject({ version: 1, lines: OLD_RESTRUCTURING_LINES });
    const [updated] = (await world.outbox('lessor.finance.posting-rule.updated.v1')).filter(
      (event) => event.subject === installed.id,
    );
    expect((updated!.data as any).changed).toEqual(['lines']);
    expect((await world.outbox('lessor.finance.posting-rule.created.v1')).length).toBe(2);
  });

  it('should post a close with the asset returned and retry a restructuring reviewed before the upgrade', async () => {
    const activation = await world.publish(TYPES.activated, lease.id, activated(lease));
    await world.settled(activation.id);
    const data = closed(lease, false);
    const close = await world.publish(TYPES.closed, subjectOf(TYPES.closed, data), data);
    await world.settled(close.id);
    const [entry] = (await world.call('GET', `/v1/entries?sourceEventId=${close.id}`)).body.items;
    expect(entry.lines.map((line: any) => [line.side, line.accountCode, line.amount.amount])).toEqual([
      ['debit', '1300', lease.residualValue],
      ['credit', '1200', lease.residualValue],
    ]);

    const [item] = (await world.call('GET', '/v1/review-items?status=open')).body.items;
    expect(item.derived).toEqual({ interestChange: '20', earnedInterestChange: '0' });
    const retried = await world.call('POST', `/v1/review-items/${item.id}/retry`);
    expect(retried.body).toMatchObject({ status: 'resolved' });
  });
});
