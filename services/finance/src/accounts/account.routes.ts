import { auditView, registerBusinessRoutes, type ServiceApp } from '@lessor/service-kit';
import type { AccountRow } from './account.repository.ts';
import { Account, AccountList, AccountListQuery, CreateAccount, UpdateAccount } from './account.schemas.ts';
import type { AccountService } from './account.service.ts';

function view(account: AccountRow): Account {
  return { ...auditView(account), type: account.type as Account['type'] };
}

/** The chart of accounts: list, read, create, rename, disable, delete (soft, balance zero) and restore. */
export function registerAccountRoutes(app: ServiceApp, accounts: AccountService): void {
  registerBusinessRoutes(app, {
    path: '/v1/accounts',
    noun: 'account',
    tag: 'accounts',
    permissions: { read: 'finance:accounts:read', write: 'finance:accounts:write' },
    schemas: {
      item: Account,
      list: AccountList,
      listQuery: AccountListQuery,
      create: CreateAccount,
      update: UpdateAccount,
    },
    useCases: accounts,
    view,
    summaries: {
      list: 'The chart of accounts of a legal entity',
      create: 'Open an account',
      read: 'Read an account',
      update: 'Rename, disable or enable an account',
      delete: 'Delete an account whose balance is zero (soft)',
      restore: 'Restore a deleted account',
    },
    descriptions: {
      create: 'One account per legal entity, code and currency (the functional currency when none is given).',
      update: 'A disabled account takes no postings; its balance and history stay.',
    },
  });
}
