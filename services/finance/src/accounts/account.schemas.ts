import { AuditFields, BusinessListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import { AccountCode, CurrencyCode, LegalEntityCode, LegalEntityQuery } from '../finance.schemas.ts';
import { ACCOUNT_TYPES } from './default-chart.ts';

const AccountTypeSchema = Type.Union(
  ACCOUNT_TYPES.map((type) => Type.Literal(type)),
  { description: 'asset and expense accounts grow by debits; liability, equity and income by credits.' },
);

export const Account = Type.Object({
  id: Uuid,
  legalEntity: Type.String(),
  code: Type.String(),
  currency: Type.String(),
  name: Type.String(),
  type: AccountTypeSchema,
  disabled: Type.Boolean({ description: 'True: nothing can be posted to it.' }),
  ...AuditFields,
});
export type Account = Static<typeof Account>;
export const AccountList = PageOf(Account);

export const AccountListQuery = BusinessListQuery(['code', 'createdAt'], {
  ...LegalEntityQuery,
  code: Type.Optional(AccountCode),
  currency: Type.Optional(CurrencyCode),
  type: Type.Optional(AccountTypeSchema),
  disabled: Type.Optional(Type.Boolean()),
});
export type AccountListQuery = Static<typeof AccountListQuery>;

export const CreateAccount = Type.Object(
  {
    legalEntity: Type.Optional(LegalEntityCode),
    code: AccountCode,
    currency: Type.Optional(CurrencyCode),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    type: AccountTypeSchema,
  },
  { additionalProperties: false },
);
export type CreateAccount = Static<typeof CreateAccount>;

/** The code, currency and type stay: lines already posted to the account are read by them. */
export const UpdateAccount = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccount = Static<typeof UpdateAccount>;
