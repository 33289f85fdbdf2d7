import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@lessor/events';
import { kitErrors } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import { EntryRepository } from '../entries/entry.repository.ts';
import { financeErrors } from '../finance.errors.ts';
import type { EventPosting } from '../posting/event-posting.ts';
import type { Ledger } from '../posting/ledger.ts';
import { refusalProblem } from '../posting/refusal-problem.ts';
import { ReviewItemRepository, type ReviewItemRow } from './review-item.repository.ts';
import type { ReviewItemListQuery } from './review-item.schemas.ts';

/**
 * The review list: events finance could not post (no rule, a closed period, a disabled account, an
 * unbalanced result, a missing amount…), each with its reason. Once the cause is fixed, a retry posts it; an
 * event that will never be posted is discarded with a note. Nothing leaves the list silently.
 */
export class ReviewItemService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly posting: EventPosting,
    private readonly ledger: Ledger,
  ) {}

  list(query: ReviewItemListQuery) {
    return new ReviewItemRepository(this.db).search(query);
  }

  async get(id: string): Promise<ReviewItemRow> {
    const item = await new ReviewItemRepository(this.db).find(id);
    if (!item) throw kitErrors.create.NOT_FOUND(`No review item ${id}`);
    return item;
  }

  /**
   * Posts the event again, with the rules and books as they are now (read afresh) and the values derived when
   * it arrived. Posted: the item is resolved with the entry. Refused again: it stays open with the new reason.
   */
  async retry(id: string, actor: string): Promise<ReviewItemRow> {
    this.ledger.invalidate();
    try {
      return await this.db.transaction().execute(async (trx) => {
        const items = new ReviewItemRepository(trx);
        const item = await items.lock(id);
        if (!item) throw kitErrors.create.NOT_FOUND(`No review item ${id}`);
        if (item.status !== 'open') {
          throw financeErrors.create.REVIEW_ITEM_NOT_OPEN(`Review item ${id} is ${item.status}`);
        }
        // Posted by other means meanwhile? The unique source event id would refuse a second entry anyway.
        const existing = await new EntryRepository(trx).bySourceEvent(item.eventId);
        if (existing) return items.resolve(id, existing.id, actor, 'already posted');
        const result = await this.posting.attempt(
          trx,
          item.envelope as EventEnvelope,
          item.derived as Record<string, string>,
          true,
        );
        if (result.outcome === 'review') {
          return items.refusedAgain(id, result.refusal.code, result.refusal.message);
        }
        return items.resolve(
          id,
          result.outcome === 'posted' ? result.entry.entry.id : null,
          actor,
          result.outcome === 'nothing' ? 'every amount was zero: nothing to post' : null,
        );
      });
    } catch (error) {
      throw refusalProblem(error, { lines: '/lines', date: '/date', legalEntity: '/legalEntity' }) ?? error;
    }
  }

  async discard(id: string, note: string, actor: string): Promise<ReviewItemRow> {
    return this.db.transaction().execute(async (trx) => {
      const items = new ReviewItemRepository(trx);
      const item = await items.lock(id);
      if (!item) throw kitErrors.create.NOT_FOUND(`No review item ${id}`);
      if (item.status !== 'open') {
        throw financeErrors.create.REVIEW_ITEM_NOT_OPEN(`Review item ${id} is ${item.status}`);
      }
      return items.discard(id, actor, note);
    });
  }
}
