import { ListQuery, type Static, Type, Uuid, AuditFields } from '@lessor/service-kit';
import { DateString, DateTime, Money, Nullable } from '../api.schemas.ts';
import { INVOICE_SORTS } from './invoice.repository.ts';
import { INVOICE_KINDS, INVOICE_STATUSES, SKIP_REASONS } from './invoice.ts';

const Status = Type.Enum(INVOICE_STATUSES, {
  description: 'planned → issued → partially-paid → paid; planned → cancelled.',
});
const Kind = Type.Enum(INVOICE_KINDS);

export const Invoice = Type.Object({
  id: Uuid,
  number: Nullable(Type.String({ description: '`INV-<entity>-<year>-<000017>`, given when issued.' })),
  legalEntity: Type.String(),
  contractId: Uuid,
  partyId: Uuid,
  kind: Kind,
  installment: Nullable(Type.Integer()),
  scheduleVersion: Type.Integer(),
  status: Status,
  currency: Type.String(),
  issueDate: Type.String({ description: 'The business date it is (or was) issued on.' }),
  dueDate: Type.String(),
  principal: Money,
  interest: Money,
  fees: Money,
  vat: Money,
  total: Money,
  penalties: Money,
  paid: {
    ...Money,
    description: 'What settled it: payments and the client’s credit, credit notes included (see `credited`).',
  },
  credited: { ...Money, description: 'The totals of the credit notes that corrected it.' },
  openAmount: { ...Money, description: 'total + penalties − paid.' },
  issuedAt: Nullable(DateTime),
  cancelReason: Nullable(Type.String()),
  ...AuditFields,
});
export type Invoice = Static<typeof Invoice>;

export const InvoiceList = Type.Object({ items: Type.Array(Invoice), nextCursor: Nullable(Type.String()) });

export const InvoiceAllocation = Type.Object({
  id: Uuid,
  paymentId: Uuid,
  valueDate: Type.String(),
  penalty: Money,
  interest: Money,
  principal: Money,
  fees: Money,
  vat: Money,
  total: Money,
});

export const InvoiceDetail = Type.Object({
  ...Invoice.properties,
  lines: Type.Array(
    Type.Object({ position: Type.Integer(), kind: Type.String(), description: Type.String(), amount: Money }),
  ),
  allocations: Type.Array(InvoiceAllocation),
  penaltyCharges: Type.Array(
    Type.Object({
      id: Uuid,
      chargeDate: Type.String(),
      daysOverdue: Type.Integer(),
      base: Money,
      rate: Type.String({ description: 'Percent per day.' }),
      amount: Money,
    }),
  ),
  dunning: Type.Array(Type.Object({ level: Type.Integer(), reachedOn: Type.String() })),
  creditNotes: Type.Array(
    Type.Object({ id: Uuid, number: Type.String(), issueDate: Type.String(), total: Money }),
  ),
});

export const InvoiceListQuery = Type.Object(
  {
    ...ListQuery.properties,
    contractId: Type.Optional(Uuid),
    partyId: Type.Optional(Uuid),
    status: Type.Optional(Status),
    kind: Type.Optional(Kind),
    dueFrom: Type.Optional(DateString),
    dueTo: Type.Optional(DateString),
    sort: Type.Optional(
      Type.Union(
        INVOICE_SORTS.flatMap((field) => [Type.Literal(field), Type.Literal(`-${field}`)]),
        {
          description: 'Default dueDate; `-` in front for descending.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type InvoiceListQuery = Static<typeof InvoiceListQuery>;

export const BillingRunResult = Type.Object({
  upTo: Type.String(),
  count: Type.Integer({ description: 'How many invoices this run issued (0 when run again).' }),
  skipped: Type.Array(
    Type.Object({
      invoiceId: Uuid,
      contractId: Uuid,
      contractNumber: Type.String(),
      kind: Kind,
      installment: Type.Union([Type.Integer(), Type.Null()]),
      issueDate: Type.String({ format: 'date', description: 'Its planned issue date.' }),
      reason: Type.Enum(SKIP_REASONS, {
        description:
          '`issued-meanwhile`: another run or the daily job issued it first; `cancelled-meanwhile`: a contract event cancelled it first; `currency-mismatch`: the invoice is not in its contract’s currency (kept planned, never billed so); `failed`: issuing it failed, the next run tries again.',
      }),
      detail: Type.String(),
    }),
    {
      description:
        'Every planned invoice this run found due (issue date on or before `upTo`) and did not issue, with the reason; none is left out silently. Also counted in `lessor_billing_run_skipped_total{reason}`.',
    },
  ),
  issued: Type.Array(
    Type.Object({
      id: Uuid,
      number: Type.String(),
      contractId: Uuid,
      kind: Kind,
      dueDate: Type.String(),
      total: Money,
    }),
  ),
});

export const Balance = Type.Object({
  contractId: Uuid,
  contractNumber: Type.String(),
  currency: Type.String(),
  invoiced: { ...Money, description: 'The totals of every issued invoice.' },
  penalties: Money,
  paid: { ...Money, description: 'Allocated to invoices (credit notes’ credit included).' },
  openAmount: { ...Money, description: 'invoiced + penalties − paid: what the client owes.' },
  overdueAmount: { ...Money, description: 'The part of the open amount past its due date.' },
  credited: { ...Money, description: 'The totals of the credit notes on its invoices.' },
  credit: {
    ...Money,
    description:
      'Money received (or credited by a credit note) and not allocated yet; the next invoice uses it.',
  },
  openInvoices: Type.Integer(),
});
