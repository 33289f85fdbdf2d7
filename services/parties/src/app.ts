import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import { partiesMigrations } from '../migrations/index.ts';
import type { PartiesConfig } from './config.ts';
import type { PartiesDatabase } from './database.ts';
import { PartiesEvents } from './parties.events.ts';
import { registerPartyRoutes } from './parties/party.routes.ts';
import { PartyService } from './parties/party.service.ts';

export const PARTIES_VERSION = '0.1.0';

export interface PartiesDeps {
  config: PartiesConfig;
  database: Database<unknown>;
  /** The event transport (RabbitMQ or the in-process bus), chosen by the runner. */
  transport: Transport;
  logger?: Logger;
}

/** Builds parties: the companies and people Lessor deals with, their tax ids, addresses, contacts and KYC status. */
export async function buildApp(deps: PartiesDeps): Promise<ServiceApp> {
  const db = deps.database.db as Kysely<PartiesDatabase>;
  const app = await createServiceApp({
    name: 'parties',
    title: 'Lessor parties',
    description:
      'Companies and people (counterparties): tax ids, addresses, contacts, KYC status and its history.',
    version: PARTIES_VERSION,
    config: deps.config,
    database: deps.database,
    migrations: partiesMigrations,
    events: { transport: deps.transport },
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const events = new PartiesEvents(app.events!);
  registerPartyRoutes(app, new PartyService(db, events), {
    summaryMaxAgeSeconds: deps.config.PARTIES_SUMMARY_MAX_AGE_SECONDS,
  });
  return app;
}
