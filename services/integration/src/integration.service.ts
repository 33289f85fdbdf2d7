import { integrationEvents } from '@lessor/event-catalog';
import { defineService, tablesOf } from '@lessor/service-kit';
import { integrationMigrations } from '../migrations/index.ts';
import { integrationConfigSchema } from './config.ts';
import type { IntegrationDatabase } from './database.ts';

/**
 * integration (ADR 24: one definition, read by `main.ts`, the system list, the scripts and the tests). A connector:
 * the kind of service that talks to a system outside Lessor (README: Egress). It calls no Lessor service.
 */
export const integrationService = defineService({
  name: 'integration',
  port: 8108,
  title: 'Lessor integration',
  // TODO(integration): name the outside system and what is brought from it (the API docs and the README show it).
  description:
    'Brings the records of an outside system into Lessor, page by page, and says when a sync is done.',
  version: '0.1.0',
  config: integrationConfigSchema,
  tables: tablesOf<IntegrationDatabase>(),
  migrations: integrationMigrations,
  publishes: Object.values(integrationEvents),
  // The one service that talks to hosts outside Lessor (ADR 26); every other process refuses them.
  egress: {
    purpose:
      'CRMs and accounting systems over OData v4 and v2 (the connectors’ base URLs and token endpoints).',
  },
  build: async (context) => (await import('./app.ts')).buildIntegration(context),
});
