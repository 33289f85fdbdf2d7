import { assetsEvents, leasingEvents, partiesEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { leasingMigrations } from '../migrations/index.ts';
import { leasingConfigSchema } from './config.ts';
import type { LeasingDatabase } from './database.ts';

/** What leasing asks of sso for its own calls: reading parties and assets, nothing else. */
export const LEASING_CLIENT_SCOPES = ['parties:parties:read', 'assets:assets:read'] as const;

/** What a runner or a test may pass leasing beyond its environment. */
export interface LeasingOptions {
  /** Today's business date (`YYYY-MM-DD`); tests move it. The UTC date when unset. */
  today: () => string;
}

/**
 * leasing: lease products, calculations (quotes) and contracts through their life (ADR 24: one definition,
 * read by `main.ts`, the system list, the scripts and the tests). Reads answer from its own copy of party and
 * asset names, kept by their owners' events; only writes that need a fresh check call parties or assets.
 */
export const leasingService = defineService({
  name: 'leasing',
  port: 8104,
  title: 'Lessor leasing',
  description: 'Lease products, calculations (quotes) and contracts through their life.',
  version: '0.1.0',
  config: leasingConfigSchema,
  tables: tablesOf<LeasingDatabase>(),
  migrations: leasingMigrations,
  publishes: Object.values(leasingEvents),
  consumes: {
    purpose:
      'Keeps the party and asset names stored on contracts current (its reference cache), so a contract list ' +
      'and a read while parties or assets is down show the latest known name.',
    events: [partiesEvents.partyUpdated, assetsEvents.assetUpdated],
  },
  calls: ['parties', 'assets'],
  clientScopes: LEASING_CLIENT_SCOPES,
  options: optionsOf<LeasingOptions>(),
  build: async (context) => (await import('./app.ts')).buildLeasing(context),
});
