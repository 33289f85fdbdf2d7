import { sql } from 'kysely';
import { assertEventData, changedFields } from '@lessor/event-catalog';
import { createOutbox } from '@lessor/events';
import { newId, type Migration } from '@lessor/service-kit';

// The credit-note rules as the defaults read when this migration was written, written out here: a migration is
// never edited, so it must not follow the defaults of later releases (src/posting-rules/default-rules.ts).

const CREDIT_NOTE_ISSUED = 'lessor.billing.credit-note.issued.v1';

const line = (accountCode: string, side: 'debit' | 'credit', amount: string) => ({
  accountCode,
  side,
  amount,
});

const CREDIT_NOTE_RULES = [
  {
    name: 'Credit note on an installment, termination or buyout invoice',
    description:
      'The credited principal and interest go back to the lease receivable (the schedule still holds them), the ' +
      'VAT is no longer owed, credited fees are no longer income; the client is owed the total as credit.',
    conditions: [{ path: 'invoiceKind', op: 'in', value: ['installment', 'termination', 'buyout'] }],
    entryDescription: 'Credit note {number} on invoice {invoiceNumber}',
    lines: [
      line('1200', 'debit', 'amounts.principal + amounts.interest'),
      line('2100', 'debit', 'amounts.vat'),
      line('4100', 'debit', 'amounts.fees'),
      line('2200', 'credit', 'amounts.total'),
    ],
  },
  {
    name: 'Credit note on an advance invoice',
    description:
      'Less advance paid for the supplier: the supplier is owed that much less, the client is credited.',
    conditions: [{ path: 'invoiceKind', op: 'equals', value: 'advance' }],
    entryDescription: 'Credit note {number} on invoice {invoiceNumber} (advance)',
    lines: [
      line('2000', 'debit', 'amounts.fees'),
      line('2100', 'debit', 'amounts.vat'),
      line('2200', 'credit', 'amounts.total'),
    ],
  },
  {
    name: 'Credit note on a fee invoice',
    description: 'A fee taken back: fee income and its VAT reversed, the client credited.',
    conditions: [{ path: 'invoiceKind', op: 'equals', value: 'fee' }],
    entryDescription: 'Credit note {number} on invoice {invoiceNumber} (fee)',
    lines: [
      line('4100', 'debit', 'amounts.fees'),
      line('2100', 'debit', 'amounts.vat'),
      line('2200', 'credit', 'amounts.total'),
    ],
  },
];

/**
 * The credit-note rules for books opened before them (a new database gets them from the defaults at first
 * start; here no rule exists yet, and none is written, so first start still installs the whole set): the three
 * rules for `credit-note.issued`, where the default rules were installed and no rule for that type was ever
 * written (a deleted one counts: its absence was chosen). Each is announced as the service announces it (a
 * change event with actor `system`), in this migration's transaction: the relay publishes them once the
 * service runs.
 *
 * Credit notes that arrived meanwhile wait on the review list (`NO_MATCHING_RULE`) and are left there: a retry
 * reads the rules afresh and posts them by these (they need nothing derived), so an admin retries them and sees
 * each result — a credit note dated in a month closed since stays open as `PERIOD_CLOSED`.
 */
export const creditNotesMigration: Migration = {
  name: '0003_credit_notes',
  async up(db) {
    const rules = await sql<{ eventType: string }>`
      select event_type as "eventType" from posting_rules`.execute(db);
    if (rules.rows.length === 0 || rules.rows.some((row) => row.eventType === CREDIT_NOTE_ISSUED)) return;

    const outbox = createOutbox({ service: 'finance' });
    for (const rule of CREDIT_NOTE_RULES) {
      const after = {
        id: newId(),
        name: rule.name,
        eventType: CREDIT_NOTE_ISSUED,
        legalEntity: null,
        conditions: rule.conditions,
        datePath: 'issueDate',
        lines: rule.lines,
      };
      await sql`insert into posting_rules
          (id, name, event_type, legal_entity, description, conditions, date_path, entry_description, lines,
           created_by, updated_by)
        values (${after.id}, ${after.name}, ${CREDIT_NOTE_ISSUED}, null, ${rule.description},
                ${JSON.stringify(rule.conditions)}::jsonb, ${after.datePath}, ${rule.entryDescription},
                ${JSON.stringify(rule.lines)}::jsonb, 'system', 'system')`.execute(db);
      const type = 'lessor.finance.posting-rule.created.v1';
      const data = {
        entityType: 'posting-rule',
        entityId: after.id,
        before: null,
        after,
        changed: changedFields(null, after),
      };
      assertEventData(type, data);
      await outbox.add(db, { type, subject: after.id, data, actor: 'system' });
    }
  },
};
