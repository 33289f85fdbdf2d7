import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  type ServiceApp,
  withEtag,
} from '@lessor/service-kit';
import type { PostingRuleRow } from './posting-rule.repository.ts';
import {
  CreatePostingRule,
  PostingRule,
  PostingRuleList,
  PostingRuleListQuery,
  UpdatePostingRule,
} from './posting-rule.schemas.ts';
import type { PostingRuleService } from './posting-rule.service.ts';

const tags = ['posting rules'];

function view(rule: PostingRuleRow): PostingRule {
  return {
    ...auditView(rule),
    conditions: rule.conditions as PostingRule['conditions'],
    lines: rule.lines as PostingRule['lines'],
  };
}

/** The admin API of posting rules: CRUD, every write validated against the catalogue and the charts. */
export function registerPostingRuleRoutes(app: ServiceApp, rules: PostingRuleService): void {
  app.get(
    '/v1/posting-rules',
    {
      config: { permission: 'finance:posting-rules:read' },
      schema: {
        tags,
        summary: 'Posting rules',
        querystring: PostingRuleListQuery,
        response: { 200: PostingRuleList },
      },
    },
    async (request) => {
      const page = await rules.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/posting-rules',
    {
      config: { permission: 'finance:posting-rules:write', idempotent: true },
      schema: {
        tags,
        summary: 'Add a posting rule',
        description:
          'Refused (422 POSTING_RULE_INVALID) when finance does not receive the event type, a path is not in its schema, an expression does not parse, or an account code is not in a chart it applies to. Exactly one rule must apply to an event: with none or several it goes to review.',
        body: CreatePostingRule,
        response: { 201: PostingRule },
      },
    },
    async (request, reply) => {
      const rule = await rules.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/posting-rules/${rule.id}`)
        .send(withEtag(reply, view(rule)));
    },
  );

  app.get(
    '/v1/posting-rules/:id',
    {
      config: { permission: 'finance:posting-rules:read' },
      schema: {
        tags,
        summary: 'Read a posting rule',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: PostingRule },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await rules.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/posting-rules/:id',
    {
      config: { permission: 'finance:posting-rules:write' },
      schema: {
        tags,
        summary: 'Change a posting rule',
        description:
          'The changed rule is validated whole. Its event type stays: make a new rule for another.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdatePostingRule,
        response: { 200: PostingRule },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await rules.update(request.params.id, requiredVersion(request), request.body, actorOf(request))),
      ),
  );

  app.delete(
    '/v1/posting-rules/:id',
    {
      config: { permission: 'finance:posting-rules:write' },
      schema: {
        tags,
        summary: 'Delete (disable) a posting rule',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: PostingRule },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await rules.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/posting-rules/:id/restore',
    {
      config: { permission: 'finance:posting-rules:write' },
      schema: {
        tags,
        summary: 'Restore a deleted posting rule',
        params: IdParams,
        response: { 200: PostingRule },
      },
    },
    async (request, reply) => withEtag(reply, view(await rules.restore(request.params.id, actorOf(request)))),
  );
}
