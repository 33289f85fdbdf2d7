import type { EventBatchHandler, EventHandler } from '@lessor/events';
import type { FinanceDatabase } from '../database.ts';
import type { EventPosting } from '../posting/event-posting.ts';

/**
 * Every event finance receives (leasing's contract activated, restructured, terminated and closed; billing's
 * invoices, payments, allocations, penalties and credit notes) is posted by its rule, in the consumer's transaction
 * with the inbox row: exactly once. A business refusal puts it on the review list in that same transaction (so it
 * is acked); any other failure throws, and the kit retries, then parks it.
 */
export function onMoneyEvent(posting: EventPosting): EventHandler<FinanceDatabase> {
  return async (event, { trx, log }) => {
    await posting.handle(trx, event, log);
  };
}

/**
 * The same for the events that arrive together (the kit's batch path): their entries in one statement and their
 * `entry.posted` events in one more. If anything throws, the kit undoes the batch and runs `onMoneyEvent` on
 * each event, so one failing event is retried (then parked) alone and the others post.
 */
export function onMoneyEvents(posting: EventPosting): EventBatchHandler<FinanceDatabase> {
  return async (events, { trx }) => {
    await posting.handleBatch(trx, events);
  };
}
