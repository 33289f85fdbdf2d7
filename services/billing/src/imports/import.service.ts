import { createHash } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { kitErrors, newId } from '@lessor/service-kit';
import { billingErrors } from '../billing.errors.ts';
import type { BillingEvents } from '../billing.events.ts';
import type { BillingDatabase } from '../database.ts';
import { matchPayment } from '../payments/payment-matcher.ts';
import { PaymentRepository } from '../payments/payment.repository.ts';
import type { PaymentService } from '../payments/payment.service.ts';
import {
  BankFileError,
  type BankFileFormat,
  type ReceivedPayment,
  type StatementLine,
} from './bank-statement.ts';
import { readCamt053Statement } from './camt053-statement.ts';
import { readCsvStatement } from './csv-statement.ts';
import { ImportRepository, type ImportLineRow, type ImportRow } from './import.repository.ts';

export interface ImportServiceOptions {
  legalEntity: string;
  log: Logger;
}

/**
 * Bank statement imports. The file is read whole first: one that cannot be read is refused and nothing of
 * it is kept. Then the import and its lines are stored, and each payment line is imported in a transaction
 * of its own, in the background, counting the progress: a broken line is refused alone and the rest imports.
 * A file seen before (same SHA-256) adds nothing, and neither does a line whose bank reference was imported
 * before. An import a stopped (or killed) process left running is resumed at the next start, and by the
 * periodic `resumeAll` of any replica: a line's payment and its outcome commit together, so a line is
 * imported once whoever resumes it.
 */
