import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { typesConsumedBy } from '@lessor/event-catalog';
import type { Transport } from '@lessor/events';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import { financeMigrations } from '../migrations/index.ts';
import { registerAccountRoutes } from './accounts/account.routes.ts';
import { AccountService } from './accounts/account.service.ts';
import type { FinanceConfig } from './config.ts';
import type { FinanceDatabase } from './database.ts';
import { registerEntryRoutes } from './entries/entry.routes.ts';
import { EntryService } from './entries/entry.service.ts';
import { onMoneyEvent, onMoneyEvents } from './event-handlers/on-money-event.handler.ts';
import { FinanceEvents } from './finance.events.ts';
import { registerFxRateRoutes } from './fx/fx-rate.routes.ts';
import { FxRateService } from './fx/fx-rate.service.ts';
import { RecogniseIncomeJob } from './jobs/recognise-income.job.ts';
import { IncomeRecognitionService } from './leases/income-recognition.service.ts';
import { registerIncomeRoutes } from './leases/income.routes.ts';
import { LeaseBook } from './leases/lease-book.ts';
import { registerLegalEntityRoutes } from './legal-entities/legal-entity.routes.ts';
import { LegalEntityService } from './legal-entities/legal-entity.service.ts';
import { registerPeriodRoutes } from './periods/period.routes.ts';
import { PeriodService } from './periods/period.service.ts';
import { EventPosting } from './posting/event-posting.ts';
import { Ledger } from './posting/ledger.ts';
import { registerPostingRuleRoutes } from './posting-rules/posting-rule.routes.ts';
import { PostingRuleService } from './posting-rules/posting-rule.service.ts';
import { registerReportRoutes } from './reports/report.routes.ts';
import { ReportService } from './reports/report.service.ts';
import { registerReviewItemRoutes } from './review/review-item.routes.ts';
import { ReviewItemService } from './review/review-item.service.ts';

export const FINANCE_VERSION = '0.1.0';

export interface FinanceDeps {
  config: FinanceConfig;
  database: Database<unknown>;
  /** The event transport (RabbitMQ or the in-process bus), chosen by the runner. */
  transport: Transport;
  logger?: Logger;
  /** Today's system date (UTC), the business date of a legal entity that has none set; tests fix it. */
  today?: () => string;
  /** Delays before each retry of an event whose handling failed, then it is parked (the kit's default if unset). */
  eventRetryDelaysMs?: number[];
}

/**
 * Builds finance: the double-entry ledger of each legal entity, fed by events through posting rules (exactly
 * once per event id), with manual entries and reversals, periods, a business date, FX rates, IFRS 16 income
 * recognition and the reports. First start opens the configured legal entity's books with the default chart
 * and installs the default posting rules.
 */
export async function buildApp(deps: FinanceDeps): Promise<ServiceApp> {
  const { config } = deps;
  const db = deps.database.db as Kysely<FinanceDatabase>;
  // The consumer is declared with the app, while the posting it runs needs the app's outbox: the handler
  // finds it here, filled in below, before the consumer starts (onReady).
  const holder: { posting?: EventPosting } = {};
  const app = await createServiceApp({
    name: 'finance',
    title: 'Lessor finance',
    description:
      'The double-entry ledger: chart of accounts, journal entries posted from events by rules (exactly once), periods, FX rates, IFRS 16 income, reports.',
    version: FINANCE_VERSION,
    config,
    database: deps.database,
    migrations: financeMigrations,
    ...(deps.logger ? { logger: deps.logger } : {}),
    events: {
      transport: deps.transport,
      prefetch: config.FINANCE_EVENT_PREFETCH,
      ...(deps.eventRetryDelaysMs ? { retryDelaysMs: deps.eventRetryDelaysMs } : {}),
      subscriptions: [
        {
          types: typesConsumedBy('finance'),
          handler: onMoneyEvent(() => holder.posting!),
          handleBatch: onMoneyEvents(() => holder.posting!),
        },
      ],
    },
  });
  const defaults = { legalEntity: config.FINANCE_LEGAL_ENTITY };
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  const events = new FinanceEvents(app.events!);
  const ledger = new Ledger(events, { cacheMs: config.FINANCE_CACHE_MS, today });
  const posting = new EventPosting(ledger, new LeaseBook());
  holder.posting = posting;

  const accounts = new AccountService(db, events, ledger, defaults);
  const rules = new PostingRuleService(db, events, ledger);
  const entities = new LegalEntityService(db, accounts, rules, ledger, {
    legalEntity: config.FINANCE_LEGAL_ENTITY,
    functionalCurrency: config.FINANCE_FUNCTIONAL_CURRENCY,
    today,
  });
  await entities.ensureFirstStart();
  const rates = new FxRateService(db);
  const income = new IncomeRecognitionService(db, ledger);

  registerLegalEntityRoutes(app, entities, defaults);
  registerAccountRoutes(app, accounts);
  registerEntryRoutes(app, new EntryService(db, ledger, defaults));
  registerPostingRuleRoutes(app, rules);
  registerReviewItemRoutes(app, new ReviewItemService(db, posting, ledger));
  registerPeriodRoutes(app, new PeriodService(db, events, ledger), defaults);
  registerFxRateRoutes(app, rates);
  registerIncomeRoutes(app, income, defaults);
  registerReportRoutes(app, new ReportService(db, ledger, accounts, rates, defaults));

  const job = new RecogniseIncomeJob(db, ledger, income, config.FINANCE_INCOME_JOB_INTERVAL_MS, app.log);
  app.addHook('onReady', async () => job.start());
  app.addHook('preClose', async () => job.stop());
  return app;
}
