import { Money } from '@lessor/event-catalog';
import { type Static, Type, Uuid } from '@lessor/service-kit';
import {
  AccountCode,
  CurrencyCode,
  DateString,
  FormatQuery,
  LegalEntityQuery,
  Nullable,
} from '../finance.schemas.ts';

export const TrialBalanceQuery = Type.Object(
  {
    ...LegalEntityQuery,
    ...FormatQuery,
    at: Type.Optional(DateString),
    currency: Type.Optional(CurrencyCode),
  },
  { additionalProperties: false },
);
export type TrialBalanceQuery = Static<typeof TrialBalanceQuery>;

export const TrialBalanceResponse = Type.Object({
  legalEntity: Type.String(),
  at: Type.String({ format: 'date' }),
  currency: Type.String({ description: 'The reporting currency every amount is shown in.' }),
  lines: Type.Array(
    Type.Object({
      accountCode: Type.String(),
      accountName: Type.String(),
      accountType: Type.String(),
      accountCurrency: Type.String(),
      debit: Money,
      credit: Money,
      converted: Nullable(
        Type.Object({
          debit: Money,
          credit: Money,
          rate: Type.String({ description: 'Units of the reporting currency per unit of the account’s.' }),
        }),
      ),
    }),
  ),
  totalDebit: Money,
  totalCredit: Money,
  byCurrency: Type.Array(Type.Object({ currency: Type.String(), totalDebit: Money, totalCredit: Money }), {
    description: 'The unconverted totals of each currency the books hold.',
  }),
});

export const StatementParams = Type.Object({ code: AccountCode }, { additionalProperties: false });
export const StatementQuery = Type.Object(
  {
    ...LegalEntityQuery,
    ...FormatQuery,
    currency: Type.Optional(CurrencyCode),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
  },
  { additionalProperties: false },
);
export type StatementQuery = Static<typeof StatementQuery>;

export const StatementResponse = Type.Object({
  legalEntity: Type.String(),
  accountCode: Type.String(),
  accountName: Type.String(),
  accountType: Type.String(),
  currency: Type.String(),
  normalBalance: Type.Union([Type.Literal('debit'), Type.Literal('credit')], {
    description:
      'Balances are shown positive on this side (debit for assets and expenses, credit otherwise).',
  }),
  from: Nullable(Type.String({ format: 'date' })),
  to: Type.String({ format: 'date' }),
  opening: Money,
  closing: Money,
  lines: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      entryId: Uuid,
      seq: Type.String(),
      description: Type.String(),
      debit: Money,
      credit: Money,
      balance: Money,
      counterpartyId: Nullable(Type.String({ format: 'uuid' })),
      contractId: Nullable(Type.String({ format: 'uuid' })),
    }),
  ),
});

export const ReceivablesQuery = Type.Object(
  {
    ...LegalEntityQuery,
    ...FormatQuery,
    by: Type.Union([Type.Literal('party'), Type.Literal('contract')], { default: 'contract' }),
    at: Type.Optional(DateString),
    contractId: Type.Optional(Uuid),
    partyId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type ReceivablesQuery = Static<typeof ReceivablesQuery>;

export const ReceivablesResponse = Type.Object({
  legalEntity: Type.String(),
  accountCode: Type.String(),
  by: Type.String(),
  at: Type.String({ format: 'date' }),
  items: Type.Array(
    Type.Object({
      partyId: Nullable(Type.String({ format: 'uuid' })),
      contractId: Nullable(Type.String({ format: 'uuid' })),
      debit: Money,
      credit: Money,
      balance: Money,
    }),
  ),
  totals: Type.Array(Type.Object({ currency: Type.String(), balance: Money })),
});

export const AccountBalancesQuery = Type.Object(
  {
    ...LegalEntityQuery,
    ...FormatQuery,
    by: Type.Union([Type.Literal('contract'), Type.Literal('party')], {
      default: 'contract',
      description: 'Sum the account’s lines by contract (default) or by counterparty.',
    }),
    at: Type.Optional({
      ...DateString,
      description: 'Lines dated on or before it; default the business date.',
    }),
    currency: Type.Optional({
      ...CurrencyCode,
      description:
        'The currency of the account (one per code and currency); default the functional currency.',
    }),
    contractId: Type.Optional(Uuid),
    partyId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type AccountBalancesQuery = Static<typeof AccountBalancesQuery>;

export const AccountBalancesResponse = Type.Object({
  legalEntity: Type.String(),
  accountCode: Type.String(),
  accountName: Type.String(),
  accountType: Type.String(),
  currency: Type.String(),
  normalBalance: Type.Union([Type.Literal('debit'), Type.Literal('credit')], {
    description:
      'Balances are shown positive on this side (debit for assets and expenses, credit otherwise).',
  }),
  by: Type.Union([Type.Literal('contract'), Type.Literal('party')]),
  at: Type.String({ format: 'date' }),
  items: Type.Array(
    Type.Object({
      contractId: Nullable(Type.String({ format: 'uuid' })),
      partyId: Nullable(Type.String({ format: 'uuid' })),
      debit: Money,
      credit: Money,
      balance: Money,
    }),
    {
      description:
        'One per contract (or counterparty) with lines on the account; lines that carry none (money no contract claims yet) sum to the item whose id is null, last.',
    },
  ),
  total: {
    ...Money,
    description: 'The account’s balance at `at`: the sum of the items (of the filtered ones).',
  },
});
