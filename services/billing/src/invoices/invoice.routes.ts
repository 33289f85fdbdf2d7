import { actorOf, auditView, IdParams, type ServiceApp } from '@lessor/service-kit';
import type { AllocationRow } from '../allocations/allocation.repository.ts';
import { RunRequest } from '../api.schemas.ts';
import type { CreditNoteRow } from '../credit-notes/credit-note.repository.ts';
import { money, sum } from '@lessor/domain-values';
import type { DunningNoticeRow, PenaltyRow } from '../overdue/overdue.repository.ts';
import type { InvoiceLineRow, InvoiceRow } from './invoice.repository.ts';
import type { Invoice } from './invoice.schemas.ts';
import {
  Balance,
  BillingRunResult,
  InvoiceDetail,
  InvoiceList,
  InvoiceListQuery,
} from './invoice.schemas.ts';
import type { InvoiceService } from './invoice.service.ts';
import { openAmount } from './invoice.ts';

const tags = ['invoices'];

/** An invoice as the API shows it: every amount with its currency. */
export function invoiceView(invoice: InvoiceRow): Invoice {
  const m = (amount: string) => money(amount, invoice.currency);
  const {
    paidPenalty,
    paidInterest,
    paidPrincipal,
    paidFees,
    paidVat,
    overdueThrough: _overdueThrough,
    ...rest
  } = invoice;
  return {
    ...auditView(rest),
    kind: invoice.kind as Invoice['kind'],
    status: invoice.status as Invoice['status'],
    principal: m(invoice.principal),
    interest: m(invoice.interest),
    fees: m(invoice.fees),
    vat: m(invoice.vat),
    total: m(invoice.total),
    penalties: m(invoice.penalties),
    paid: money(sum([paidPenalty, paidInterest, paidPrincipal, paidFees, paidVat]), invoice.currency),
    credited: m(invoice.credited),
    openAmount:
      invoice.status === 'planned' || invoice.status === 'cancelled'
        ? m('0')
        : money(openAmount(invoice), invoice.currency),
    issuedAt: invoice.issuedAt ? invoice.issuedAt.toISOString() : null,
  };
}

export function allocationView(allocation: AllocationRow) {
  const m = (amount: string) => money(amount, allocation.currency);
  return {
    id: allocation.id,
    paymentId: allocation.paymentId,
    invoiceId: allocation.invoiceId,
    valueDate: allocation.valueDate,
    penalty: m(allocation.penalty),
    interest: m(allocation.interest),
    principal: m(allocation.principal),
    fees: m(allocation.fees),
    vat: m(allocation.vat),
    total: m(allocation.total),
  };
}

function detailView(detail: {
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
  allocations: AllocationRow[];
  penalties: PenaltyRow[];
  dunning: DunningNoticeRow[];
  creditNotes: CreditNoteRow[];
}) {
  const currency = detail.invoice.currency;
  return {
    ...invoiceView(detail.invoice),
    lines: detail.lines.map((line) => ({
      position: line.position,
      kind: line.kind,
      description: line.description,
      amount: money(line.amount, currency),
    })),
    allocations: detail.allocations.map(allocationView),
    penaltyCharges: detail.penalties.map((penalty) => ({
      id: penalty.id,
      chargeDate: penalty.chargeDate,
      daysOverdue: penalty.daysOverdue,
      base: money(penalty.base, currency),
      rate: penalty.rate,
      amount: money(penalty.amount, currency),
    })),
    dunning: detail.dunning.map((notice) => ({ level: notice.level, reachedOn: notice.reachedOn })),
    creditNotes: detail.creditNotes.map((note) => ({
      id: note.id,
      number: note.number,
      issueDate: note.issueDate,
      total: money(note.total, currency),
    })),
  };
}

/** The API of invoices: lists, detail, the billing run and a contract's balance. */
export function registerInvoiceRoutes(app: ServiceApp, invoices: InvoiceService, today: () => string): void {
  app.get(
    '/v1/invoices',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags,
        summary: 'List invoices',
        description:
          'Planned, issued, paid and cancelled invoices; filter by contract, party, status, kind, due date.',
        querystring: InvoiceListQuery,
        response: { 200: InvoiceList },
      },
    },
    async (request) => {
      const page = await invoices.list(request.query);
      return { items: page.items.map(invoiceView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/invoices/:id',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags,
        summary: 'Read an invoice with its lines, allocations, penalties and dunning levels',
        params: IdParams,
        response: { 200: InvoiceDetail },
      },
    },
    async (request) => detailView(await invoices.detail(request.params.id)),
  );

  app.post(
    '/v1/billing-runs',
    {
      config: { permission: 'billing:runs:write' },
      schema: {
        tags,
        summary: 'Issue every planned invoice whose issue date is on or before a date',
        description:
          'Idempotent: an invoice is issued once, whoever runs first; running again issues nothing. Numbers are gap-free per legal entity and year, also under concurrent runs. A date after today issues invoices early; each is dated the day it is issued. Every planned invoice found due and not issued is listed in `skipped` with its reason; none is left out silently.',
        body: RunRequest,
        response: { 200: BillingRunResult },
      },
    },
    async (request) => {
      const result = await invoices.run(request.body.upTo, actorOf(request));
      return {
        upTo: result.upTo,
        count: result.issued.length,
        issued: result.issued.map((invoice) => ({
          id: invoice.id,
          number: invoice.number!,
          contractId: invoice.contractId,
          kind: invoice.kind as Invoice['kind'],
          dueDate: invoice.dueDate,
          total: money(invoice.total, invoice.currency),
        })),
        skipped: result.skipped.map((invoice) => ({ ...invoice, kind: invoice.kind as Invoice['kind'] })),
      };
    },
  );

  app.get(
    '/v1/contracts/:id/balance',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags: ['contracts'],
        summary: 'What the client owes on a contract, and its credit',
        params: IdParams,
        response: { 200: Balance },
      },
    },
    async (request) => {
      const balance = await invoices.balance(request.params.id, today());
      const currency = balance.contract.currency;
      return {
        contractId: balance.contract.id,
        contractNumber: balance.contract.number,
        currency,
        invoiced: money(balance.invoiced, currency),
        penalties: money(balance.penalties, currency),
        paid: money(balance.paid, currency),
        openAmount: money(balance.openAmount, currency),
        overdueAmount: money(balance.overdueAmount, currency),
        credited: money(balance.credited, currency),
        credit: money(balance.credit, currency),
        openInvoices: balance.openInvoices,
      };
    },
  );
}
