import { Counter } from 'prom-client';
import { utcToday } from '@lessor/domain-values';
import type { ServiceApp, ServiceContext } from '@lessor/service-kit';
import { AllocationService } from './allocations/allocation.service.ts';
import { BillingEvents } from './billing.events.ts';
import type { BillingOptions } from './billing.service.ts';
import type { BillingConfig } from './config.ts';
import { ContractEventsService } from './contracts/contract-events.service.ts';
import { registerCreditNoteRoutes } from './credit-notes/credit-note.routes.ts';
import { CreditNoteService } from './credit-notes/credit-note.service.ts';
import type { BillingDatabase } from './database.ts';
import { onContractEvents } from './event-handlers/on-contract-event.handler.ts';
import { registerImportRoutes } from './imports/import.routes.ts';
import { ImportService } from './imports/import.service.ts';
import { registerInvoiceRoutes } from './invoices/invoice.routes.ts';
import { InvoiceService } from './invoices/invoice.service.ts';
import { SKIP_REASONS } from './invoices/invoice.ts';
import { startDailyBillingJob, type DailyBillingJob } from './jobs/daily-billing.job.ts';
import { registerOverdueRoutes } from './overdue/overdue.routes.ts';
import { OverdueService } from './overdue/overdue.service.ts';
import { registerPaymentRoutes } from './payments/payment.routes.ts';
import { PaymentService } from './payments/payment.service.ts';
import { registerSettingsRoutes } from './settings/settings.routes.ts';
import { SettingsService } from './settings/settings.service.ts';

/** What billing is built from: everything constructed by the kit (`billingService` in billing.service.ts). */
export type BillingContext = ServiceContext<BillingConfig, BillingDatabase, never, BillingOptions>;

/** What tests reach beyond HTTP: the daily job (when on) and the background imports. */
export interface BillingInternals {
  job: DailyBillingJob | undefined;
  imports: ImportService;
}

const internals = new WeakMap<ServiceApp, BillingInternals>();

/** The daily job and the imports of a built billing app (tests tick the one and wait for the other). */
export function billingInternals(app: ServiceApp): BillingInternals {
  const found = internals.get(app);
  if (!found) throw new Error('not a billing app');
  return found;
}

/**
 * Builds billing: invoices planned from leasing's contract events and issued on their date, corrected by credit
 * notes, payments registered or imported from bank statements, allocation by rules, penalties, dunning and
 * aging. Every money fact is published (invoice issued, payment received/matched/allocated, penalty charged,
 * credit note issued) for finance, and every change of a billing object as its change event for audit.
 */
export async function buildBilling({ app, config, db, events: outbox, log, options }: BillingContext) {
  const today = options.today ?? utcToday;
  const events = new BillingEvents(outbox);
  const settings = new SettingsService(db, events);
  const allocations = new AllocationService(events, settings);
  const runSkipped = new Counter({
    name: 'lessor_billing_run_skipped_total',
    help: 'Planned invoices a billing run (or the daily job) found due and did not issue, by reason (see the run’s answer).',
    labelNames: ['reason'],
    registers: [app.metrics],
  });
  // Every reason from the start at 0, so a rate or an alert on it has a series before the first skip.
  for (const reason of SKIP_REASONS) runSkipped.inc({ reason }, 0);
  const invoices = new InvoiceService(db, events, allocations, today, {
    log: log.child({ component: 'billing-runs' }),
    skipped: (reason) => runSkipped.inc({ reason }),
  });
  const creditNotes = new CreditNoteService(db, events, allocations, today);
  const contractEvents = new ContractEventsService(events, creditNotes, allocations, {
    leadDays: config.BILLING_ISSUE_LEAD_DAYS,
  });
  const overdue = new OverdueService(db, events, allocations, settings);
  const payments = new PaymentService(db, events, allocations, {
    legalEntity: config.BILLING_LEGAL_ENTITY,
    today,
  });
  const imports = new ImportService(db, payments, events, {
    legalEntity: config.BILLING_LEGAL_ENTITY,
    log: log.child({ component: 'imports' }),
  });

  registerInvoiceRoutes(app, invoices, today);
  registerCreditNoteRoutes(app, creditNotes);
  registerPaymentRoutes(app, payments);
  registerImportRoutes(app, imports, config.BILLING_IMPORT_MAX_BYTES);
  registerOverdueRoutes(app, overdue, today);
  registerSettingsRoutes(app, settings);

  const state: BillingInternals = { job: undefined, imports };
  internals.set(app, state);
  const importsLog = log.child({ component: 'imports' });
  let importSweep: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    // Imports this process (or a replica that is gone) left running go on where they stopped, at start and
    // then now and then: a replica scaled away for good would otherwise leave its import running forever.
    await imports.resumeAll();
    importSweep = setInterval(() => {
      imports.resumeAll().catch((error: unknown) => {
        importsLog.error({ err: error }, 'could not look for imports to resume; trying again later');
      });
    }, config.BILLING_IMPORT_RESUME_INTERVAL_MS);
    importSweep.unref();
    if (config.BILLING_JOBS_ENABLED)
      state.job = startDailyBillingJob({
        invoices,
        overdue,
        today,
        intervalMs: config.BILLING_JOB_INTERVAL_MS,
        log: log.child({ component: 'daily-billing-job' }),
      });
  });
  // Before the server and the database close: the job's run and the import lines in progress finish.
  app.addHook('preClose', async () => {
    clearInterval(importSweep);
    await state.job?.stop();
    await imports.stop();
  });
  return { handlers: onContractEvents(contractEvents) };
}
