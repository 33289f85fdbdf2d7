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
import type { AccountRow } from './account.repository.ts';
import { Account, AccountList, AccountListQuery, CreateAccount, UpdateAccount } from './account.schemas.ts';
import type { AccountService } from './account.service.ts';

const tags = ['accounts'];

function view(account: AccountRow): Account {
  return { ...auditView(account), type: account.type as Account['type'] };
}

/** The chart of accounts: list, read, create, rename, disable, delete (soft, balance zero) and restore. */
export function registerAccountRoutes(app: ServiceApp, accounts: AccountService): void {
  app.get(
    '/v1/accounts',
    {
      config: { permission: 'finance:accounts:read' },
      schema: {
        tags,
        summary: 'The chart of accounts of a legal entity',
        querystring: AccountListQuery,
        response: { 200: AccountList },
      },
    },
    async (request) => {
      const page = await accounts.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/accounts',
    {
      config: { permission: 'finance:accounts:write', idempotent: true },
      schema: {
        tags,
        summary: 'Open an account',
        description:
          'One account per legal entity, code and currency (the functional currency when none is given).',
        body: CreateAccount,
        response: { 201: Account },
      },
    },
    async (request, reply) => {
      const account = await accounts.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/accounts/${account.id}`)
        .send(withEtag(reply, view(account)));
    },
  );

  app.get(
    '/v1/accounts/:id',
    {
      config: { permission: 'finance:accounts:read' },
      schema: {
        tags,
        summary: 'Read an account',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: Account },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await accounts.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/accounts/:id',
    {
      config: { permission: 'finance:accounts:write' },
      schema: {
        tags,
        summary: 'Rename, disable or enable an account',
        description: 'A disabled account takes no postings; its balance and history stay.',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateAccount,
        response: { 200: Account },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await accounts.update(request.params.id, requiredVersion(request), request.body, actorOf(request)),
        ),
      ),
  );

  app.delete(
    '/v1/accounts/:id',
    {
      config: { permission: 'finance:accounts:write' },
      schema: {
        tags,
        summary: 'Delete an account whose balance is zero (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Account },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await accounts.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/accounts/:id/restore',
    {
      config: { permission: 'finance:accounts:write' },
      schema: { tags, summary: 'Restore a deleted account', params: IdParams, response: { 200: Account } },
    },
    async (request, reply) =>
      withEtag(reply, view(await accounts.restore(request.params.id, actorOf(request)))),
  );
}
