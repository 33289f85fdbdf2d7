import { Readable } from 'node:stream';
import { Type, type ServiceApp } from '@lessor/service-kit';
import { formatAmountUnrounded } from '@lessor/domain-values';
import type { ExportEntryRow } from './export.repository.ts';
import {
  EntryIdParams,
  ExportEntry,
  ExportEntryList,
  ExportListQuery,
  PeriodQuery,
  Reconciliation,
} from './export.schemas.ts';
import type { ExportService } from './export.service.ts';
import type { ExportLine } from './export.ts';

const tags = ['export to accounting'];
const read = { permission: 'integration:exports:read' };
const write = { permission: 'integration:exports:write' };

function exportView({ entry, lines }: { entry: ExportEntryRow; lines: ExportLine[] }): ExportEntry {
  const at = (value: Date | null) => value?.toISOString() ?? null;
  return {
    entryId: entry.entryId,
    legalEntity: entry.legalEntity,
    entryDate: entry.entryDate,
    kind: entry.kind,
    description: entry.description,
    sourceEventType: entry.sourceEventType,
    reversesEntryId: entry.reversesEntryId,
    status: entry.status,
    connectorId: entry.connectorId,
    attempts: entry.attempts,
    receivedAt: entry.receivedAt.toISOString(),
    firstSentAt: at(entry.firstSentAt),
    lastSentAt: at(entry.lastSentAt),
    nextAttemptAt: entry.nextAttemptAt.toISOString(),
    acknowledgedAt: at(entry.acknowledgedAt),
    acknowledgedAs: entry.acknowledgedAs,
    refusedAt: at(entry.refusedAt),
    refusal: entry.refusal,
    lastError: entry.lastError,
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      accountCode: line.accountCode,
      accountName: line.accountName,
      side: line.side,
      amount: formatAmountUnrounded(line.amount, line.currency),
      currency: line.currency,
      counterpartyId: line.counterpartyId,
      contractId: line.contractId,
    })),
  };
}

/** The export of finance's journal entries to outside accounting: what was sent, its reconciliation, the CSV. */
export function registerExportRoutes(app: ServiceApp, exports: ExportService): void {
  app.get(
    '/v1/exports',
    {
      config: read,
      schema: {
        tags,
        summary: 'Exported journal entries',
        description:
          'Finance’s posted entries as the export keeps them, with their lines and where their sending stands; ' +
          'newest entry date first unless `sort` says otherwise. `from`/`to` select by entry date.',
        querystring: ExportListQuery,
        response: { 200: ExportEntryList },
      },
    },
    async (request) => {
      const { items, nextCursor } = await exports.list(request.query);
      return { items: items.map(exportView), nextCursor };
    },
  );

  app.get(
    '/v1/exports/reconciliation',
    {
      config: read,
      schema: {
        tags,
        summary: 'Reconcile the export with the books',
        description:
          'Per month of the entry dates in [`from`, `to`] and over all of them: entries posted by finance, sent, ' +
          'acknowledged by the accounting system, refused (each with its reason) and pending; debits and credits per ' +
          'currency posted and exported (acknowledged), as decimal strings.',
        querystring: PeriodQuery,
        response: { 200: Reconciliation },
      },
    },
    async (request) => {
      const { from, to, legalEntity } = request.query;
      return exports.reconciliation(from, to, legalEntity);
    },
  );

  app.get(
    '/v1/exports/journal.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'The journal as CSV',
        description:
          'For accounting systems without an API: one row per line of every entry dated in [`from`, `to`], by date ' +
          'and entry id — `date,entry_id,line_no,account,debit,credit,currency,description`, RFC 4180, UTF-8, ' +
          'amounts with a dot and the currency’s decimals, text that a spreadsheet would run as a formula prefixed ' +
          "with `'` (README: the CSV journal). Every entry finance posted, whatever its export status.",
        querystring: PeriodQuery,
        response: {
          200: {
            description: 'The journal lines as CSV',
            content: { 'text/csv': { schema: Type.String() } },
          },
        },
      },
    },
    async (request, reply) => {
      const { from, to, legalEntity } = request.query;
      const csv = exports.journal(from, to, legalEntity);
      const name = `journal-${legalEntity ? `${legalEntity}-` : ''}${from}-${to}`;
      // Bytes, not objects: the stream then buffers about one page ahead of the client. The schema says text;
      // a stream of it is what Fastify sends (the cast only tells the type provider so).
      const body = Readable.from(csv, { objectMode: false }) as unknown as string;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(body);
    },
  );

  app.get(
    '/v1/exports/:entryId',
    {
      config: read,
      schema: {
        tags,
        summary: 'One exported journal entry',
        params: EntryIdParams,
        response: { 200: ExportEntry },
      },
    },
    async (request) => exportView(await exports.get(request.params.entryId)),
  );

  app.post(
    '/v1/exports/:entryId/retry',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a refused entry again',
        description:
          'After the cause was fixed at the other end (an account opened, a period reopened): the refused entry goes ' +
          'back to pending and is sent at the next round. 409 `INTEGRATION_EXPORT_NOT_REFUSED` for any other status.',
        params: EntryIdParams,
        response: { 200: ExportEntry },
      },
    },
    async (request) => exportView(await exports.retry(request.params.entryId)),
  );
}
