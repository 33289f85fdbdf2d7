import { actorOf, IdParams, kitErrors, type ServiceApp } from '@lessor/service-kit';
import { money } from '@lessor/domain-values';
import type { BankFileFormat, ReceivedPayment } from './bank-statement.ts';
import type { ImportLineRow, ImportRow } from './import.repository.ts';
import { Import, ImportBody, ImportList, ImportListQuery, ImportQuery } from './import.schemas.ts';
import type { ImportService } from './import.service.ts';
import { statementText } from './statement-text.ts';

const tags = ['imports'];
const CSV_TYPES = ['text/csv'];
const XML_TYPES = ['application/xml', 'text/xml'];

function summaryView(row: ImportRow) {
  return {
    ...row,
    format: row.format as BankFileFormat,
    status: row.status as 'running' | 'completed',
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

function lineView(line: ImportLineRow) {
  const payment = line.payment as Partial<ReceivedPayment>;
  return {
    entry: line.entry,
    line: line.line,
    status: line.status as 'matched',
    reason: line.reason,
    paymentId: line.paymentId,
    valueDate: payment.valueDate ?? null,
    amount: payment.amount && payment.currency ? money(payment.amount, payment.currency) : null,
    reference: payment.reference ?? null,
    bankReference: payment.bankReference ?? null,
  };
}

/** The API of bank statement imports: upload a file, follow its progress, read its report. */
export function registerImportRoutes(app: ServiceApp, imports: ImportService, maxBytes: number): void {
  // Statement files come as they are, not wrapped in JSON, in the charset they name (statement-text.ts).
  app.addContentTypeParser(
    [...CSV_TYPES, ...XML_TYPES],
    { parseAs: 'buffer', bodyLimit: maxBytes },
    (request, body, done) => {
      try {
        const contentType = request.headers['content-type'];
        done(null, statementText(body as Buffer, contentType, !/^text\/csv/i.test(contentType ?? '')));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );

  app.post(
    '/v1/imports',
    {
      config: { permission: 'billing:payments:write' },
      bodyLimit: maxBytes,
      schema: {
        tags,
        summary: 'Import a bank statement (CSV or camt.053)',
        description:
          '202 with the new import, whose lines are imported in the background (follow `GET /v1/imports/{id}`); 200 with the earlier import when the same file was imported before (nothing is added). Send the file’s bytes as they are: UTF-8, or name its charset in the Content-Type (`text/csv; charset=windows-1252`; a camt.053 file may declare it in its XML declaration instead) — bytes that do not decode are refused with 422 `BANK_FILE_UNREADABLE` naming the line, an unknown charset with 400. A file that cannot be read at all is refused with 422 `BANK_FILE_UNREADABLE` naming the line; a broken line is refused alone and the rest imports.',
        consumes: [...CSV_TYPES, ...XML_TYPES],
        querystring: ImportQuery,
        body: ImportBody,
        response: { 200: Import, 202: Import },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? formatOf(request.headers['content-type']);
      const { imported, created } = await imports.start(
        format,
        request.body,
        request.query.fileName ?? null,
        actorOf(request),
      );
      const { lines } = await imports.get(imported.id);
      return reply
        .code(created ? 202 : 200)
        .header('location', `/v1/imports/${imported.id}`)
        .send({ ...summaryView(imported), lines: lines.map(lineView) });
    },
  );

  app.get(
    '/v1/imports',
    {
      config: { permission: 'billing:payments:read' },
      schema: {
        tags,
        summary: 'List bank statement imports, newest first',
        querystring: ImportListQuery,
        response: { 200: ImportList },
      },
    },
    async (request) => {
      const page = await imports.list(request.query);
      return { items: page.items.map(summaryView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/imports/:id',
    {
      config: { permission: 'billing:payments:read' },
      schema: {
        tags,
        summary: 'An import’s progress and report',
        description:
          '`status` running or completed, `linesDone` of `linesTotal`, and every line with its outcome.',
        params: IdParams,
        response: { 200: Import },
      },
    },
    async (request) => {
      const { imported, lines } = await imports.get(request.params.id);
      return { ...summaryView(imported), lines: lines.map(lineView) };
    },
  );
}

function formatOf(contentType: string | undefined): BankFileFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (CSV_TYPES.includes(type)) return 'csv';
  if (XML_TYPES.includes(type)) return 'camt053';
  throw kitErrors.create.UNSUPPORTED_MEDIA_TYPE('Send the file as text/csv or application/xml', {
    errors: [{ field: '/headers/content-type', message: 'must be text/csv, application/xml or text/xml' }],
  });
}
