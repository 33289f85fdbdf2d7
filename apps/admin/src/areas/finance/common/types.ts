import type { paths } from '../../../api/schema/finance.ts';

/** The finance API's answers, as generated from its openapi.json (never written by hand). */
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type TrialBalance = Json<paths['/v1/trial-balance']['get']['responses'][200]>;
export type TrialBalanceLine = TrialBalance['lines'][number];
export type Statement = Json<paths['/v1/accounts/{code}/statement']['get']['responses'][200]>;
export type StatementLine = Statement['lines'][number];
export type Receivables = Json<paths['/v1/receivables']['get']['responses'][200]>;
export type ReceivablesItem = Receivables['items'][number];
export type AccountBalances = Json<paths['/v1/accounts/{code}/balances']['get']['responses'][200]>;
export type AccountBalancesItem = AccountBalances['items'][number];
export type EntryPage = Json<paths['/v1/entries']['get']['responses'][200]>;
export type Entry = EntryPage['items'][number];
export type ReviewPage = Json<paths['/v1/review-items']['get']['responses'][200]>;
export type ReviewItem = ReviewPage['items'][number];
export type AccountPage = Json<paths['/v1/accounts']['get']['responses'][200]>;
export type Account = AccountPage['items'][number];
export type AccountType = Account['type'];
export type NewAccount = NonNullable<
  paths['/v1/accounts']['post']['requestBody']
>['content']['application/json'];
export type AccountChange = NonNullable<
  paths['/v1/accounts/{id}']['patch']['requestBody']
>['content']['application/json'];
export type LegalEntities = Json<paths['/v1/legal-entities']['get']['responses'][200]>;

export const ACCOUNT_TYPES: readonly AccountType[] = ['asset', 'liability', 'equity', 'income', 'expense'];
export const ENTRY_KINDS = ['event', 'manual', 'reversal', 'income'] as const;
export const REVIEW_STATUSES = ['open', 'resolved', 'discarded'] as const;
/** The reasons the API names for an event it could not post (review-items' `reasonCode`). */
export const REVIEW_REASONS = [
  'NO_MATCHING_RULE',
  'AMBIGUOUS_RULES',
  'DATA_PATH_MISSING',
  'AMOUNT_INVALID',
  'ENTRY_UNBALANCED',
  'ACCOUNT_DISABLED',
  'ACCOUNT_NOT_FOUND',
  'PERIOD_CLOSED',
  'ENTRY_DATE_IN_FUTURE',
  'LEGAL_ENTITY_NOT_FOUND',
] as const;
