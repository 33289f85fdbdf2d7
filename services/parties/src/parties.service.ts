import { partiesEvents } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { partiesMigrations } from '../migrations/index.ts';
import { partiesConfigSchema } from './config.ts';
import type { PartiesDatabase } from './database.ts';

/**
 * parties: the companies and people Lessor deals with (ADR 24: one definition, read by `main.ts`, the system
 * list, the scripts and the tests). Its code is loaded when it is built, so a process runs only its own.
 */
export const partiesService = defineService({
  name: 'parties',
  port: 8103,
  title: 'Lessor parties',
  description:
    'Companies and people (counterparties): tax ids, addresses, contacts, KYC status and its history.',
  version: '0.1.0',
  config: partiesConfigSchema,
  tables: tablesOf<PartiesDatabase>(),
  migrations: partiesMigrations,
  publishes: Object.values(partiesEvents),
  build: async (context) => (await import('./app.ts')).buildParties(context),
});
