import { ListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const DateString = Type.String({ format: 'date', description: 'A business date, YYYY-MM-DD.' });
const Timestamp = Type.String({ format: 'date-time' });
const DecimalAmount = Type.String({
  pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
  description: 'A decimal string, with at least the currency’s decimals.',
});
const LegalEntity = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
  description: 'A legal entity (company) whose books finance keeps, e.g. `LESSOR`.',
});

// Literals listed, not mapped from an array: a mapped array would make the static type `undefined`.
export const ExportStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('sent'), Type.Literal('acknowledged'), Type.Literal('refused')],
  {
    description:
      '`pending`: waits to be sent; `sent`: sent, the answer not known yet (looked up before it is sent again); ' +
      '`acknowledged`: the accounting system has it; `refused`: it refused it (`refusal` says why).',
  },
);

export const ExportLine = Type.Object({
  lineNo: Type.Integer({ minimum: 1 }),
  accountCode: Type.String(),
  accountName: Type.String(),
  side: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  amount: DecimalAmount,
  currency: Type.String(),
  counterpartyId: Nullable(Type.String({ format: 'uuid' })),
  contractId: Nullable(Type.String({ format: 'uuid' })),
});

export const ExportEntry = Type.Object({
  entryId: Uuid,
  legalEntity: Type.String(),
  entryDate: DateString,
  kind: Type.String({ description: 'What made it in finance: `event`, `manual`, `reversal` or `income`.' }),
  description: Type.String(),
  sourceEventType: Nullable(Type.String()),
  reversesEntryId: Nullable(Type.String({ format: 'uuid' })),
  status: ExportStatusSchema,
  connectorId: Nullable(Type.String({ format: 'uuid', description: 'The accounting connector it went to.' })),
  attempts: Type.Integer({ description: 'Sends and lookups so far (the backoff grows with them).' }),
  receivedAt: Timestamp,
  firstSentAt: Nullable(Timestamp),
  lastSentAt: Nullable(Timestamp),
  nextAttemptAt: Type.String({ format: 'date-time', description: 'When it is due (pending or sent).' }),
  acknowledgedAt: Nullable(Timestamp),
  acknowledgedAs: Type.Union([Type.Literal('created'), Type.Literal('duplicate'), Type.Null()], {
    description:
      '`created` by our send; `duplicate`: the accounting system had it already (an earlier send arrived).',
  }),
  refusedAt: Nullable(Timestamp),
  refusal: Nullable(Type.String({ description: 'The accounting system’s reason, as it said it.' })),
  lastError: Nullable(Type.String({ description: 'The last failure of a send or a lookup.' })),
  lines: Type.Array(ExportLine),
});
export type ExportEntry = Static<typeof ExportEntry>;
export const ExportEntryList = PageOf(ExportEntry);

export const ExportListQuery = Type.Object(
  {
    ...ListQuery.properties,
    status: Type.Optional(ExportStatusSchema),
    legalEntity: Type.Optional(LegalEntity),
    from: Type.Optional(DateString),
    to: Type.Optional(DateString),
    sort: Type.Optional(
      Type.Union([
        Type.Literal('entryDate'),
        Type.Literal('-entryDate'),
        Type.Literal('receivedAt'),
        Type.Literal('-receivedAt'),
      ]),
    ),
  },
  { additionalProperties: false },
);
export type ExportListQuery = Static<typeof ExportListQuery>;

export const PeriodQuery = Type.Object(
  {
    from: { ...DateString, description: 'The first business date, YYYY-MM-DD.' },
    to: { ...DateString, description: 'The last business date, YYYY-MM-DD (not before `from`).' },
    legalEntity: Type.Optional(LegalEntity),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

export const EntryIdParams = Type.Object({ entryId: Uuid });

const Counts = {
  posted: Type.Integer({ description: 'Entries finance posted (dated in the period).' }),
  sent: Type.Integer({ description: 'Of them, sent to the accounting system at least once.' }),
  acknowledged: Type.Integer({ description: 'The accounting system has them.' }),
  refused: Type.Integer({ description: 'It refused them (`refusals` says why).' }),
  pending: Type.Integer({ description: 'Neither yet: posted = acknowledged + refused + pending.' }),
};

const CurrencyTotals = Type.Object({
  currency: Type.String(),
  postedDebit: DecimalAmount,
  postedCredit: DecimalAmount,
  exportedDebit: { ...DecimalAmount, description: 'Of the acknowledged entries.' },
  exportedCredit: { ...DecimalAmount, description: 'Of the acknowledged entries.' },
});

export const Reconciliation = Type.Object({
  from: DateString,
  to: DateString,
  legalEntity: Nullable(Type.String()),
  ...Counts,
  totals: Type.Array(CurrencyTotals),
  periods: Type.Array(
    Type.Object({
      period: Type.String({ pattern: '^\\d{4}-\\d{2}$', description: 'A month of entry dates, YYYY-MM.' }),
      ...Counts,
      refusals: Type.Array(
        Type.Object({ entryId: Uuid, entryDate: DateString, reason: Type.String(), refusedAt: Timestamp }),
      ),
      totals: Type.Array(CurrencyTotals),
    }),
  ),
});
export type Reconciliation = Static<typeof Reconciliation>;
