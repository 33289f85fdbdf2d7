import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@lessor/events';
import type { Logger } from 'pino';
import type { FinanceDatabase } from '../database.ts';
import { PostingRefusal, type Refusal } from '../entries/entry.ts';
import type { PostedEntry } from '../entries/entry.repository.ts';
import type { LeaseBook } from '../leases/lease-book.ts';
import { draftFromRule, eventFacts, matchingRules } from '../posting-rules/posting-rule.ts';
import { ReviewItemRepository } from '../review/review-item.repository.ts';
import type { CheckedEntry, Ledger } from './ledger.ts';

/** How an event fared: posted, nothing to post (every amount zero), or put on the review list. */
export type EventOutcome =
  | { outcome: 'posted'; entry: PostedEntry }
  | { outcome: 'nothing' }
  | { outcome: 'review'; refusal: Refusal };

/** An event's entry before it is written: checked, nothing to post, or refused. */
type Decision =
  | { outcome: 'checked'; entry: CheckedEntry }
  | { outcome: 'nothing' }
  | { outcome: 'review'; refusal: Refusal };

/**
 * Turns an event into a journal entry by the posting rules. Runs in the consumer's transaction with the
 * inbox row: the entry (or the review item) commits with the event's id, so the event is posted exactly
 * once — and the unique source event id of entries refuses a second posting whatever happens.
 */
export class EventPosting {
  constructor(
    private readonly ledger: Ledger,
    private readonly leases: LeaseBook,
  ) {}

  /** The consumer's handler: keep the lease copy up to date, then post or put on review. Never drops. */
  async handle(trx: Kysely<FinanceDatabase>, event: EventEnvelope, log?: Logger): Promise<EventOutcome> {
    return (await this.handleBatch(trx, [{ event, log }]))[0]!;
  }

  /**
   * `handle` for several events at once, in order: each one's lease copy and checks in turn (a refused one goes
   * on the review list as it would alone), then every entry that passed in one statement and their
   * `entry.posted` events in one more. What an event reads was written by those before it, as one by one:
   * postings never change what the lease copy or the checks read (accounts opened for a line are read again).
   */
  async handleBatch(
    trx: Kysely<FinanceDatabase>,
    events: readonly { event: EventEnvelope; log?: Logger | undefined }[],
  ): Promise<EventOutcome[]> {
    const outcomes: (EventOutcome | CheckedEntry)[] = [];
    for (const { event, log } of events) {
      const derived = await this.leases.apply(trx, event);
      const decision = await this.#decide(trx, event, derived, false);
      if (decision.outcome === 'review') {
        await new ReviewItemRepository(trx).record({
          event,
          legalEntity: eventFacts(event.data).legalEntity ?? null,
          derived,
          reasonCode: decision.refusal.code,
          reason: decision.refusal.message,
        });
        log?.warn(
          { reasonCode: decision.refusal.code, reason: decision.refusal.message },
          'event put on review',
        );
        outcomes.push(decision);
      } else if (decision.outcome === 'nothing') {
        log?.info('every amount of the matching rule is zero: nothing to post');
        outcomes.push(decision);
      } else {
        outcomes.push(decision.entry);
      }
    }
    const checked = outcomes.filter((outcome): outcome is CheckedEntry => !('outcome' in outcome));
    const posted = await this.ledger.write(trx, checked);
    let next = 0;
    return outcomes.map((outcome) =>
      'outcome' in outcome ? outcome : { outcome: 'posted', entry: posted[next++]! },
    );
  }

  /** Posts the event by its rule; a business refusal is returned (nothing written), anything else thrown. */
  async attempt(
    trx: Kysely<FinanceDatabase>,
    event: EventEnvelope,
    derived: Readonly<Record<string, string>>,
    fresh: boolean,
  ): Promise<EventOutcome> {
    const decision = await this.#decide(trx, event, derived, fresh);
    if (decision.outcome !== 'checked') return decision;
    return { outcome: 'posted', entry: (await this.ledger.write(trx, [decision.entry]))[0]! };
  }

  /**
   * The event's entry by its rule, checked but not written. A refusal — no rule or several apply, the rule
   * finds no amount, the ledger's checks refuse the entry — is returned as a value; anything else is thrown.
   */
  async #decide(
    trx: Kysely<FinanceDatabase>,
    event: EventEnvelope,
    derived: Readonly<Record<string, string>>,
    fresh: boolean,
  ): Promise<Decision> {
    const facts = eventFacts(event.data);
    const rules = await this.ledger.rules(trx, event.type, fresh);
    const matching = matchingRules(rules, event.data, facts.legalEntity ?? '');
    if (matching.length !== 1)
      return { outcome: 'review', refusal: ruleChoiceRefusal(event.type, rules, matching) };
    const made = draftFromRule(matching[0]!, event, derived);
    if (made.outcome === 'refused') return { outcome: 'review', refusal: made.refusal };
    if (made.outcome === 'nothing') return made;
    try {
      return {
        outcome: 'checked',
        entry: await this.ledger.check(trx, made.draft, event.actor ?? 'system', { fresh }),
      };
    } catch (error) {
      // The ledger throws its refusals: manual entries reach the same checks through routes (refusalProblem).
      if (error instanceof PostingRefusal) return { outcome: 'review', refusal: error };
      throw error;
    }
  }
}

/** Why not exactly one rule applies to an event: none (or none for its type at all), or several. */
function ruleChoiceRefusal(
  eventType: string,
  rules: readonly { name: string }[],
  matching: readonly { name: string }[],
): Refusal {
  if (matching.length === 0) {
    return {
      code: 'NO_MATCHING_RULE',
      message:
        rules.length === 0
          ? `no posting rule for ${eventType}`
          : `none of the ${rules.length} rule(s) for ${eventType} applies to this event`,
      lines: [],
    };
  }
  return {
    code: 'AMBIGUOUS_RULES',
    message: `${matching.length} rules apply (${matching.map((rule) => `“${rule.name}”`).join(', ')}); exactly one must`,
    lines: [],
  };
}
