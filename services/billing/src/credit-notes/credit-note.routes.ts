import { actorOf, auditView, IdParams, type ServiceApp } from '@lessor/service-kit';
import { money } from '@lessor/domain-values';
import type { CreditNoteLineRow, CreditNoteRow } from './credit-note.repository.ts';
import {
  CreditNoteDetail,
  CreditNoteList,
  CreditNoteListQuery,
  IssueCreditNote,
  type CreditNote,
} from './credit-note.schemas.ts';
import type { CreditNoteService } from './credit-note.service.ts';

const tags = ['credit-notes'];

export function creditNoteView(note: CreditNoteRow): CreditNote {
  const m = (amount: string) => money(amount, note.currency);
  return {
    ...auditView(note),
    principal: m(note.principal),
    interest: m(note.interest),
    fees: m(note.fees),
    vat: m(note.vat),
    total: m(note.total),
    appliedToInvoice: m(note.appliedToInvoice),
    toCredit: m(note.toCredit),
  };
}

const detailView = (detail: { note: CreditNoteRow; lines: CreditNoteLineRow[] }) => ({
  ...creditNoteView(detail.note),
  lines: detail.lines.map((line) => ({
    position: line.position,
    invoiceLine: line.invoiceLine,
    kind: line.kind,
    description: line.description,
    amount: money(line.amount, detail.note.currency),
  })),
});

/** The API of credit notes: correct an issued invoice in full or by line; list and read them. */
export function registerCreditNoteRoutes(app: ServiceApp, creditNotes: CreditNoteService): void {
  app.post(
    '/v1/invoices/:id/credit-notes',
    {
      config: { permission: 'billing:credit-notes:write', idempotent: true },
      schema: {
        tags,
        summary: 'Correct an issued invoice by a credit note, in full or by line',
        description:
          'Without `lines`, credits all that is left of every line; with them, each named line by `amount` (all that is left of it when omitted). Numbered in its own gap-free series per legal entity and year. What it credits settles the invoice as far as it is open; what the client had paid already becomes their credit, which pays their other open invoices. Publishes `credit-note.issued` for finance. Accepts `Idempotency-Key`.',
        params: IdParams,
        body: IssueCreditNote,
        response: { 201: CreditNoteDetail },
      },
    },
    async (request, reply) => {
      const detail = await creditNotes.issue(request.params.id, request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/credit-notes/${detail.note.id}`)
        .send(detailView(detail));
    },
  );

  app.get(
    '/v1/credit-notes',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags,
        summary: 'List credit notes, newest first',
        querystring: CreditNoteListQuery,
        response: { 200: CreditNoteList },
      },
    },
    async (request) => {
      const page = await creditNotes.list(request.query);
      return { items: page.items.map(creditNoteView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/credit-notes/:id',
    {
      config: { permission: 'billing:invoices:read' },
      schema: {
        tags,
        summary: 'Read a credit note with its lines',
        params: IdParams,
        response: { 200: CreditNoteDetail },
      },
    },
    async (request) => detailView(await creditNotes.get(request.params.id)),
  );
}
