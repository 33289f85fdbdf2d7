import { sql } from 'kysely';
import { assertEventData, changedFields } from '@lessor/event-catalog';
import { createOutbox } from '@lessor/events';
import { newId, type Migration } from '@lessor/service-kit';

// What this release adds to the defaults, written out here: a migration is never edited, so it must not follow
// the defaults of later releases (src/accounts/default-chart.ts, src/posting-rules/default-rules.ts).

const CLOSED = 'lessor.leasing.contract.closed.v1';
const RESTRUCTURED = 'lessor.leasing.contract.restructured.v1';
const RETURNED_ASSETS = { code: '1300', name: 'Returned assets held for sale', type: 'asset' } as const;

const line = (accountCode: string, side: 'debit' | 'credit', amount: string) => ({
  accountCode,
  side,
  amount,
});

/** The restructuring rule as 0001's first start installed it, and as it reads now. */
const RESTRUCTURED_BEFORE = [
  line('1200', 'debit', '$interestChange'),
  line('2300', 'credit', '$interestChange'),
];
const RESTRUCTURED_AFTER = {
  description:
    'A new schedule from a date: the interest still to be billed changes by the difference, in the lease ' +
    'receivable and in the unearned income (a negative difference books the other way). When the date is in ' +
    'the past, the difference on installments whose income was recognised already is earned (or given back) ' +
    'at once, so the unearned income holds exactly the new schedule’s interest not yet earned.',
  lines: [
    ...RESTRUCTURED_BEFORE,
    line('2300', 'debit', '$earnedInterestChange'),
    line('4000', 'credit', '$earnedInterestChange'),
  ],
};

const CLOSE_RULES = [
  {
    name: 'Lease closed, asset returned',
    description:
      'The term has run and the lessee gives the asset back: what is left of the gross investment once every ' +
      'installment is billed, the residual value booked on activation, leaves the lease receivable and becomes ' +
      'the returned asset, held for sale. Its interest is the installments’ (recognised as they fall due), so ' +
      'no unearned income is left to move.',
    conditions: [{ path: 'buyout', op: 'equals', value: false }],
    entryDescription: 'Contract {contract.number} closed, asset returned',
    lines: [
      line('1300', 'debit', 'contract.residualValue'),
      line('1200', 'credit', 'contract.residualValue'),
    ],
  },
  {
    name: 'Lease closed with buyout',
    description:
      'The lessee buys the asset: billing’s buyout invoice bills the residual value (its rule takes it off the ' +
      'lease receivable), so the close itself posts nothing. A rule without lines says so: the event is ' +
      'acknowledged, not put on review.',
    conditions: [{ path: 'buyout', op: 'equals', value: true }],
    entryDescription: 'Contract {contract.number} closed, asset bought out',
    lines: [],
  },
];

interface RuleRow {
  id: string;
  name: string;
  eventType: string;
  legalEntity: string | null;
  conditions: unknown[];
  datePath: string;
  lines: { accountCode: string; side: 'debit' | 'credit'; amount: string }[];
}

const ruleSnapshot = (rule: RuleRow) => ({
  id: rule.id,
  name: rule.name,
  eventType: rule.eventType,
  legalEntity: rule.legalEntity,
  conditions: rule.conditions,
  datePath: rule.datePath,
  lines: rule.lines,
});

/**
 * Closing a lease with the asset returned, and restructurings dated in the past, for books opened by an
 * earlier release (a new database gets all of it from the defaults at first start; here nothing exists yet):
 * - account 1300 "Returned assets held for sale" in each legal entity whose chart has the default lease
 *   receivable (1200) and no 1300 of any kind;
 * - the two rules for `contract.closed`, where the default rules were installed and no rule for it was ever
 *   written (a deleted one counts: its absence was chosen);
 * - the restructuring rule's catch-up lines (`$earnedInterestChange`), only on the rule first start installed
 *   (by `system`, for every legal entity) and only while its lines are still those it was installed with;
 * - open review items of restructurings, kept with what was derived then, get `earnedInterestChange` 0: what
 *   finance posted for them before (a retry would otherwise miss the value).
 * Each change is announced as the service announces it (a change event with actor `system`), in this
 * migration's transaction: the relay publishes them once the service runs.
 */
