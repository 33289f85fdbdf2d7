import type { ServiceContext } from '@lessor/service-kit';
import type { PartiesConfig } from './config.ts';
import type { PartiesDatabase } from './database.ts';
import { PartiesEvents } from './parties.events.ts';
import { registerPartyRoutes } from './parties/party.routes.ts';
import { PartyService } from './parties/party.service.ts';

/** What parties is built from: everything constructed by the kit (`partiesService` in parties.service.ts). */
export type PartiesContext = ServiceContext<PartiesConfig, PartiesDatabase, never, object>;

/** Builds parties: the companies and people Lessor deals with, their tax ids, addresses, contacts and KYC status. */
export async function buildParties({ app, db, events, config }: PartiesContext): Promise<void> {
  registerPartyRoutes(app, new PartyService(db, new PartiesEvents(events)), {
    summaryMaxAgeSeconds: config.PARTIES_SUMMARY_MAX_AGE_SECONDS,
  });
}
