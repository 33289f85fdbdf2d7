import { billingEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { billingMigrations } from '../migrations/index.ts';
import { billingConfigSchema } from './config.ts';
import type { BillingDatabase } from './database.ts';
import { contractEvents } from './event-handlers/on-contract-event.handler.ts';

/** What a runner or a test passes to billing beyond the environment. */
export interface BillingOptions {
  /** Today's business date: the stack's while the demo replays the past, a test's as it moves. */
  today: () => string;
}

/**
 * billing (ADR 24: one definition, read by `main.ts`, the system list, the scripts and the tests). Its code is
 * loaded when it is built, so a process runs only its own.
 */
export const billingService = defineService({
  name: 'billing',
  port: 8106,
  title: 'Lessor billing',
  description:
    'Invoices from contract schedules, payments and their allocation, penalties, dunning and aging.',
  version: '0.1.0',
  config: billingConfigSchema,
  tables: tablesOf<BillingDatabase>(),
  migrations: billingMigrations,
  publishes: Object.values(billingEvents),
  consumes: {
    purpose:
      'Plans a contract’s invoices from its schedule on activation (advance and installments), replaces the ' +
      'planned ones on restructuring (crediting and invoicing again those issued at other amounts when it is ' +
      'dated in the past), invoices the settlement on termination and the residual on a buyout; ' +
      'learns each contract’s payment reference to match bank payments.',
    events: contractEvents,
  },
  options: optionsOf<BillingOptions>(),
  build: async (context) => (await import('./app.ts')).buildBilling(context),
});
