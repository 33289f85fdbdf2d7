import type { Kysely } from 'kysely';
import { findEventDefinition } from '@lessor/event-catalog';
import { kitErrors } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import { financeErrors } from '../finance.errors.ts';
import type { FinanceEvents } from '../finance.events.ts';
import type { Ledger } from '../posting/ledger.ts';
import { DEFAULT_POSTING_RULES } from './default-rules.ts';
import { ruleErrors, type PostingRuleDefinition } from './posting-rule.ts';
import { PostingRuleRepository, ruleOf, type PostingRuleRow } from './posting-rule.repository.ts';
import type { CreatePostingRule, PostingRuleListQuery, UpdatePostingRule } from './posting-rule.schemas.ts';

/** Posting rules as data: validated on every write, read by the ledger's postings (within `cacheMs`). */
export class PostingRuleService {
  constructor(
    private readonly db: Kysely<FinanceDatabase>,
    private readonly events: FinanceEvents,
    private readonly ledger: Ledger,
    /** The event types finance consumes (its definition's): a rule for any other would never apply. */
    private readonly consumedTypes: readonly string[],
  ) {}

  list(query: PostingRuleListQuery) {
    return new PostingRuleRepository(this.db).search(query);
  }

  async get(id: string, includeDeleted = false): Promise<PostingRuleRow> {
    const rule = await new PostingRuleRepository(this.db).find(id, { includeDeleted });
    if (!rule) throw kitErrors.create.NOT_FOUND(`No posting rule ${id}`);
    return rule;
  }

  async create(input: CreatePostingRule, actor: string): Promise<PostingRuleRow> {
    return this.#write(async (rules, trx) => {
      await this.#validate(trx, input);
      const rule = await rules.insert(storable(input), actor);
      await this.events.postingRuleChanged(trx, 'created', null, rule);
      return rule;
    });
  }

  async update(
    id: string,
    version: number,
    changes: UpdatePostingRule,
    actor: string,
  ): Promise<PostingRuleRow> {
    return this.#write(async (rules, trx) => {
      const before = await rules.find(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No posting rule ${id}`);
      const merged: PostingRuleDefinition = { ...ruleOf(before), ...changes };
      await this.#validate(trx, merged);
      const after = await rules.update(id, version, storable(merged), actor);
      await this.events.postingRuleChanged(trx, 'updated', before, after);
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<PostingRuleRow> {
    return this.#write(async (rules, trx) => {
      const before = await rules.find(id);
      if (!before) throw kitErrors.create.NOT_FOUND(`No posting rule ${id}`);
      const after = await rules.softDelete(id, version, actor);
      await this.events.postingRuleChanged(trx, 'deleted', before, after);
      return after;
    });
  }

  /** A restored rule must still be valid: the chart may have changed while it was deleted. */
  async restore(id: string, actor: string): Promise<PostingRuleRow> {
    return this.#write(async (rules, trx) => {
      const before = await rules.find(id, { includeDeleted: true });
      if (!before) throw kitErrors.create.NOT_FOUND(`No posting rule ${id}`);
      await this.#validate(trx, ruleOf(before));
      const after = await rules.restore(id, actor);
      await this.events.postingRuleChanged(trx, 'restored', before, after);
      return after;
    });
  }

  /** The default rule set, installed once: when no rule was ever stored. */
  async installDefaults(trx: Kysely<FinanceDatabase>): Promise<void> {
    const rules = new PostingRuleRepository(trx);
    if (await rules.any()) return;
    for (const definition of DEFAULT_POSTING_RULES) {
      const rule = await rules.insert(storable(definition), 'system');
      await this.events.postingRuleChanged(trx, 'created', null, rule, 'system');
    }
  }

  async #validate(trx: Kysely<FinanceDatabase>, rule: PostingRuleDefinition): Promise<void> {
    const accounts = await trx
      .selectFrom('accounts')
      .select(['legalEntity', 'code'])
      .where('deletedAt', 'is', null)
      .execute();
    const entities = await trx.selectFrom('legalEntities').select('code').execute();
    const accountCodes = new Map<string, Set<string>>();
    for (const entity of entities) {
      if (rule.legalEntity === null || rule.legalEntity === entity.code)
        accountCodes.set(entity.code, new Set());
    }
    for (const account of accounts) accountCodes.get(account.legalEntity)?.add(account.code);
    const errors = ruleErrors(rule, {
      consumedTypes: this.consumedTypes,
      schemaOf: (type) => findEventDefinition(type)?.data,
      accountCodes,
    });
    if (rule.legalEntity !== null && !accountCodes.has(rule.legalEntity)) {
      errors.push({ field: '/body/legalEntity', message: `finance keeps no books for ${rule.legalEntity}` });
    }
    if (errors.length > 0) {
      throw financeErrors.create.POSTING_RULE_INVALID(`${errors.length} problem(s) with the rule`, {
        errors,
      });
    }
  }

  async #write<T>(
    work: (rules: PostingRuleRepository, trx: Kysely<FinanceDatabase>) => Promise<T>,
  ): Promise<T> {
    const result = await this.db.transaction().execute((trx) => work(new PostingRuleRepository(trx), trx));
    this.ledger.invalidate();
    return result;
  }
}

function storable(rule: PostingRuleDefinition) {
  return {
    name: rule.name,
    eventType: rule.eventType,
    legalEntity: rule.legalEntity,
    description: rule.description,
    conditions: JSON.stringify(rule.conditions),
    datePath: rule.datePath,
    entryDescription: rule.entryDescription,
    lines: JSON.stringify(rule.lines),
  };
}
