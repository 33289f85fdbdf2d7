import { financeEvents, type EventDataOf } from '@lessor/event-catalog';
import type { EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { AccountRow } from './accounts/account.repository.ts';
import type { PostedEntry } from './entries/entry.repository.ts';
import type { PostingRuleRow } from './posting-rules/posting-rule.repository.ts';

type Action = 'created' | 'updated' | 'deleted' | 'restored';

/** What another service may know of an account (the catalogue's AccountSnapshot). */
export function accountSnapshot(account: AccountRow) {
  return {
    id: account.id,
    legalEntity: account.legalEntity,
    code: account.code,
    currency: account.currency,
    name: account.name,
    type: account.type,
    disabled: account.disabled,
  };
}

/** What another service may know of a posting rule (the catalogue's PostingRuleSnapshot). */
export function postingRuleSnapshot(rule: PostingRuleRow) {
  return {
    id: rule.id,
    name: rule.name,
    eventType: rule.eventType,
    legalEntity: rule.legalEntity,
    conditions: rule.conditions as unknown[],
    datePath: rule.datePath,
    lines: rule.lines as { accountCode: string; side: 'debit' | 'credit'; amount: string }[],
  };
}

/** Any event finance publishes itself (its change events go through `publishChange`). */
type FinanceEvent = (typeof financeEvents)[keyof typeof financeEvents];

/** `finance.entry.posted` of an entry, announced by whoever made it. */
function entryPosted({ entry, lines }: PostedEntry) {
  const data: EventDataOf<typeof financeEvents.entryPosted> = {
    entryId: entry.id,
    legalEntity: entry.legalEntity,
    entryDate: entry.entryDate,
    kind: entry.kind,
    description: entry.description,
    sourceEventId: entry.sourceEventId,
    sourceEventType: entry.sourceEventType,
    reversesEntryId: entry.reversesEntryId,
    lines: lines.map((line) => ({
      accountCode: line.accountCode,
      accountName: line.accountName,
      currency: line.currency,
      side: line.side,
      amount: line.amount,
      counterpartyId: line.counterpartyId,
      contractId: line.contractId,
    })),
  };
  return { actor: entry.createdBy, data };
}

/**
 * finance's publishing, always inside the transaction of the change: its own events typed by their catalogue
 * definitions, the entries it posts (many at once), and the changes of accounts and posting rules.
 */
export class FinanceEvents {
  constructor(private readonly events: ServiceEvents) {}

  /** Publishes one of finance's events: `publish(trx, financeEvents.periodClosed, { data, actor })`. */
  publish<Definition extends FinanceEvent>(
    trx: EventTransaction,
    definition: Definition,
    event: { data: EventDataOf<Definition>; actor?: string },
  ) {
    return this.events.publish(trx, definition, event);
  }

  /** `finance.entry.posted` for each entry, in the order given, in one statement; the actor made the entry. */
  entriesPosted(trx: EventTransaction, posted: readonly PostedEntry[]) {
    return this.events.publishMany(trx, financeEvents.entryPosted, posted.map(entryPosted));
  }

  accountChanged(
    trx: EventTransaction,
    action: Action,
    before: AccountRow | null,
    after: AccountRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'account',
      action,
      entityId: after.id,
      before: before && accountSnapshot(before),
      after: accountSnapshot(after),
      ...(actor ? { actor } : {}),
    });
  }

  postingRuleChanged(
    trx: EventTransaction,
    action: Action,
    before: PostingRuleRow | null,
    after: PostingRuleRow,
    actor?: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'posting-rule',
      action,
      entityId: after.id,
      before: before && postingRuleSnapshot(before),
      after: postingRuleSnapshot(after),
      ...(actor ? { actor } : {}),
    });
  }
}
