import { ListQuery, Type, Uuid } from '@lessor/service-kit';
import { DateTime, Money, Nullable } from '../api.schemas.ts';
import { BANK_FILE_FORMATS } from './bank-statement.ts';

const Format = Type.Enum(BANK_FILE_FORMATS);

export const ImportQuery = Type.Object(
  {
    format: Type.Optional({
      ...Format,
      description:
        'csv or camt053; by default from the Content-Type (text/csv; application/xml or text/xml).',
    }),
    fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const ImportBody = Type.String({
  minLength: 1,
  description: 'The statement file itself (UTF-8): CSV or camt.053 XML. See the README for the formats.',
});

const counts = {
  matched: Type.Integer({ description: 'Lines imported and matched to a contract.' }),
  unmatched: Type.Integer({ description: 'Lines imported as unmatched payments (match them by hand).' }),
  refused: Type.Integer({ description: 'Broken lines: not imported; each says why.' }),
  skipped: Type.Integer({
    description: 'Lines imported before (same bank reference), debits, pending entries.',
  }),
};

export const ImportSummary = Type.Object({
  id: Uuid,
  format: Format,
  fileName: Nullable(Type.String()),
  fileHash: Type.String({ description: 'SHA-256 of the file: the same file again adds nothing.' }),
  legalEntity: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed')]),
  linesTotal: Type.Integer(),
  linesDone: Type.Integer(),
  ...counts,
  createdAt: DateTime,
  createdBy: Type.String(),
  finishedAt: Nullable(DateTime),
});

export const ImportLine = Type.Object({
  entry: Type.Integer({ description: 'Position among the file’s payment lines, from 1.' }),
  line: Type.Integer({
    description: 'Line in the file: CSV physical line (header = 1); camt.053 the entry’s tag.',
  }),
  status: Type.Enum(['pending', 'matched', 'unmatched', 'refused', 'skipped']),
  reason: Nullable(Type.String()),
  paymentId: Nullable(Uuid),
  valueDate: Nullable(Type.String()),
  amount: Nullable(Money),
  reference: Nullable(Type.String()),
  bankReference: Nullable(Type.String()),
});

export const Import = Type.Object({
  ...ImportSummary.properties,
  lines: Type.Array(ImportLine, { description: 'The report: every line with its outcome.' }),
});

export const ImportList = Type.Object({
  items: Type.Array(ImportSummary),
  nextCursor: Nullable(Type.String()),
});
export const ImportListQuery = Type.Object({ ...ListQuery.properties }, { additionalProperties: false });
