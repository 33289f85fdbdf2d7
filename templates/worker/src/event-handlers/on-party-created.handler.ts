import { partiesEvents } from '@lessor/event-catalog';
import type { EventHandlers } from '@lessor/service-kit';
import type { __Name__Database } from '../database.ts';

/** The events __name__ consumes (its definition lists the same). */
export const partyEvents = [partiesEvents.partyCreated] as const;

/**
 * A new party is learned: its name and country, waiting for the next digest. The handler runs in the consumer's
 * transaction with the inbox row, so an event delivered twice is applied once; a plain insert, not an upsert, so
 * that a second application would fail loudly instead of passing unseen.
 */
export function onPartyEvents(): EventHandlers<typeof partyEvents, __Name__Database> {
  return {
    [partiesEvents.partyCreated.type]: async (event, { trx }) => {
      const party = event.data.after;
      await trx
        .insertInto('learnedParties')
        .values({ partyId: party.id, name: party.name, country: party.country, digestId: null })
        .execute();
    },
  };
}
