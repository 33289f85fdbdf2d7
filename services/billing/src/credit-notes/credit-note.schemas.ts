import { AuditFields, ListQuery, type Static, Type, Uuid } from '@lessor/service-kit';
import { DateString, Money, Nullable } from '../api.schemas.ts';

export const IssueCreditNote = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '\\S',
      description: 'Why the invoice is corrected; kept on the credit note and in its events.',
    }),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            position: Type.Integer({
              minimum: 1,
              description: 'The position of the invoice line to credit.',
            }),
            amount: Type.Optional(
              Type.String({
                pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
                description:
                  'How much of the line, in the invoice’s currency (no more decimals than it has); omitted: all that is left of the line.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 50,
          description: 'Omitted: the whole invoice, every line with all that is left of it.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type IssueCreditNote = Static<typeof IssueCreditNote>;

export const CreditNote = Type.Object({
  id: Uuid,
  number: Type.String({ description: '`CN-<entity>-<year>-<000003>`, gap-free apart from invoice numbers.' }),
  legalEntity: Type.String(),
  invoiceId: Uuid,
  contractId: Uuid,
  partyId: Uuid,
  currency: Type.String(),
  issueDate: { ...DateString, description: 'The business day it was issued on.' },
  reason: Type.String(),
  principal: Money,
  interest: Money,
  fees: Money,
  vat: Money,
  total: Money,
  appliedToInvoice: { ...Money, description: 'What of it settled the corrected invoice.' },
  toCredit: {
    ...Money,
    description:
      'What the client had paid already of the parts credited: it became the client’s credit (the payment `paymentId`), which pays their other open invoices.',
  },
  paymentId: { ...Uuid, description: 'The client’s credit it gave: a payment of source `credit-note`.' },
  ...AuditFields,
});
export type CreditNote = Static<typeof CreditNote>;

export const CreditNoteDetail = Type.Object({
  ...CreditNote.properties,
  lines: Type.Array(
    Type.Object({
      position: Type.Integer(),
      invoiceLine: Type.Integer({ description: 'The position of the invoice line it credits.' }),
      kind: Type.String(),
      description: Type.String(),
      amount: Money,
    }),
  ),
});

export const CreditNoteList = Type.Object({
  items: Type.Array(CreditNote),
  nextCursor: Nullable(Type.String()),
});

export const CreditNoteListQuery = Type.Object(
  {
    ...ListQuery.properties,
    invoiceId: Type.Optional(Uuid),
    contractId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CreditNoteListQuery = Static<typeof CreditNoteListQuery>;
