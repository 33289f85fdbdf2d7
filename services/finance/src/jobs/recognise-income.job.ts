import type { Kysely } from 'kysely';
import type { FinanceDatabase } from '../database.ts';
import type { IncomeRecognitionService } from '../leases/income-recognition.service.ts';
import type { Ledger } from '../posting/ledger.ts';

/** Where the job reports (the app's logger). */
export interface JobLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * Recognises finance income up to each legal entity's business date, every `intervalMs`. Idempotent, so
 * replicas may all run it; a run that is still going when the next is due is not doubled.
 */
export class RecogniseIncomeJob {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly ledger: Ledger,
    private readonly income: IncomeRecognitionService,
    private readonly intervalMs: number,
    private readonly log: JobLog,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  runOnce(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<void> {
    try {
      for (const entity of await this.ledger.entities(this.db, true)) {
        const result = await this.income.recognise(entity.code, undefined, 'system');
        if (result.recognised > 0 || result.skipped.length > 0) {
          this.log.info(
            { legalEntity: entity.code, recognised: result.recognised, skipped: result.skipped.length },
            'finance income recognised',
          );
        }
      }
    } catch (error) {
      this.log.error({ err: error }, 'income recognition failed; the next run tries again');
    }
  }
}
