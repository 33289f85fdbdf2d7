import type { Kysely } from 'kysely';
import { isPostgresError, kitErrors } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { FinanceEvents } from '../finance.events.ts';
import { Decimal } from '../money.ts';
import type { Ledger } from '../posting/ledger.ts';
import { AccountRepository, type AccountRow } from './account.repository.ts';
import type { AccountListQuery, CreateAccount, UpdateAccount } from './account.schemas.ts';
import { DEFAULT_CHART } from './default-chart.ts';

/** The chart of accounts of each legal entity: typed accounts, one currency each, soft deleted or disabled. */
export class AccountService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly events: FinanceEvents,
    private readonly ledger: Ledger,
    private readonly defaults: { legalEntity: string },
  ) {}

  list(query: AccountListQuery) {
    return new AccountRepository(this.db).search(query.legalEntity ?? this.defaults.legalEntity, query);
  }

  async get(id: string, includeDeleted = false): Promise<AccountRow> {
    const account = await new AccountRepository(this.db).find(id, { includeDeleted });
    if (!account) throw kitErrors.create.NOT_FOUND(`No account ${id}`);
    return account;
  }

  /** The account of a code and currency (the legal entity's functional currency when none is given). */
  async byCode(legalEntity: string, code: string, currency: string | undefined): Promise<AccountRow> {
    const entity = await this.db
      .selectFrom('legalEntities')
      .select('functionalCurrency')
      .where('code', '=', legalEntity)
      .executeTakeFirst();
    if (!entity)
      throw financeErrors.create.LEGAL_ENTITY_NOT_FOUND(`Finance keeps no books for ${legalEntity}`);
    const account = await new AccountRepository(this.db).byCode(
      legalEntity,
      code,
      currency ?? entity.functionalCurrency,
    );
    if (!account) {
      throw kitErrors.create.NOT_FOUND(
        `No account ${code} in ${currency ?? entity.functionalCurrency} for ${legalEntity}`,
      );
    }
    return account;
  }

  async create(input: CreateAccount, actor: string): Promise<AccountRow> {
    const legalEntity = input.legalEntity ?? this.defaults.legalEntity;
    const entity = await this.db
      .selectFrom('legalEntities')
      .select('functionalCurrency')
      .where('code', '=', legalEntity)
      .executeTakeFirst();
    if (!entity)
      throw financeErrors.create.LEGAL_ENTITY_NOT_FOUND(`Finance keeps no books for ${legalEntity}`);
    return this.#write(async (accounts, trx) => {
      const account = await accounts
        .insert(
          {
            legalEntity,
            code: input.code,
            currency: input.currency ?? entity.functionalCurrency,
            name: input.name,
            type: input.type,
          },
          actor,
        )
        .catch((error: unknown) => {
          if (isPostgresError(error, '23505')) {
            throw financeErrors.create.ACCOUNT_CODE_TAKEN(
              `${legalEntity} has an account ${input.code} in ${input.currency ?? entity.functionalCurrency}`,
            );
          }
          throw error;
        });
      await this.events.accountChanged(trx, 'created', null, account);
      return account;
    });
  }

  async update(id: string, version: number, changes: UpdateAccount, actor: string): Promise<AccountRow> {
    return this.#write(async (accounts, trx) => {
      const before = await this.#live(accounts, id);
      const after = await accounts.update(id, version, changes, actor);
      await this.events.accountChanged(trx, 'updated', before, after);
      return after;
    });
  }

  /** Soft delete; only an account whose balance is zero (disable one that still has a balance). */
  async delete(id: string, version: number, actor: string): Promise<AccountRow> {
    return this.#write(async (accounts, trx) => {
      const before = await this.#live(accounts, id);
      const balance = await accounts.balance(id);
      if (!new Decimal(balance).isZero()) {
        throw financeErrors.create.ACCOUNT_HAS_BALANCE(
          `Account ${before.code} (${before.currency}) has a balance of ${balance}`,
        );
      }
      const after = await accounts.softDelete(id, version, actor);
      await this.events.accountChanged(trx, 'deleted', before, after);
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<AccountRow> {
    return this.#write(async (accounts, trx) => {
      const before = await accounts.find(id, { includeDeleted: true });
      if (!before) throw kitErrors.create.NOT_FOUND(`No account ${id}`);
      const after = await accounts.restore(id, actor);
      await this.events.accountChanged(trx, 'restored', before, after);
      return after;
    });
  }

  /** Opens the default chart (notes/money-design.md) for a legal entity, in its functional currency. */
  async openDefaultChart(
    trx: Kysely<FinanceDatabase>,
    legalEntity: string,
    currency: string,
    actor: string,
  ): Promise<void> {
    const accounts = new AccountRepository(trx);
    for (const account of DEFAULT_CHART) {
      const row = await accounts.insert({ legalEntity, currency, ...account }, actor);
      await this.events.accountChanged(trx, 'created', null, row, actor);
    }
  }

  async #live(accounts: AccountRepository, id: string): Promise<AccountRow> {
    const account = await accounts.find(id);
    if (!account) throw kitErrors.create.NOT_FOUND(`No account ${id}`);
    return account;
  }

  async #write<T>(
    work: (accounts: AccountRepository, trx: Kysely<FinanceDatabase>) => Promise<T>,
  ): Promise<T> {
    const result = await this.db.transaction().execute((trx) => work(new AccountRepository(trx), trx));
    this.ledger.invalidate();
    return result;
  }
}
