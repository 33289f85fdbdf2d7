import { sql, type Kysely } from 'kysely';
import { financeEvents } from '@lessor/event-catalog';
import { newId } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { FinanceEvents } from '../finance.events.ts';
import type { Ledger } from '../posting/ledger.ts';

export interface PeriodState {
  legalEntity: string;
  period: string;
  status: 'open' | 'closed';
  changedAt: Date | null;
  changedBy: string | null;
  history: { action: 'closed' | 'reopened'; reason: string | null; actor: string; at: Date }[];
}

/**
 * Accounting periods: a legal entity's month is open until closed, and a closed month takes no entry until
 * someone with `finance:periods:reopen` reopens it. Every close and reopen is kept with who, when and why.
 */
export class PeriodService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly events: FinanceEvents,
    private readonly ledger: Ledger,
  ) {}

  async list(legalEntity: string) {
    return this.db
      .selectFrom('accountingPeriods')
      .selectAll()
      .where('legalEntity', '=', legalEntity)
      .orderBy('period', 'desc')
      .execute();
  }

  async get(
    legalEntity: string,
    period: string,
    trx: Kysely<FinanceDatabase> = this.db,
  ): Promise<PeriodState> {
    await this.#entity(trx, legalEntity);
    const row = await trx
      .selectFrom('accountingPeriods')
      .selectAll()
      .where('legalEntity', '=', legalEntity)
      .where('period', '=', period)
      .executeTakeFirst();
    const history = await trx
      .selectFrom('periodChanges')
      .select(['action', 'reason', 'actor', 'at'])
      .where('legalEntity', '=', legalEntity)
      .where('period', '=', period)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return {
      legalEntity,
      period,
      status: row?.status ?? 'open',
      changedAt: row?.changedAt ?? null,
      changedBy: row?.changedBy ?? null,
      history,
    };
  }

  /**
   * Closes a month. Closing waits for every posting in flight (a SHARE lock on the journal), so an entry is
   * either committed before the close or refused by it; closing a closed month changes nothing.
   */
  async close(
    legalEntity: string,
    period: string,
    reason: string | undefined,
    actor: string,
  ): Promise<PeriodState> {
    const state = await this.db.transaction().execute(async (trx) => {
      await this.#entity(trx, legalEntity);
      await sql`lock table journal_entries in share mode`.execute(trx);
      const changed = await this.#set(trx, legalEntity, period, 'closed', actor);
      if (changed) {
        await this.#record(trx, legalEntity, period, 'closed', reason ?? null, actor);
        await this.events.publish(trx, financeEvents.periodClosed, {
          data: { periodKey: `${legalEntity}/${period}`, legalEntity, period, closedBy: actor },
          actor,
        });
      }
      return this.get(legalEntity, period, trx);
    });
    this.ledger.invalidate();
    return state;
  }

  async reopen(legalEntity: string, period: string, reason: string, actor: string): Promise<PeriodState> {
    const state = await this.db.transaction().execute(async (trx) => {
      await this.#entity(trx, legalEntity);
      const changed = await this.#set(trx, legalEntity, period, 'open', actor);
      if (changed) await this.#record(trx, legalEntity, period, 'reopened', reason, actor);
      return this.get(legalEntity, period, trx);
    });
    this.ledger.invalidate();
    return state;
  }

  /** Sets the status; false when it was that already. */
  async #set(
    trx: Kysely<FinanceDatabase>,
    legalEntity: string,
    period: string,
    status: 'open' | 'closed',
    actor: string,
  ): Promise<boolean> {
    const row = await trx
      .insertInto('accountingPeriods')
      .values({ legalEntity, period, status, changedBy: actor })
      .onConflict((conflict) =>
        conflict
          .columns(['legalEntity', 'period'])
          .doUpdateSet({
            status,
            changedBy: actor,
            changedAt: sql`now()`,
            version: sql`accounting_periods.version + 1`,
          })
          .where('accountingPeriods.status', '<>', status),
      )
      .returning('version')
      .executeTakeFirst();
    // A month without a row is open: "reopening" it inserts an open row, which changes nothing.
    return row !== undefined && !(status === 'open' && row.version === 1);
  }

  async #record(
    trx: Kysely<FinanceDatabase>,
    legalEntity: string,
    period: string,
    action: 'closed' | 'reopened',
    reason: string | null,
    actor: string,
  ): Promise<void> {
    await trx
      .insertInto('periodChanges')
      .values({ id: newId(), legalEntity, period, action, reason, actor })
      .execute();
  }

  async #entity(trx: Kysely<FinanceDatabase>, legalEntity: string): Promise<void> {
    const exists = await trx
      .selectFrom('legalEntities')
      .select('code')
      .where('code', '=', legalEntity)
      .executeTakeFirst();
    if (!exists)
      throw financeErrors.create.LEGAL_ENTITY_NOT_FOUND(`Finance keeps no books for ${legalEntity}`);
  }
}
