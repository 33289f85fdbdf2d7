import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventMigrations } from '@lessor/events';
import { readOutbox } from '@lessor/events/testing';
import { migrate, newId } from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { ledgerMigration } from '../migrations/0001_ledger.ts';
import { creditNotesMigration } from '../migrations/0003_credit_notes.ts';
import { financeMigrations } from '../migrations/index.ts';
import { DEFAULT_CHART } from '../src/accounts/default-chart.ts';
import { DEFAULT_POSTING_RULES } from '../src/posting-rules/default-rules.ts';
import {
  activated,
  aLease,
  closed,
  creditNoteIssued,
  invoiceIssued,
  restructured,
  EVENTS,
} from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

const CLOSED = 'lessor.leasing.contract.closed.v1';
const RESTRUCTURED = 'lessor.leasing.contract.restructured.v1';
const CREDIT_NOTE = 'lessor.billing.credit-note.issued.v1';
const RULE_CREATED = 'lessor.finance.posting-rule.created.v1';
const OLD_RESTRUCTURING_LINES = [
  { accountCode: '1200', side: 'debit', amount: '$interestChange' },
  { accountCode: '2300', side: 'credit', amount: '$interestChange' },
];
const lease = aLease({ months: 4, startDate: '2026-01-15' });
const reviewedEventId = randomUUID();
const reviewedCreditNote = {
  eventId: randomUUID(),
  data: creditNoteIssued(
    invoiceIssued(lease, 'advance', { fees: '1000.00', vat: '190.00' }, { issueDate: '2026-01-10' }),
    { issueDate: '2026-01-20' },
  ),
};
const DEFAULT_CREDIT_NOTE_RULES = DEFAULT_POSTING_RULES.filter((rule) => rule.eventType === CREDIT_NOTE);

/** What a rule says, without who wrote it when: to compare stored rules with the defaults. */
const definitionOf = (rule: any) => ({
  name: rule.name,
  eventType: rule.eventType,
  legalEntity: rule.legalEntity,
  description: rule.description,
  conditions: rule.conditions,
  datePath: rule.datePath,
  entryDescription: rule.entryDescription,
  lines: rule.lines,
});
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/**
 * The books an earlier release left: migration 0001 and its first start — the chart without 1300, no rule for
 * `contract.closed` nor for `credit-note.issued` (the release before 0002 had neither, and 0002 brought only the
 * first), the restructuring rule without its catch-up lines — plus a legal entity opened with an empty chart,
 * one that books restructurings its own way, a restructuring and a credit note waiting on the review list.
 * `creditNoteRule`: books where someone wrote a rule for credit notes themselves (still there, or deleted).
 */
async function booksOfTheEarlierRelease(
  database: TestDatabase<unknown>,
  creditNoteRule: 'none' | 'own' | 'deleted' = 'none',
): Promise<void> {
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
  const rules = DEFAULT_POSTING_RULES.filter(
    (rule) => rule.eventType !== CLOSED && rule.eventType !== CREDIT_NOTE,
  ).map((rule) => (rule.eventType === RESTRUCTURED ? { ...rule, lines: OLD_RESTRUCTURING_LINES } : rule));
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
  await db
    .insertInto('reviewItems')
    .values({
      id: newId(),
      eventId: reviewedCreditNote.eventId,
      eventType: CREDIT_NOTE,
      legalEntity: 'LESSOR',
      envelope: JSON.stringify({
        specversion: '1.0',
        id: reviewedCreditNote.eventId,
        source: '/lessor/billing',
        type: CREDIT_NOTE,
        subject: reviewedCreditNote.data.creditNoteId,
        time: '2026-01-20T10:00:00.000Z',
        data: reviewedCreditNote.data,
      }),
      derived: JSON.stringify({}),
      reasonCode: 'NO_MATCHING_RULE',
      reason: `no posting rule for ${CREDIT_NOTE}`,
      status: 'open',
    })
    .execute();
  if (creditNoteRule !== 'none') {
    await db
      .insertInto('postingRules')
      .values({
        id: newId(),
        name: 'Credit notes, our way',
        eventType: CREDIT_NOTE,
        legalEntity: 'LESSOR',
        description: 'Everything against fee income.',
        conditions: JSON.stringify([]),
        datePath: 'issueDate',
        entryDescription: 'Credit note {number}',
        lines: JSON.stringify([
          { accountCode: '4100', side: 'debit', amount: 'amounts.total' },
          { accountCode: '2200', side: 'credit', amount: 'amounts.total' },
        ]),
        createdBy: 'u-admin',
        updatedBy: 'u-admin',
        ...(creditNoteRule === 'deleted'
          ? { version: 2, deletedAt: new Date().toISOString(), deletedBy: 'u-admin' }
          : {}),
      })
      .execute();
  }
}

/** Every stored rule for credit notes, deleted ones too, as the table holds it. */
async function creditNoteRuleRows(database: TestDatabase<unknown>) {
  return (database.db as Kysely<any>)
    .selectFrom('postingRules')
    .selectAll()
    .where('eventType', '=', CREDIT_NOTE)
    .orderBy('name')
    .execute();
}

