import { sql, type Kysely, type Selectable } from 'kysely';
import { BusinessRepository, newId } from '@lessor/service-kit';
import type { AccountsTable, FinanceDatabase } from '../database.ts';
import type { AccountListQuery } from './account.schemas.ts';

export type AccountRow = Selectable<AccountsTable>;

/** The SQL of the chart of accounts. */
export class AccountRepository extends BusinessRepository<FinanceDatabase, 'accounts'> {
  constructor(db: Kysely<FinanceDatabase>) {
    super(db, 'accounts', {
      sortable: ['code', 'createdAt'],
      fallback: { column: 'code', direction: 'asc' },
    });
  }

  search(legalEntity: string, query: AccountListQuery) {
    return this.list(
      { deleted: query.deleted ?? 'exclude', sort: query.sort, cursor: query.cursor, limit: query.limit },
      (q) => {
        let narrowed = q.where('legalEntity', '=', legalEntity);
        if (query.code) narrowed = narrowed.where('code', '=', query.code);
        if (query.currency) narrowed = narrowed.where('currency', '=', query.currency);
        if (query.type) narrowed = narrowed.where('type', '=', query.type);
        if (query.disabled !== undefined) narrowed = narrowed.where('disabled', '=', query.disabled);
        return narrowed;
      },
    );
  }

  /** Every account of every legal entity, deleted ones included: the ledger's cache. */
  all(): Promise<AccountRow[]> {
    return this.db.selectFrom('accounts').selectAll().execute();
  }

  /** The account of a code and currency, deleted ones included. */
  byCode(legalEntity: string, code: string, currency: string): Promise<AccountRow | undefined> {
    return this.db
      .selectFrom('accounts')
      .selectAll()
      .where('legalEntity', '=', legalEntity)
      .where('code', '=', code)
      .where('currency', '=', currency)
      .executeTakeFirst();
  }

  /**
   * Opens an account (a code in a new currency) unless a concurrent posting just did; returns the account and
   * whether this call made it.
   */
  async open(
    values: Pick<AccountRow, 'legalEntity' | 'code' | 'currency' | 'name' | 'type'>,
    actor: string,
  ): Promise<{ account: AccountRow; created: boolean }> {
    const inserted = await this.db
      .insertInto('accounts')
      .values({
        ...values,
        id: newId(),
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .onConflict((conflict) => conflict.columns(['legalEntity', 'code', 'currency']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { account: inserted, created: true };
    return {
      account: (await this.byCode(values.legalEntity, values.code, values.currency))!,
      created: false,
    };
  }

  /** debits − credits of every line of the account. */
  async balance(accountId: string): Promise<string> {
    const row = await this.db
      .selectFrom('journalLines')
      .select(sql<string>`coalesce(sum(case side when 'debit' then amount else -amount end), 0)`.as('net'))
      .where('accountId', '=', accountId)
      .executeTakeFirstOrThrow();
    return row.net;
  }
}
