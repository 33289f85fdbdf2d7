import { Readable } from 'node:stream';
import { actorOf, IdParams, type ServiceApp } from '@lessor/service-kit';
import { money } from '../money.ts';
import { jsonOrCsv, sendCsv, wantsCsv } from '../reports/csv-response.ts';
import type { PostedEntry } from './entry.repository.ts';
import { Entry, EntryList, EntryListQuery, ManualEntry, ReverseRequest } from './entry.schemas.ts';
import type { EntryService } from './entry.service.ts';
import { journalCsv } from './journal-csv.ts';

const tags = ['journal entries'];

export function entryView(posted: PostedEntry & { reversedBy?: string | null }): Entry {
  const { entry, lines } = posted;
  return {
    id: entry.id,
    seq: String(entry.seq),
    legalEntity: entry.legalEntity,
    date: entry.entryDate,
    kind: entry.kind as Entry['kind'],
    description: entry.description,
    sourceEventId: entry.sourceEventId,
    sourceEventType: entry.sourceEventType,
    postingRuleId: entry.postingRuleId,
    reversesEntryId: entry.reversesEntryId,
    reversedByEntryId: posted.reversedBy ?? null,
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      accountCode: line.accountCode,
      accountName: line.accountName,
      side: line.side,
      amount: money(line.amount, line.currency),
      counterpartyId: line.counterpartyId,
      contractId: line.contractId,
    })),
    createdAt: entry.createdAt.toISOString(),
    createdBy: entry.createdBy,
  };
}

/** The journal: read entries, post manual ones, reverse any. */
export function registerEntryRoutes(app: ServiceApp, entries: EntryService): void {
  app.get(
    '/v1/entries',
    {
      config: { permission: 'finance:entries:read' },
      schema: {
        tags,
        summary: 'Journal entries',
        description:
          'A page of entries with their lines, newest posting first unless `sort` says otherwise. `accountCode` and `contractId` select the entries with a line on that account or contract (each shown with all its lines). As CSV (`Accept: text/csv` or `?format=csv`): one row per line of every matching entry, in `sort` order, amounts as the ledger stores them — the whole journal the filters match, not a page (`limit` and `cursor` page the JSON only), entries posted after the export began left out.',
        querystring: EntryListQuery,
        response: jsonOrCsv(EntryList, 'The page of entries'),
      },
    },
    async (request, reply) => {
      if (wantsCsv(request, request.query.format)) {
        const { legalEntity, pages } = entries.allMatching(request.query);
        const { from, to } = request.query;
        const name = `journal-${legalEntity}${from ? `-from-${from}` : ''}${to ? `-to-${to}` : ''}`;
        // Bytes, not objects: the stream then buffers about one page ahead of the client, not sixteen.
        return sendCsv(reply, name, Readable.from(journalCsv(pages), { objectMode: false }));
      }
      const page = await entries.list(request.query);
      return { items: page.items.map(entryView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/entries/:id',
    {
      config: { permission: 'finance:entries:read' },
      schema: { tags, summary: 'Read a journal entry', params: IdParams, response: { 200: Entry } },
    },
    async (request) => entryView(await entries.get(request.params.id)),
  );

  app.post(
    '/v1/entries',
    {
      config: { permission: 'finance:entries:write', idempotent: true },
      schema: {
        tags,
        summary: 'Post a manual entry',
        description:
          'Balanced per currency (422 ENTRY_UNBALANCED naming the lines), accounts enabled (422 ACCOUNT_DISABLED), ' +
          'the period open (409 PERIOD_CLOSED), dated no later than the business date (422 ENTRY_DATE_IN_FUTURE).',
        body: ManualEntry,
        response: { 201: Entry },
      },
    },
    async (request, reply) => {
      const posted = await entries.post(request.body, actorOf(request));
      return reply.code(201).header('location', `/v1/entries/${posted.entry.id}`).send(entryView(posted));
    },
  );

  app.post(
    '/v1/entries/:id/reverse',
    {
      config: { permission: 'finance:entries:write', idempotent: true },
      schema: {
        tags,
        summary: 'Reverse an entry',
        description:
          'The correction of an entry (entries never change): a new entry with the same lines on the other sides, ' +
          'dated the business date unless `date` is given. An entry is reversed once (409 ENTRY_ALREADY_REVERSED).',
        params: IdParams,
        body: ReverseRequest,
        response: { 201: Entry },
      },
    },
    async (request, reply) => {
      const posted = await entries.reverse(request.params.id, request.body ?? {}, actorOf(request));
      return reply.code(201).header('location', `/v1/entries/${posted.entry.id}`).send(entryView(posted));
    },
  );
}
