import { sql, type Kysely, type Selectable } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { AccountService } from '../accounts/account.service.ts';
import type { FinanceDatabase, LegalEntitiesTable } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { Ledger } from '../posting/ledger.ts';
import type { PostingRuleService } from '../posting-rules/posting-rule.service.ts';
import type { CreateLegalEntity } from './legal-entity.schemas.ts';

export type LegalEntityRow = Selectable<LegalEntitiesTable>;

/**
 * The companies whose books finance keeps, and each one's business date: the date its books stand at, kept
 * apart from the system date (set by hand, e.g. for a day's closing; null follows the system date).
 */
export class LegalEntityService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly accounts: AccountService,
    private readonly rules: PostingRuleService,
    private readonly ledger: Ledger,
    private readonly options: { legalEntity: string; functionalCurrency: string; today: () => string },
  ) {}

  /**
   * First start: the configured legal entity with the default chart, and the default posting rules — each
   * once only (a deleted default rule stays deleted). Replicas starting together take turns on a lock.
   */
  async ensureFirstStart(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('finance:first-start'))`.execute(trx);
      const exists = await trx
        .selectFrom('legalEntities')
        .select('code')
        .where('code', '=', this.options.legalEntity)
        .executeTakeFirst();
      if (!exists) {
        await this.#insert(
          trx,
          {
            code: this.options.legalEntity,
            name: this.options.legalEntity,
            functionalCurrency: this.options.functionalCurrency,
            chart: 'default',
          },
          'system',
        );
      }
      await this.rules.installDefaults(trx);
    });
    this.ledger.invalidate();
  }

  list(): Promise<LegalEntityRow[]> {
    return this.db.selectFrom('legalEntities').selectAll().orderBy('code').execute();
  }

  async get(code: string): Promise<LegalEntityRow> {
    const row = await this.db
      .selectFrom('legalEntities')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst();
    if (!row) throw kitErrors.create.NOT_FOUND(`Finance keeps no books for ${code}`);
    return row;
  }

  async create(input: CreateLegalEntity, actor: string): Promise<LegalEntityRow> {
    const row = await this.db.transaction().execute(async (trx) => {
      const exists = await trx
        .selectFrom('legalEntities')
        .select('code')
        .where('code', '=', input.code)
        .forUpdate()
        .executeTakeFirst();
      if (exists) throw financeErrors.create.LEGAL_ENTITY_EXISTS(`${input.code} has books already`);
      return this.#insert(trx, input, actor);
    });
    this.ledger.invalidate();
    return row;
  }

  /** The date the books stand at: the one set, else today's system date. */
  businessDateOf(row: LegalEntityRow): string {
    return row.businessDate ?? this.options.today();
  }

  async setBusinessDate(code: string, businessDate: string | null, actor: string): Promise<LegalEntityRow> {
    const row = await this.db
      .updateTable('legalEntities')
      .set({ businessDate, updatedBy: actor, updatedAt: sql`now()`, version: sql`version + 1` })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw kitErrors.create.NOT_FOUND(`Finance keeps no books for ${code}`);
    this.ledger.invalidate();
    return row;
  }

  async #insert(
    trx: Kysely<FinanceDatabase>,
    input: CreateLegalEntity,
    actor: string,
  ): Promise<LegalEntityRow> {
    const row = await trx
      .insertInto('legalEntities')
      .values({
        code: input.code,
        name: input.name,
        functionalCurrency: input.functionalCurrency,
        businessDate: null,
        createdBy: actor,
        updatedBy: actor,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.chart === 'default') {
      await this.accounts.openDefaultChart(trx, input.code, input.functionalCurrency, actor);
    }
    return row;
  }
}
