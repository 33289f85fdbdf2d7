import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, newId, preparedQuery } from '@lessor/service-kit';
import type {
  ContractSchedulesTable,
  ContractsTable,
  ContractTransitionsTable,
  LeasingDatabase,
  TerminationQuotesTable,
} from '../database.ts';
import type { ContractListQuery } from './contract.schemas.ts';

export type ContractRow = Selectable<ContractsTable>;
export type ContractScheduleRow = Selectable<ContractSchedulesTable>;
export type ContractTransitionRow = Selectable<ContractTransitionsTable>;
export type TerminationQuoteRow = Selectable<TerminationQuotesTable>;

/** A schedule version: read by every contract card, so compiled once (issue 13). */
const scheduleVersion = preparedQuery<
  LeasingDatabase,
  { contractId: string; version: number },
  ContractScheduleRow
>((db, param) =>
  db
    .selectFrom('contractSchedules')
    .selectAll()
    .where('contractId', '=', param('contractId'))
    .where('version', '=', param('version')),
);

/** The SQL of contracts, their schedule versions, status history and termination quotes. */
export class ContractRepository extends BusinessRepository<LeasingDatabase, 'contracts'> {
  constructor(db: Kysely<LeasingDatabase>) {
    super(db, 'contracts', {
      sortable: ['number', 'createdAt', 'startDate'],
      fallback: { column: 'createdAt', direction: 'desc' },
    });
  }

  search(query: ContractListQuery) {
    return this.list(
      { deleted: query.deleted ?? 'exclude', sort: query.sort, cursor: query.cursor, limit: query.limit },
      (q) => {
        let narrowed = q;
        if (query.status) narrowed = narrowed.where('status', '=', query.status);
        if (query.partyId) narrowed = narrowed.where('partyId', '=', query.partyId);
        if (query.assetId) narrowed = narrowed.where('assetId', '=', query.assetId);
        if (query.number)
          narrowed = narrowed.where('number', 'ilike', `%${query.number.replace(/[%_\\]/g, '\\$&')}%`);
        return narrowed;
      },
    );
  }

  /** The live contract (draft to active) that holds an asset, if any: one asset, one live contract. */
  holderOf(assetId: string): Promise<Pick<ContractRow, 'id' | 'number' | 'status'> | undefined> {
    return this.db
      .selectFrom('contracts')
      .select(['id', 'number', 'status'])
      .where('assetId', '=', assetId)
      .where('deletedAt', 'is', null)
      .where('status', 'in', ['draft', 'approved', 'signed', 'active'])
      .executeTakeFirst();
  }

  /** The live contract, locked until the transaction ends: transitions of one contract go one at a time. */
  lock(id: string): Promise<ContractRow | undefined> {
    return this.db
      .selectFrom('contracts')
      .selectAll()
      .where('id', '=', id)
      .where('deletedAt', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  }

  /**
   * The next contract number of a legal entity and year. The counter row is locked by the upsert until the
   * transaction ends, so concurrent creations queue and a rolled-back one gives its number back: no gaps.
   */
  async nextNumber(legalEntity: string, year: number): Promise<number> {
    const row = await this.db
      .insertInto('contractNumbers')
      .values({ legalEntity, year, last: 1 })
      .onConflict((conflict) =>
        conflict.columns(['legalEntity', 'year']).doUpdateSet({ last: sql`contract_numbers.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return row.last;
  }

  addSchedule(values: Omit<ContractScheduleRow, 'id' | 'createdAt'>): Promise<ContractScheduleRow> {
    return this.db
      .insertInto('contractSchedules')
      .values({ ...values, id: newId() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Replaces version 1 of a draft's schedule (it binds nobody until activation). */
  async replaceDraftSchedule(contractId: string, effectiveFrom: string, schedule: string): Promise<void> {
    await this.db
      .updateTable('contractSchedules')
      .set({ effectiveFrom, schedule })
      .where('contractId', '=', contractId)
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
  }

  schedule(contractId: string, version: number): Promise<ContractScheduleRow | undefined> {
    return scheduleVersion.executeTakeFirst(this.db, { contractId, version });
  }

  recordTransition(values: Omit<ContractTransitionRow, 'id' | 'at'>): Promise<ContractTransitionRow> {
    return this.db
      .insertInto('contractTransitions')
      .values({ ...values, id: newId() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  transitions(contractId: string): Promise<ContractTransitionRow[]> {
    return this.db
      .selectFrom('contractTransitions')
      .selectAll()
      .where('contractId', '=', contractId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  addQuote(
    values: Omit<TerminationQuoteRow, 'id' | 'createdAt' | 'executedAt'>,
  ): Promise<TerminationQuoteRow> {
    return this.db
      .insertInto('terminationQuotes')
      .values({ ...values, id: newId(), executedAt: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  quote(contractId: string, quoteId: string): Promise<TerminationQuoteRow | undefined> {
    return this.db
      .selectFrom('terminationQuotes')
      .selectAll()
      .where('contractId', '=', contractId)
      .where('id', '=', quoteId)
      .executeTakeFirst();
  }

  markQuoteExecuted(quoteId: string): Promise<unknown> {
    return this.db
      .updateTable('terminationQuotes')
      .set({ executedAt: sql`now()` })
      .where('id', '=', quoteId)
      .where('executedAt', 'is', null)
      .executeTakeFirstOrThrow();
  }
}
