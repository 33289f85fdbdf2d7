import type { Kysely, Selectable } from 'kysely';
import { BusinessRepository } from '@lessor/service-kit';
import type { FinanceDatabase, PostingRulesTable } from '../database.ts';
import type { PostingRule, RuleCondition, RuleLine } from './posting-rule.ts';
import type { PostingRuleListQuery } from './posting-rule.schemas.ts';

export type PostingRuleRow = Selectable<PostingRulesTable>;

/** A stored rule as the domain reads it. */
export function ruleOf(row: PostingRuleRow): PostingRule {
  return {
    id: row.id,
    name: row.name,
    eventType: row.eventType,
    legalEntity: row.legalEntity,
    description: row.description,
    conditions: row.conditions as RuleCondition[],
    datePath: row.datePath,
    entryDescription: row.entryDescription,
    lines: row.lines as RuleLine[],
  };
}

/** The SQL of posting rules. */
export class PostingRuleRepository extends BusinessRepository<FinanceDatabase, 'postingRules'> {
  constructor(db: Kysely<FinanceDatabase>) {
    super(db, 'postingRules', {
      sortable: ['name', 'eventType', 'createdAt'],
      fallback: { column: 'createdAt', direction: 'asc' },
    });
  }

  search(query: PostingRuleListQuery) {
    return this.list(
      { deleted: query.deleted ?? 'exclude', sort: query.sort, cursor: query.cursor, limit: query.limit },
      (q) => (query.eventType ? q.where('eventType', '=', query.eventType) : q),
    );
  }

  /** Every live rule: the ledger's cache. */
  live(): Promise<PostingRuleRow[]> {
    return this.db.selectFrom('postingRules').selectAll().where('deletedAt', 'is', null).execute();
  }

  /** Whether any rule was ever stored (deleted ones count): the defaults are installed only once. */
  async any(): Promise<boolean> {
    return (await this.db.selectFrom('postingRules').select('id').limit(1).executeTakeFirst()) !== undefined;
  }
}
