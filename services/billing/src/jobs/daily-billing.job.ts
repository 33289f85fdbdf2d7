import type { Logger } from 'pino';
import { addDays } from '@lessor/domain-values';
import type { InvoiceService } from '../invoices/invoice.service.ts';
import type { OverdueService } from '../overdue/overdue.service.ts';

export interface DailyBillingJob {
  /** Runs once now (what the timer does). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The daily job: issue what is due today, then charge penalties up to yesterday (a day is charged once it
 * has ended, so a payment arriving later that day still counts). Both runs are idempotent, so the timer may
 * fire often; a day missed while the service was down is caught up at the next tick. Replicas may all run it:
 * the row locks make each invoice issued, and each day charged, once. Its first run is at start: invoices
 * planned after it with an issue date passed (a contract activated with a start in the past) wait for the next
 * run, or a billing run — what a fresh `npm start` showed before the demo replayed billing's past (ADR 15).
 */
export function startDailyBillingJob(options: {
  invoices: InvoiceService;
  overdue: OverdueService;
  today: () => string;
  intervalMs: number;
  log: Logger;
}): DailyBillingJob {
  let current: Promise<void> | undefined;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    const today = options.today();
    try {
      const issued = await options.invoices.run(today);
      const charged = await options.overdue.run(addDays(today, -1));
      options.log.info(
        {
          today,
          issued: issued.issued.length,
          skipped: issued.skipped.length,
          penalties: charged.penalties.length,
        },
        'daily billing job ran',
      );
    } catch (error) {
      options.log.error(
        { err: error, today },
        'the daily billing job failed; it runs again at the next tick',
      );
    }
  };
  const run = () => {
    current ??= tick().finally(() => {
      current = undefined;
    });
    return current;
  };
  const timer = setInterval(() => void run(), options.intervalMs);
  timer.unref();
  const first = setTimeout(() => void run(), 0);
  first.unref();
  return {
    tick: run,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(first);
      await current;
    },
  };
}
