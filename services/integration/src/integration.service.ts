import { integrationEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { integrationMigrations } from '../migrations/index.ts';
import { integrationConfigSchema } from './config.ts';
import type { ConnectorKind, IntegrationDatabase } from './database.ts';
import { exportEvents } from './export/on-entry-posted.handler.ts';
import { contractEvents } from './outbound/on-contract-event.handler.ts';
import type { RunJob } from './runs/run.ts';

/** What integration asks of sso for its own calls: the inbound sync reads and writes parties (their API only). */
export const INTEGRATION_CLIENT_SCOPES = ['parties:parties:read', 'parties:parties:write'] as const;

/** What a runner or a test may pass to integration beyond the environment. */
export interface IntegrationOptions {
  /** Jobs replacing the registered ones for a kind of connector (a test's own run job). */
  jobs: Partial<Record<ConnectorKind, RunJob>>;
  /** This replica's name in a run's `owner` (tests starting two replicas name them). */
  replicaId: string;
}

/**
 * integration: the one service that talks to systems outside Lessor — CRMs (parties in, contract news out) and
 * accounting (journal entries out), over OData v4 and v2 (ADR 24: one definition, read by `main.ts`, the system
 * list, the scripts and the tests). Its code is loaded when it is built.
 */
export const integrationService = defineService({
  name: 'integration',
  port: 8108,
  title: 'Lessor integration',
  description:
    'Connectors to CRMs and accounting systems over OData: counterparties in, contract news and journal entries out.',
  version: '0.1.0',
  config: integrationConfigSchema,
  tables: tablesOf<IntegrationDatabase>(),
  migrations: integrationMigrations,
  publishes: Object.values(integrationEvents),
  options: optionsOf<IntegrationOptions>(),
  consumes: {
    purpose:
      'Tells the lessee’s record in each CRM (account, business partner) the contract’s number, status and date ' +
      'when leasing signs, activates or terminates a contract (README: Outbound: contracts → CRM); exports each ' +
      'journal entry finance posts to the accounting connector, once (README: Export: journal entries → accounting).',
    events: [...contractEvents, ...exportEvents],
  },
  calls: ['parties'],
  clientScopes: INTEGRATION_CLIENT_SCOPES,
  // The one service that talks to hosts outside Lessor (ADR 26); every other process refuses them.
  egress: {
    purpose:
      'CRMs and accounting systems over OData v4 and v2 (the connectors’ base URLs and token endpoints).',
  },
  build: async (context) => (await import('./app.ts')).buildIntegration(context),
});
