import { billingEvents, financeEvents, leasingEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { financeMigrations } from '../migrations/index.ts';
import { financeConfigSchema } from './config.ts';
import type { FinanceDatabase } from './database.ts';

/** The money facts finance posts: leasing's contract events that move money, and billing's. */
export const moneyEvents = [
  leasingEvents.contractActivated,
  leasingEvents.contractRestructured,
  leasingEvents.contractTerminated,
  leasingEvents.contractClosed,
  billingEvents.invoiceIssued,
  billingEvents.paymentReceived,
  billingEvents.paymentMatched,
  billingEvents.paymentAllocated,
  billingEvents.penaltyCharged,
  billingEvents.creditNoteIssued,
] as const;

/**
 * finance: the double-entry ledger, fed by leasing's and billing's money events (ADR 24: one definition, read by
 * `main.ts`, the system list, the scripts and the tests). Its code is loaded when it is built.
 */
export const financeService = defineService({
  name: 'finance',
  port: 8107,
  title: 'Lessor finance',
  description:
    'The double-entry ledger: chart of accounts, journal entries posted from events by rules (exactly once), periods, FX rates, IFRS 16 income, reports.',
  version: '0.1.0',
  config: financeConfigSchema,
  tables: tablesOf<FinanceDatabase>(),
  migrations: financeMigrations,
  publishes: Object.values(financeEvents),
  consumes: {
    purpose:
      'Posts every money fact into the ledger by its posting rules (exactly once per event id): the net ' +
      'investment of an activated lease, invoices, payments and their allocation, penalties; keeps the schedule ' +
      'to recognise finance income, and settles it on termination or restructuring; on a close without buyout ' +
      'moves the residual value from the lease receivable to the returned asset.',
    events: moneyEvents,
  },
  // Postings go in batches of up to 50 per transaction, 8 at once: the prefetch keeps them fed (tunable).
  eventSettings: (config) => ({ prefetch: config.FINANCE_EVENT_PREFETCH }),
  /** `today`: the system date (UTC), the business date of a legal entity that has none set; tests fix it. */
  options: optionsOf<{ today: () => string }>(),
  build: async (context) => (await import('./app.ts')).buildFinance(context),
});