export class ImportService {
  readonly #running = new Map<string, Promise<void>>();
  #stopping = false;

  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly payments: PaymentService,
    private readonly events: BillingEvents,
    private readonly options: ImportServiceOptions,
  ) {}

  list(query: { cursor?: string; limit: number }) {
    return new ImportRepository(this.db).list(query);
  }

  async get(id: string): Promise<{ imported: ImportRow; lines: ImportLineRow[] }> {
    const repository = new ImportRepository(this.db);
    const imported = await repository.find(id);
    if (!imported) throw kitErrors.create.NOT_FOUND(`No import ${id}`);
    return { imported, lines: await repository.lines(id) };
  }

  /** Reads and stores a statement; `created` is false when the same file was imported before. */
  async start(
    format: BankFileFormat,
    text: string,
    fileName: string | null,
    actor: string,
  ): Promise<{ imported: ImportRow; created: boolean }> {
    const fileHash = createHash('sha256').update(text, 'utf8').digest('hex');
    const repository = new ImportRepository(this.db);
    const earlier = await repository.findByHash(fileHash);
    if (earlier) return { imported: earlier, created: false };
    const lines = read(format, text);
    const id = newId();
    const pending = lines.filter((line) => 'payment' in line.outcome).length;
    const created = await this.db.transaction().execute(async (trx) => {
      const imports = new ImportRepository(trx);
      const row = await imports.insert({
        id,
        format,
        fileName,
        fileHash,
        legalEntity: this.options.legalEntity,
        status: pending > 0 ? 'running' : 'completed',
        linesTotal: lines.length,
        linesDone: lines.length - pending,
        matched: 0,
        unmatched: 0,
        refused: lines.filter((line) => 'refused' in line.outcome).length,
        skipped: lines.filter((line) => 'skipped' in line.outcome).length,
        createdBy: actor,
      });
      if (!row) return undefined;
      await imports.insertLines(lines.map((line) => lineRow(id, line)));
      await this.events.importChanged(trx, 'created', null, row, actor);
      return row;
    });
    if (!created) return { imported: (await repository.findByHash(fileHash))!, created: false };
    if (created.status === 'running') this.resume(created.id);
    return { imported: created, created: true };
  }

  /** Works through an import's pending lines in the background (once per import in this process). */
  resume(id: string): void {
    if (this.#stopping || this.#running.has(id)) return;
    const work = this.#work(id)
      .catch((error: unknown) => this.options.log.error({ err: error, importId: id }, 'the import stopped'))
      .finally(() => this.#running.delete(id));
    this.#running.set(id, work);
  }

  /**
   * Resumes every import left running (this process stopped or was killed, or another replica was). One this
   * process works on already is left alone; one another replica works on is shared line by line (SKIP LOCKED).
   */
  async resumeAll(): Promise<void> {
    if (this.#stopping) return;
    for (const { id } of await new ImportRepository(this.db).running()) this.resume(id);
  }

  /** Lets the line in progress of each import finish, and starts no other; the rest resumes at next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#running.values());
  }

  /** Resolves when the imports now running in this process have finished (tests wait on it). */
  async idle(): Promise<void> {
    await Promise.all(this.#running.values());
  }

  async #work(id: string): Promise<void> {
    const imported = await new ImportRepository(this.db).find(id);
    if (!imported) return;
    while (!this.#stopping) {
      const outcome = await this.#importNextLine(imported).catch(async (error: unknown) => {
        this.options.log.error({ err: error, importId: id }, 'an import line failed');
        return this.#refuseNextLine(id, 'the line could not be imported (an internal error; see the log)');
      });
      if (outcome === 'none') {
        await this.#completeIfDone(id);
        return;
      }
      // A turn of the event loop between lines, so a long import never keeps the HTTP server, the timers and
      // SIGTERM waiting behind a run of quickly answered queries.
      await setImmediate();
    }
  }

  /** Imports the next pending line in its own transaction; 'none' when no line is left to take. */
  async #importNextLine(imported: ImportRow): Promise<'done' | 'none'> {
    return this.db.transaction().execute(async (trx) => {
      const imports = new ImportRepository(trx);
      const line = await imports.nextPending(imported.id);
      if (!line) return 'none';
      const payment = line.payment as ReceivedPayment;
      const earlier = await new PaymentRepository(trx).findByBankReference(payment.bankReference);
      if (earlier) {
        await imports.finishLine(line, 'skipped', alreadyImported(payment, earlier.id), earlier.id);
        return 'done';
      }
      const match = await matchPayment(trx, payment.reference, payment.currency);
      const contract = 'contract' in match ? match.contract : undefined;
      const received = await this.payments.receive(
        {
          legalEntity: contract?.legalEntity ?? imported.legalEntity,
          contractId: contract?.id ?? null,
          partyId: contract?.partyId ?? null,
          status: contract ? 'matched' : 'unmatched',
          valueDate: payment.valueDate,
          reference: payment.reference,
          currency: payment.currency,
          amount: payment.amount,
          unallocated: payment.amount,
          source: 'import',
          bankReference: payment.bankReference,
          payerName: payment.payerName,
          payerAccount: payment.payerAccount,
          importId: imported.id,
          importLine: line.line,
          matchDate: null,
          matchNote: 'note' in match ? match.note : null,
          creditNoteId: null,
        },
        imported.createdBy,
        trx,
      );
      if (!received) {
        // Another import took this bank reference between our look and our insert.
        const other = await new PaymentRepository(trx).findByBankReference(payment.bankReference);
        await imports.finishLine(
          line,
          'skipped',
          alreadyImported(payment, other?.id ?? null),
          other?.id ?? null,
        );
      } else if (contract) {
        await imports.finishLine(line, 'matched', `contract ${contract.number}`, received.id);
      } else {
        await imports.finishLine(line, 'unmatched', 'note' in match ? match.note : null, received.id);
      }
      return 'done';
    });
  }

  /** Completes the import once no line is pending, with its change event (whoever finished its last line). */
  async #completeIfDone(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const imports = new ImportRepository(trx);
      const before = await imports.lock(id);
      if (!before || before.status !== 'running' || (await imports.hasPending(id))) return;
      const after = await imports.complete(id);
      // The background work acts for whoever uploaded the file.
      await this.events.importChanged(trx, 'updated', before, after, before.createdBy);
    });
  }

  async #refuseNextLine(id: string, reason: string): Promise<'done' | 'none'> {
    return this.db.transaction().execute(async (trx) => {
      const imports = new ImportRepository(trx);
      const line = await imports.nextPending(id);
      if (!line) return 'none';
      await imports.finishLine(line, 'refused', reason, null);
      return 'done';
    });
  }
}

function read(format: BankFileFormat, text: string): StatementLine[] {
  try {
    return format === 'csv' ? readCsvStatement(text) : readCamt053Statement(text);
  } catch (error) {
    if (!(error instanceof BankFileError)) throw error;
    const where = error.line === undefined ? '' : `line ${error.line}: `;
    throw billingErrors.create.BANK_FILE_UNREADABLE(`${where}${error.message}`, {
      errors: [{ field: '/body', message: `${where}${error.message}` }],
      extensions: error.line === undefined ? {} : { line: error.line },
    });
  }
}

function lineRow(importId: string, line: StatementLine): ImportLineRow {
  const outcome = line.outcome;
  return {
    importId,
    entry: line.entry,
    line: line.line,
    status: 'payment' in outcome ? 'pending' : 'refused' in outcome ? 'refused' : 'skipped',
    reason: 'payment' in outcome ? null : 'refused' in outcome ? outcome.refused : outcome.skipped,
    payment: 'payment' in outcome ? outcome.payment : {},
    paymentId: null,
  };
}

function alreadyImported(payment: ReceivedPayment, paymentId: string | null): string {
  return `bank reference ${payment.bankReference} was imported before${paymentId ? ` (payment ${paymentId})` : ''}`;
}