export const leaseEndMigration: Migration = {
  name: '0002_lease_end',
  async up(db) {
    const entities = await sql<{ code: string; functionalCurrency: string }>`
      select code, functional_currency as "functionalCurrency" from legal_entities order by code`.execute(db);
    if (entities.rows.length === 0) return;
    const outbox = createOutbox({ service: 'finance' });
    const announce = async (
      entity: 'account' | 'posting-rule',
      action: 'created' | 'updated',
      before: object | null,
      after: object & { id: string },
    ) => {
      const type = `lessor.finance.${entity}.${action}.v1`;
      const data = {
        entityType: entity,
        entityId: after.id,
        before,
        after,
        changed: changedFields(before, after),
      };
      assertEventData(type, data);
      await outbox.add(db, { type, subject: after.id, data, actor: 'system' });
    };

    for (const entity of entities.rows) {
      const codes = await sql<{ code: string; live: boolean }>`
        select code, (deleted_at is null) as live from accounts
        where legal_entity = ${entity.code} and code in ('1200', ${RETURNED_ASSETS.code})`.execute(db);
      const hasReceivable = codes.rows.some((row) => row.code === '1200' && row.live);
      const hasReturned = codes.rows.some((row) => row.code === RETURNED_ASSETS.code);
      if (!hasReceivable || hasReturned) continue;
      const account = {
        id: newId(),
        legalEntity: entity.code,
        code: RETURNED_ASSETS.code,
        currency: entity.functionalCurrency,
        name: RETURNED_ASSETS.name,
        type: RETURNED_ASSETS.type,
        disabled: false,
      };
      await sql`insert into accounts (id, legal_entity, code, currency, name, type, created_by, updated_by)
        values (${account.id}, ${account.legalEntity}, ${account.code}, ${account.currency}, ${account.name},
                ${account.type}, 'system', 'system')`.execute(db);
      await announce('account', 'created', null, account);
    }

    const rules = await sql<{
      eventType: string;
    }>`select event_type as "eventType" from posting_rules`.execute(db);
    if (rules.rows.length > 0 && !rules.rows.some((row) => row.eventType === CLOSED)) {
      for (const rule of CLOSE_RULES) {
        const row: RuleRow = {
          id: newId(),
          name: rule.name,
          eventType: CLOSED,
          legalEntity: null,
          conditions: rule.conditions,
          datePath: 'businessDate',
          lines: rule.lines as RuleRow['lines'],
        };
        await sql`insert into posting_rules
            (id, name, event_type, legal_entity, description, conditions, date_path, entry_description, lines,
             created_by, updated_by)
          values (${row.id}, ${row.name}, ${CLOSED}, null, ${rule.description}, ${JSON.stringify(rule.conditions)}::jsonb,
                  ${row.datePath}, ${rule.entryDescription}, ${JSON.stringify(rule.lines)}::jsonb, 'system', 'system')`.execute(
          db,
        );
        await announce('posting-rule', 'created', null, ruleSnapshot(row));
      }
    }

    const installed = await sql<RuleRow>`
      select id, name, event_type as "eventType", legal_entity as "legalEntity", conditions,
             date_path as "datePath", lines
      from posting_rules
      where event_type = ${RESTRUCTURED} and deleted_at is null and legal_entity is null
        and created_by = 'system' and lines = ${JSON.stringify(RESTRUCTURED_BEFORE)}::jsonb
      for update`.execute(db);
    for (const before of installed.rows) {
      await sql`update posting_rules
        set lines = ${JSON.stringify(RESTRUCTURED_AFTER.lines)}::jsonb, description = ${RESTRUCTURED_AFTER.description},
            version = version + 1, updated_at = now(), updated_by = 'system'
        where id = ${before.id}`.execute(db);
      await announce(
        'posting-rule',
        'updated',
        ruleSnapshot(before),
        ruleSnapshot({ ...before, lines: RESTRUCTURED_AFTER.lines }),
      );
    }

    await sql`update review_items
      set derived = derived || '{"earnedInterestChange": "0"}'::jsonb, updated_at = now()
      where event_type = ${RESTRUCTURED} and status = 'open' and not (derived ? 'earnedInterestChange')`.execute(
      db,
    );
  },
};
