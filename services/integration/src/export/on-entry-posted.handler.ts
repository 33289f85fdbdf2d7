import { financeEvents } from '@lessor/event-catalog';
import type { EventHandlers } from '@lessor/service-kit';
import type { IntegrationDatabase } from '../database.ts';
import type { ExportService } from './export.service.ts';

/** What the export consumes: finance's posted journal entries, and nothing else feeds it. */
export const exportEvents = [financeEvents.entryPosted] as const;

/**
 * Finance's `entry.posted` keeps the entry and its lines as pending, in the consumer's transaction with the inbox
 * row (once per event) and keyed by the entry id (once per entry); the sender job sends it later — the handler
 * makes no outside call, so an accounting system down never holds finance's events up.
 */
export function onEntryPosted(
  exports: ExportService,
): EventHandlers<typeof exportEvents, IntegrationDatabase> {
  return {
    [financeEvents.entryPosted.type]: async (event, { trx, log }) => {
      const kept = await exports.record(trx, event);
      if (!kept)
        log.info({ entryId: event.data.entryId }, 'journal entry kept for export already; nothing to do');
    },
  };
}
