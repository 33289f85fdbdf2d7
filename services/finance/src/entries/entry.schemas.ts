import { Money } from '@lessor/event-catalog';
import { ListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import {
  AccountCode,
  CurrencyCode,
  DateString,
  FormatQuery,
  LegalEntityCode,
  LegalEntityQuery,
  Nullable,
  PositiveAmount,
} from '../finance.schemas.ts';

const Side = Type.Union([Type.Literal('debit'), Type.Literal('credit')]);
// Literals listed, not mapped from an array: a mapped array would make the static type `undefined`.
const Kind = Type.Union([
  Type.Literal('event'),
  Type.Literal('manual'),
  Type.Literal('reversal'),
  Type.Literal('income'),
]);

export const EntryLine = Type.Object({
  lineNo: Type.Integer(),
  accountCode: Type.String(),
  accountName: Type.String(),
  side: Side,
  amount: Money,
  counterpartyId: Nullable(Type.String({ format: 'uuid' })),
  contractId: Nullable(Type.String({ format: 'uuid' })),
});

export const Entry = Type.Object({
  id: Uuid,
  seq: Type.String({ description: 'Posting order in the ledger.' }),
  legalEntity: Type.String(),
  date: Type.String({ format: 'date' }),
  kind: Kind,
  description: Type.String(),
  sourceEventId: Nullable(Type.String({ format: 'uuid' })),
  sourceEventType: Nullable(Type.String()),
  postingRuleId: Nullable(Type.String({ format: 'uuid' })),
  reversesEntryId: Nullable(Type.String({ format: 'uuid' })),
  reversedByEntryId: Nullable(Type.String({ format: 'uuid' })),
  lines: Type.Array(EntryLine),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
});
export type Entry = Static<typeof Entry>;
export const EntryList = PageOf(Entry);

export const EntryListQuery = Type.Object(
  {
    ...ListQuery.properties,
    ...LegalEntityQuery,
    ...FormatQuery,
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    kind: Type.Optional(Kind),
    accountCode: Type.Optional(AccountCode),
    contractId: Type.Optional(Uuid),
    sourceEventId: Type.Optional(Uuid),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('seq'),
        Type.Literal('-seq'),
        Type.Literal('entryDate'),
        Type.Literal('-entryDate'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type EntryListQuery = Static<typeof EntryListQuery>;

export const ManualEntry = Type.Object(
  {
    legalEntity: Type.Optional(LegalEntityCode),
    date: Type.Optional(DateString),
    description: Type.String({ minLength: 1, maxLength: 500 }),
    lines: Type.Array(
      Type.Object(
        {
          accountCode: AccountCode,
          currency: Type.Optional(CurrencyCode),
          side: Side,
          amount: PositiveAmount,
          counterpartyId: Type.Optional(Uuid),
          contractId: Type.Optional(Uuid),
        },
        { additionalProperties: false },
      ),
      { minItems: 2, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export type ManualEntry = Static<typeof ManualEntry>;

export const ReverseRequest = Type.Object(
  {
    date: Type.Optional(DateString),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ReverseRequest = Static<typeof ReverseRequest>;
