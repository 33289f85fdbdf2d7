import { currencyCodeSchema } from '@lessor/reference-data';
import { AuditFields, ListQuery, type Static, Type, Uuid } from '@lessor/service-kit';
import { DateString, Money, Nullable } from '../api.schemas.ts';
import { InvoiceAllocation } from '../invoices/invoice.schemas.ts';
import { PAYMENT_SORTS } from './payment.repository.ts';

const DecimalAmount = Type.String({
  pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
  description: 'A plain decimal, e.g. "1250.00": taken in the contract’s currency.',
});

export const RegisterPayment = Type.Object(
  {
    contractId: Type.Optional(
      Nullable({ ...Uuid, description: 'The contract it pays; omitted or null: matched by `reference`.' }),
    ),
    amount: Type.Union(
      [
        Type.Object(
          {
            amount: DecimalAmount,
            currency: Type.String(currencyCodeSchema()),
          },
          { additionalProperties: false },
        ),
        DecimalAmount,
      ],
      {
        description:
          '`{amount, currency}` (preferred), or a decimal string in the contract’s currency when `contractId` is given or the reference finds the contract. Above zero, no more decimals than the currency has.',
      },
    ),
    valueDate: { ...DateString, description: 'The bank’s value date: allocations count from it.' },
    reference: Type.String({ maxLength: 500, description: 'What the payer wrote (the payment reference).' }),
    bankReference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The bank’s transaction id: registering or importing it again is refused (409).',
      }),
    ),
    payerName: Type.Optional(Type.String({ maxLength: 200 })),
    payerAccount: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type RegisterPayment = Static<typeof RegisterPayment>;

export const MatchRequest = Type.Object({ contractId: Uuid }, { additionalProperties: false });

const Status = Type.Union([Type.Literal('unmatched'), Type.Literal('matched')]);

export const Payment = Type.Object({
  id: Uuid,
  legalEntity: Type.String(),
  contractId: Nullable(Uuid),
  partyId: Nullable(Uuid),
  status: Status,
  valueDate: Type.String(),
  reference: Type.String(),
  amount: Money,
  allocated: Money,
  unallocated: { ...Money, description: 'Not on an invoice yet: the client’s credit once matched.' },
  source: Type.Union([Type.Literal('manual'), Type.Literal('import'), Type.Literal('credit-note')], {
    description:
      '`credit-note`: not money received but the credit a credit note gave the client (`creditNoteId`); it settles invoices like a payment.',
  }),
  bankReference: Nullable(Type.String()),
  payerName: Nullable(Type.String()),
  payerAccount: Nullable(Type.String()),
  importId: Nullable(Uuid),
  importLine: Nullable(Type.Integer()),
  matchDate: Nullable(Type.String()),
  matchNote: Nullable(Type.String({ description: 'Why it could not be matched by its reference.' })),
  creditNoteId: Nullable(Uuid),
  ...AuditFields,
});
export type Payment = Static<typeof Payment>;

export const PaymentDetail = Type.Object({
  ...Payment.properties,
  allocations: Type.Array(Type.Object({ ...InvoiceAllocation.properties, invoiceId: Uuid })),
});

export const PaymentList = Type.Object({ items: Type.Array(Payment), nextCursor: Nullable(Type.String()) });

export const PaymentListQuery = Type.Object(
  {
    ...ListQuery.properties,
    contractId: Type.Optional(Uuid),
    status: Type.Optional(Status),
    importId: Type.Optional(Uuid),
    bankReference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'The bank’s transaction id, exactly (case and all; no prefix or pattern): at most one payment has it. For checking a bank statement against billing from outside.',
      }),
    ),
    source: Type.Optional(
      Type.Union([Type.Literal('manual'), Type.Literal('import'), Type.Literal('credit-note')]),
    ),
    valueFrom: Type.Optional(DateString),
    valueTo: Type.Optional(DateString),
    sort: Type.Optional(
      Type.Union(
        PAYMENT_SORTS.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)]),
        {
          description: 'Default -createdAt.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type PaymentListQuery = Static<typeof PaymentListQuery>;