describe.each(financeSetups())('finance upgrading the books of an earlier release on $backend', (setup) => {
  let world: FinanceWorld;
  /** A user who may do anything in finance. */
  let admin: string;

  beforeAll(async () => {
    world = await startFinance(setup, { prepare: booksOfTheEarlierRelease });
    admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('should open account 1300 where the default chart is, and announce it', async () => {
    const [account] = (await world.call('GET', '/v1/accounts?code=1300', admin)).body.items;
    expect(account).toMatchObject({
      code: '1300',
      currency: 'EUR',
      name: 'Returned assets held for sale',
      type: 'asset',
      createdBy: 'system',
    });
    expect((await world.call('GET', '/v1/accounts?legalEntity=EMPTYCO', admin)).body.items).toEqual([]);
    const [created] = (await world.outbox('lessor.finance.account.created.v1')).filter(
      (event) => event.subject === account.id,
    );
    expect(created).toMatchObject({
      actor: 'system',
      data: { after: { code: '1300', legalEntity: 'LESSOR' } },
    });
  });

  it('should install the close rules and give the installed restructuring rule its catch-up lines', async () => {
    const close = (await world.call('GET', `/v1/posting-rules?eventType=${CLOSED}`, admin)).body.items;
    expect(close.map((rule: any) => [rule.name, rule.lines.length]).sort()).toEqual([
      ['Lease closed with buyout', 0],
      ['Lease closed, asset returned', 2],
    ]);
    const restructuring = (await world.call('GET', `/v1/posting-rules?eventType=${RESTRUCTURED}`, admin)).body
      .items;
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
    const created = await world.outbox(RULE_CREATED);
    expect(created.filter((event) => (event.data as any).after.eventType === CLOSED)).toHaveLength(2);
  });

  it('should install the three credit-note rules once, as the defaults read them, and announce each', async () => {
    const stored = await creditNoteRuleRows(world.database);
    expect(stored).toHaveLength(3);
    // Against today's defaults: fails when they change, on purpose — books upgraded by 0003 then need a
    // migration of their own for that change (0003 itself is never edited).
    expect(stored.map(definitionOf).sort(byName)).toEqual(
      DEFAULT_CREDIT_NOTE_RULES.map(definitionOf).sort(byName),
    );
    expect(stored.every((rule) => rule.createdBy === 'system' && rule.version === 1)).toBe(true);
    expect(stored.every((rule) => rule.deletedAt === null)).toBe(true);
    // As the API reads them, which is what postings use.
    const listed = (await world.call('GET', `/v1/posting-rules?eventType=${CREDIT_NOTE}`, admin)).body.items;
    expect(listed.map(definitionOf).sort(byName)).toEqual(
      DEFAULT_CREDIT_NOTE_RULES.map(definitionOf).sort(byName),
    );

    const announced = (await world.outbox(RULE_CREATED)).filter(
      (event) => (event.data as any).after.eventType === CREDIT_NOTE,
    );
    expect(announced.map((event) => event.subject).sort()).toEqual(stored.map((rule) => rule.id).sort());
    for (const event of announced) {
      const rule = stored.find((row) => row.id === event.subject)!;
      expect(event).toMatchObject({ actor: 'system' });
      expect(event.data).toEqual({
        entityType: 'posting-rule',
        entityId: rule.id,
        before: null,
        after: {
          id: rule.id,
          name: rule.name,
          eventType: CREDIT_NOTE,
          legalEntity: null,
          conditions: rule.conditions,
          datePath: 'issueDate',
          lines: rule.lines,
        },
        changed: expect.arrayContaining(['name', 'lines', 'conditions']),
      });
    }
  });

  it('should post credit notes by the installed rules, and one reviewed before the upgrade on retry', async () => {
    const linesOf = async (eventId: string) => {
      const [entry] = (await world.call('GET', `/v1/entries?sourceEventId=${eventId}`, admin)).body.items;
      return entry.lines.map((line: any) => [line.side, line.accountCode, line.amount.amount]);
    };
    const first = lease.installments[0]!;
    const onInstallment = creditNoteIssued(
      invoiceIssued(
        lease,
        'installment',
        { principal: first.principal, interest: first.interest, vat: first.vat },
        { issueDate: first.dueDate, installment: 1 },
      ),
    );
    const onFee = creditNoteIssued(invoiceIssued(lease, 'fee', { fees: '50.00', vat: '9.50' }), {
      issueDate: '2026-02-03',
      appliedToInvoice: '0.00',
    });
    const published = [
      await world.publish(EVENTS.creditNoteIssued, onInstallment),
      await world.publish(EVENTS.creditNoteIssued, onFee),
    ];
    for (const event of published) await world.handled(event);
    expect(await linesOf(published[0]!.id)).toEqual([
      ['debit', '1200', new Decimal(first.principal).plus(first.interest).toFixed(2)],
      ['debit', '2100', first.vat],
      ['credit', '2200', onInstallment.amounts.total],
    ]);
    expect(await linesOf(published[1]!.id)).toEqual([
      ['debit', '4100', '50.00'],
      ['debit', '2100', '9.50'],
      ['credit', '2200', '59.50'],
    ]);

    // The migration posts nothing: the credit note that waited stays on the list until someone retries it.
    const [item] = (
      await world.call('GET', `/v1/review-items?status=open&eventId=${reviewedCreditNote.eventId}`, admin)
    ).body.items;
    expect(item).toMatchObject({ reasonCode: 'NO_MATCHING_RULE', attempts: 1, entryId: null });
    const retried = await world.call('POST', `/v1/review-items/${item.id}/retry`, admin);
    expect(retried.body).toMatchObject({ status: 'resolved', resolvedBy: expect.any(String) });
    expect(await linesOf(reviewedCreditNote.eventId)).toEqual([
      ['debit', '2000', '1000.00'],
      ['debit', '2100', '190.00'],
      ['credit', '2200', '1190.00'],
    ]);
  });

  it('should post a close with the asset returned and retry a restructuring reviewed before the upgrade', async () => {
    const activation = await world.publish(EVENTS.activated, activated(lease));
    await world.handled(activation);
    const data = closed(lease, false);
    const close = await world.publish(EVENTS.closed, data);
    await world.handled(close);
    const [entry] = (await world.call('GET', `/v1/entries?sourceEventId=${close.id}`, admin)).body.items;
    expect(entry.lines.map((line: any) => [line.side, line.accountCode, line.amount.amount])).toEqual([
      ['debit', '1300', lease.residualValue],
      ['credit', '1200', lease.residualValue],
    ]);

    const [item] = (await world.call('GET', `/v1/review-items?status=open&eventType=${RESTRUCTURED}`, admin))
      .body.items;
    expect(item.derived).toEqual({ interestChange: '20', earnedInterestChange: '0' });
    const retried = await world.call('POST', `/v1/review-items/${item.id}/retry`, admin);
    expect(retried.body).toMatchObject({ status: 'resolved' });
  });

  it('should change nothing when the migrations run again', async () => {
    const db = world.database.db as Kysely<any>;
    const state = async () => ({
      rules: await db.selectFrom('postingRules').selectAll().orderBy('id').execute(),
      accounts: await db.selectFrom('accounts').selectAll().orderBy('id').execute(),
      reviewItems: await db.selectFrom('reviewItems').selectAll().orderBy('id').execute(),
      announced: (await world.outbox()).length,
    });
    const before = await state();
    expect(await migrate(world.database, [...eventMigrations, ...financeMigrations])).toEqual({
      applied: [],
    });
    // Even run again by hand (as if its record were lost), 0003 finds rules for credit notes and writes none.
    await db.transaction().execute((trx) => creditNotesMigration.up(trx));
    expect(await state()).toEqual(before);
  });
});

describe.each(financeSetups())(
  'finance upgrading books that settled credit notes themselves on $backend',
  (setup) => {
    const upgraded = async (creditNoteRule: 'own' | 'deleted' | null) => {
      const database = await createTestDatabase<unknown>(setup.backend, { schema: 'finance' });
      if (creditNoteRule) await booksOfTheEarlierRelease(database, creditNoteRule);
      await migrate(database, [...eventMigrations, ...financeMigrations]);
      return database;
    };
    const creditNoteRulesAnnounced = async (database: TestDatabase<unknown>) =>
      (await readOutbox(database.db, { type: RULE_CREATED })).filter(
        (event) => (event.data as any).after.eventType === CREDIT_NOTE,
      );

    it.each(['own', 'deleted'] as const)(
      'should leave credit notes alone when someone wrote a rule for them (%s)',
      async (creditNoteRule) => {
        const database = await upgraded(creditNoteRule);
        try {
          const [rule, ...others] = await creditNoteRuleRows(database);
          expect(others).toEqual([]);
          expect(rule).toMatchObject({
            name: 'Credit notes, our way',
            legalEntity: 'LESSOR',
            createdBy: 'u-admin',
            version: creditNoteRule === 'deleted' ? 2 : 1,
          });
          expect(rule!.deletedAt === null).toBe(creditNoteRule === 'own');
          expect(await creditNoteRulesAnnounced(database)).toEqual([]);
          // The rest of the upgrade still ran: 0002's close rules are there.
          expect(await readOutbox(database.db, { type: RULE_CREATED })).toHaveLength(2);
        } finally {
          await database.dispose();
        }
      },
    );

    it('should write no rule where the default rules were never installed, so first start installs them all', async () => {
      const database = await upgraded(null);
      try {
        expect(await (database.db as Kysely<any>).selectFrom('postingRules').select('id').execute()).toEqual(
          [],
        );
        expect(await creditNoteRulesAnnounced(database)).toEqual([]);
      } finally {
        await database.dispose();
      }
    });
  },
);
