import {
  actorOf,
  auditView,
  etag,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  registerBusinessRoutes,
  parseIfMatch,
  Type,
  withEtag,
  type ServiceApp,
} from '@lessor/service-kit';
import type { KycHistoryRow, PartyRow } from './party.repository.ts';
import {
  ChangeKyc,
  CreateParty,
  IfNoneMatchHeaders,
  KycHistoryPage,
  KycHistoryQuery,
  Party,
  PartyList,
  PartyListQuery,
  PartySummary,
  UpdateParty,
  type KycHistoryEntry,
} from './party.schemas.ts';
import type { PartyService } from './party.service.ts';

const tags = ['parties'];
const view = (party: PartyRow): Party => auditView(party);

function historyView(entry: KycHistoryRow): KycHistoryEntry {
  return {
    id: entry.id,
    partyId: entry.partyId,
    from: entry.fromStatus,
    status: entry.status,
    reason: entry.reason,
    actor: entry.actor,
    at: entry.at.toISOString(),
  };
}

/** The API of parties: CRUD with soft delete, KYC decisions and history, and the summary other services read. */
export function registerPartyRoutes(
  app: ServiceApp,
  parties: PartyService,
  options: { summaryMaxAgeSeconds: number },
): void {
  registerBusinessRoutes(app, {
    path: '/v1/parties',
    noun: 'party',
    tag: 'parties',
    permissions: { read: 'parties:parties:read', write: 'parties:parties:write' },
    schemas: {
      item: Party,
      list: PartyList,
      listQuery: PartyListQuery,
      create: CreateParty,
      update: UpdateParty,
    },
    useCases: parties,
    view,
    summaries: {
      list: 'List and search parties',
      create: 'Create a party (KYC pending)',
      update: 'Change a party (not its kind nor its KYC status)',
      delete: 'Delete a party (soft: it can be restored)',
      restore: 'Restore a deleted party (409 when its tax id was taken meanwhile)',
    },
  });

  app.get(
    '/v1/parties/:id/summary',
    {
      config: { permission: 'parties:parties:read' },
      schema: {
        tags,
        summary: 'What another service needs of a party (small, cacheable; 304 for a current If-None-Match)',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        headers: IfNoneMatchHeaders,
        response: {
          200: PartySummary,
          304: Type.Null({ description: 'The copy the caller holds is current.' }),
        },
      },
    },
    async (request, reply) => {
      const party = await parties.get(request.params.id, request.query.includeDeleted);
      // Private: the answer depends on the caller's token. Short: it carries the KYC status.
      void reply
        .header('etag', etag(party.version))
        .header('cache-control', `private, max-age=${options.summaryMaxAgeSeconds}`);
      if (matchesEtag(request.headers['if-none-match'], party.version)) return reply.code(304).send(null);
      const summary: PartySummary = {
        id: party.id,
        name: party.name,
        kind: party.kind,
        country: party.country,
        taxId: party.taxId,
        kycStatus: party.kycStatus,
      };
      return summary;
    },
  );

  app.post(
    '/v1/parties/:id/kyc',
    {
      config: { permission: 'parties:kyc:write' },
      schema: {
        tags,
        summary: 'Record a KYC decision (the only way the KYC status changes)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ChangeKyc,
        response: { 200: Party },
      },
    },
    async (request, reply) => {
      const version = parseIfMatch(request.headers['if-match']);
      const party = await parties.changeKyc(request.params.id, request.body, actorOf(request), version);
      return withEtag(reply, view(party));
    },
  );

  app.get(
    '/v1/parties/:id/kyc-history',
    {
      config: { permission: 'parties:parties:read' },
      schema: {
        tags,
        summary: 'The KYC decisions on a party, newest first',
        params: IdParams,
        querystring: KycHistoryQuery,
        response: { 200: KycHistoryPage },
      },
    },
    async (request) => {
      const page = await parties.kycHistory(request.params.id, request.query);
      return { items: page.items.map(historyView), nextCursor: page.nextCursor };
    },
  );
}

/** RFC 9110 If-None-Match: `*`, or a list of ETags (weak ones compare equal, as for GET they may). */
function matchesEtag(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const current = etag(version);
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === current);
}
