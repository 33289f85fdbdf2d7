import { Type } from 'typebox';
import { oneOfLiterals } from './literals.ts';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import { BusinessDate, CurrencyCode, DecimalString } from './money.ts';

// The events of finance: every journal entry it posts (the ledger's one fact; integration exports it to outside
// accounting), every accounting period it closes, and the changes of its chart of accounts and posting rules.

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const AccountType = oneOfLiterals(['asset', 'liability', 'equity', 'income', 'expense'], {
  description: 'asset and expense accounts grow by debits; liability, equity and income by credits.',
});

/** What another service may know of an account of the chart. */
export const AccountSnapshot = Type.Object({
  id: Id('The account id.'),
  legalEntity: Type.String({ description: 'The company whose books hold the account.' }),
  code: Type.String({ description: 'The chart code, e.g. `1100`; one account per code and currency.' }),
  currency: CurrencyCode,
  name: Type.String(),
  type: AccountType,
  disabled: Type.Boolean({ description: 'True: nothing can be posted to it.' }),
});

/** What another service may know of a posting rule (the rule as data: which accounts an event moves). */
export const PostingRuleSnapshot = Type.Object({
  id: Id('The rule id.'),
  name: Type.String(),
  eventType: Type.String({ description: 'The event type the rule books.' }),
  legalEntity: Type.Union([Type.String(), Type.Null()], {
    description: 'The one legal entity it applies to; null for all.',
  }),
  conditions: Type.Array(Type.Unknown(), { description: 'All must hold for the rule to apply.' }),
  datePath: Type.String({ description: 'The data field that dates the entry.' }),
  lines: Type.Array(
    Type.Object({
      accountCode: Type.String(),
      side: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
      amount: Type.String({ description: 'A sum/difference of data paths and decimal literals.' }),
    }),
  ),
});

const accountChanges = defineChangeEvents({
  publisher: 'finance',
  entity: 'account',
  snapshot: AccountSnapshot,
  description:
    'An account of a legal entity’s chart, in one currency. Finance opens one itself when a posting needs a code ' +
    'in a currency the chart does not have yet (`created` with actor `system`).',
});

const postingRuleChanges = defineChangeEvents({
  publisher: 'finance',
  entity: 'posting-rule',
  snapshot: PostingRuleSnapshot,
  description: 'A posting rule says which accounts an event type debits and credits, with which amounts.',
});

const EntryLine = Type.Object({
  accountCode: Type.String(),
  accountName: Type.String(),
  currency: CurrencyCode,
  side: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  amount: DecimalString('Always above zero; the side says which way.'),
  counterpartyId: Nullable(Id('The party the line concerns, if any.')),
  contractId: Nullable(Id('The contract the line concerns, if any.')),
});

/** Every event finance publishes, by name. */
export const financeEvents = {
  accountCreated: accountChanges.created,
  accountUpdated: accountChanges.updated,
  accountDeleted: accountChanges.deleted,
  accountRestored: accountChanges.restored,
  postingRuleCreated: postingRuleChanges.created,
  postingRuleUpdated: postingRuleChanges.updated,
  postingRuleDeleted: postingRuleChanges.deleted,
  postingRuleRestored: postingRuleChanges.restored,
  entryPosted: defineEvent({
    type: 'lessor.finance.entry.posted.v1',
    publisher: 'finance',
    subject: 'entryId',
    description:
      'Fires when a journal entry is posted — from an event by a posting rule, by hand, as a reversal, or by ' +
      'income recognition — in the transaction that writes it. Entries never change: a correction is a ' +
      'reversal entry of its own. Integration exports it to outside accounting.',
    data: Type.Object({
      entryId: Id('The journal entry.'),
      legalEntity: Type.String(),
      entryDate: BusinessDate('The business date the entry is booked on (its accounting period’s month).'),
      kind: oneOfLiterals(['event', 'manual', 'reversal', 'income'], {
        description: 'What made it: a posting rule, a person, a reversal, or income recognition.',
      }),
      description: Type.String(),
      sourceEventId: Nullable(Id('The event it was posted from (kind `event`).')),
      sourceEventType: Nullable(Type.String({ description: 'That event’s type.' })),
      reversesEntryId: Nullable(Id('The entry it reverses (kind `reversal`).')),
      lines: Type.Array(EntryLine, { minItems: 2 }),
    }),
  }),
  periodClosed: defineEvent({
    type: 'lessor.finance.period.closed.v1',
    publisher: 'finance',
    subject: 'periodKey',
    description:
      'Fires when an accounting period (a legal entity’s month) is closed: nothing more is posted into it until ' +
      'it is reopened by someone allowed to.',
    data: Type.Object({
      periodKey: Type.String({ description: '`<legalEntity>/<YYYY-MM>`, e.g. `LESSOR/2026-05`.' }),
      legalEntity: Type.String(),
      period: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'The month, `YYYY-MM`.' }),
      closedBy: Type.String({ description: 'Who closed it.' }),
    }),
  }),
};
