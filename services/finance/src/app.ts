import { billingEvents, leasingEvents } from '@lessor/event-catalog';
import { bindingsOf, type BuildResult, type ServiceContext } from '@lessor/service-kit';
import { registerAccountRoutes } from './accounts/account.routes.ts';
import { AccountService } from './accounts/account.service.ts';
import type { FinanceConfig } from './config.ts';
import type { FinanceDatabase } from './database.ts';
import { registerEntryRoutes } from './entries/entry.routes.ts';
import { EntryService } from './entries/entry.service.ts';
import { onMoneyEvent, onMoneyEvents } from './event-handlers/on-money-event.handler.ts';
import { FinanceEvents } from './finance.events.ts';
import { financeService, type moneyEvents } from './finance.service.ts';
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

/** What finance is built from: everything constructed by the kit (`financeService` in finance.service.ts). */
export type FinanceContext = ServiceContext<FinanceConfig, FinanceDatabase, never, { today: () => string }>;

/**
 * Builds finance: the double-entry ledger of each legal entity, fed by events through posting rules (exactly
 * once per event id), with manual entries and reversals, periods, a business date, FX rates, IFRS 16 income
 * recognition and the reports. First start opens the configured legal entity's books with the default chart
 * and installs the default posting rules.
 */
export async function buildFinance({
  app,
  config,
  db,
  events: outbox,
  options,
}: FinanceContext): Promise<BuildResult<typeof moneyEvents, FinanceDatabase>> {
  const defaults = { legalEntity: config.FINANCE_LEGAL_ENTITY };
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
  const events = new FinanceEvents(outbox);
  const ledger = new Ledger(events, { cacheMs: config.FINANCE_CACHE_MS, today });
  const posting = new EventPosting(ledger, new LeaseBook());

  const accounts = new AccountService(db, events, ledger, defaults);
  // A rule can be written only for a type finance consumes: one it does not bind would never arrive.
  const rules = new PostingRuleService(db, events, ledger, bindingsOf(financeService));
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

  // Every consumed event is posted the same way, by its rule: one handler for each type, one for a batch.
  const post = onMoneyEvent(posting);
  return {
    handlers: {
      [leasingEvents.contractActivated.type]: post,
      [leasingEvents.contractRestructured.type]: post,
      [leasingEvents.contractTerminated.type]: post,
      [leasingEvents.contractClosed.type]: post,
      [billingEvents.invoiceIssued.type]: post,
      [billingEvents.paymentReceived.type]: post,
      [billingEvents.paymentMatched.type]: post,
      [billingEvents.paymentAllocated.type]: post,
      [billingEvents.penaltyCharged.type]: post,
      [billingEvents.creditNoteIssued.type]: post,
    },
    handleBatch: onMoneyEvents(posting),
  };
}
