import { auditView, registerBusinessRoutes, type ServiceApp } from '@lessor/service-kit';
import type { PostingRuleRow } from './posting-rule.repository.ts';
import {
  CreatePostingRule,
  PostingRule,
  PostingRuleList,
  PostingRuleListQuery,
  UpdatePostingRule,
} from './posting-rule.schemas.ts';
import type { PostingRuleService } from './posting-rule.service.ts';

function view(rule: PostingRuleRow): PostingRule {
  return {
    ...auditView(rule),
    conditions: rule.conditions as PostingRule['conditions'],
    lines: rule.lines as PostingRule['lines'],
  };
}

/** The admin API of posting rules: CRUD, every write validated against the catalogue and the charts. */
export function registerPostingRuleRoutes(app: ServiceApp, rules: PostingRuleService): void {
  registerBusinessRoutes(app, {
    path: '/v1/posting-rules',
    noun: 'posting rule',
    tag: 'posting rules',
    permissions: { read: 'finance:posting-rules:read', write: 'finance:posting-rules:write' },
    schemas: {
      item: PostingRule,
      list: PostingRuleList,
      listQuery: PostingRuleListQuery,
      create: CreatePostingRule,
      update: UpdatePostingRule,
    },
    useCases: rules,
    view,
    summaries: {
      list: 'Posting rules',
      create: 'Add a posting rule',
      delete: 'Delete (disable) a posting rule',
    },
    descriptions: {
      create:
        'Refused (422 POSTING_RULE_INVALID) when finance does not receive the event type, a path is not in its schema, an expression does not parse, or an account code is not in a chart it applies to. Exactly one rule must apply to an event: with none or several it goes to review.',
      update: 'The changed rule is validated whole. Its event type stays: make a new rule for another.',
    },
  });
}
