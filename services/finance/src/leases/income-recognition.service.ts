import type { Kysely } from 'kysely';
import { isPostgresError } from '@lessor/service-kit';
import { INCOME_RECOGNITION_ACCOUNTS } from '../accounts/default-chart.ts';
import type { FinanceDatabase } from '../database.ts';
import { PostingRefusal } from '../entries/entry.ts';
import { financeErrors } from '../finance.errors.ts';
import { Decimal, money, type Money } from '../money.ts';
import type { Ledger } from '../posting/ledger.ts';
import { dueForRecognition } from './lease.ts';

export interface RecognitionResult {
  legalEntity: string;
  upTo: string;
  recognised: number;
  amounts: Money[];
  skipped: { contractId: string; n: number; dueDate: string; reason: string }[];
}

/**
 * IFRS 16, lessor: the unearned finance income booked on activation is earned installment by installment —
 * for each installment due on or before a date, Dr unearned finance income / Cr interest income, its interest,
 * dated its due date. Idempotent per contract and installment (the entry's source key is unique, and the
 * installment remembers its entry), so the job and the admin call can both run, as often as they like.
 */
export class IncomeRecognitionService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly ledger: Ledger,
  ) {}

  async recognise(legalEntity: string, upTo: string | undefined, actor: string): Promise<RecognitionResult> {
    const businessDate = await this.#businessDate(legalEntity);
    const until = upTo ?? businessDate;
    if (until > businessDate) {
      throw financeErrors.create.ENTRY_DATE_IN_FUTURE(`${until} is after the business date ${businessDate}`, {
        errors: [{ field: '/body/upTo', message: `must not be after the business date ${businessDate}` }],
      });
    }
    const candidates = await this.db
      .selectFrom('leaseInstallments as i')
      .innerJoin('leaseContracts as c', 'c.contractId', 'i.contractId')
      .select([
        'i.contractId',
        'i.n',
        'i.dueDate',
        'i.principal',
        'i.interest',
        'c.terminatedOn',
        'c.partyId',
        'c.currency',
      ])
      .where('c.legalEntity', '=', legalEntity)
      .where('i.voided', '=', false)
      .where('i.recognisedEntryId', 'is', null)
      .where('i.dueDate', '<=', until)
      .orderBy('i.dueDate')
      .orderBy('i.contractId')
      .orderBy('i.n')
      .execute();
    const due = candidates.filter(
      (installment) => dueForRecognition([installment], until, installment.terminatedOn).length > 0,
    );
    const totals = new Map<string, Decimal>();
    const result: RecognitionResult = { legalEntity, upTo: until, recognised: 0, amounts: [], skipped: [] };
    for (const candidate of due) {
      try {
        const posted = await this.db.transaction().execute(async (trx) => {
          // Read again under the row's lock: a restructuring may have re-priced, moved or voided the
          // installment since the list above was read; its income is the interest it has now.
          const current = await trx
            .selectFrom('leaseInstallments')
            .select(['n', 'dueDate', 'principal', 'interest', 'recognisedEntryId', 'voided'])
            .where('contractId', '=', candidate.contractId)
            .where('n', '=', candidate.n)
            .forUpdate()
            .executeTakeFirst();
          if (!current || current.recognisedEntryId !== null || current.voided) return null;
          if (dueForRecognition([current], until, candidate.terminatedOn).length === 0) return null;
          const line = {
            currency: candidate.currency,
            amount: current.interest,
            counterpartyId: candidate.partyId,
            contractId: candidate.contractId,
          };
          const { entry } = await this.ledger.post(
            trx,
            {
              legalEntity,
              entryDate: current.dueDate,
              kind: 'income',
              description: `Finance income of installment ${current.n}`,
              sourceKey: `income:${candidate.contractId}:${current.n}`,
              lines: [
                { ...line, accountCode: INCOME_RECOGNITION_ACCOUNTS.unearned, side: 'debit' },
                { ...line, accountCode: INCOME_RECOGNITION_ACCOUNTS.income, side: 'credit' },
              ],
            },
            actor,
          );
          await trx
            .updateTable('leaseInstallments')
            .set({ recognisedEntryId: entry.id })
            .where('contractId', '=', candidate.contractId)
            .where('n', '=', current.n)
            .execute();
          return current.interest;
        });
        if (posted !== null) {
          result.recognised += 1;
          totals.set(candidate.currency, (totals.get(candidate.currency) ?? new Decimal(0)).plus(posted));
        }
      } catch (error) {
        // Another run recognised it at the same moment: done, not an error.
        if (isPostgresError(error, '23505')) continue;
        if (!(error instanceof PostingRefusal)) throw error;
        result.skipped.push({
          contractId: candidate.contractId,
          n: candidate.n,
          dueDate: candidate.dueDate,
          reason: `${error.code}: ${error.message}`,
        });
      }
    }
    result.amounts = [...totals].map(([currency, amount]) => money(amount, currency));
    return result;
  }

  async #businessDate(legalEntity: string): Promise<string> {
    try {
      return await this.ledger.businessDate(this.db, legalEntity, true);
    } catch (error) {
      if (error instanceof PostingRefusal) throw financeErrors.create.LEGAL_ENTITY_NOT_FOUND(error.message);
      throw error;
    }
  }
}
