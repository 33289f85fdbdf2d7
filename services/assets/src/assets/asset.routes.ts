import {
  actorOf,
  auditView,
  etag,
  IdParams,
  IfMatchHeaders,
  parseIfMatch,
  registerBusinessRoutes,
  Type,
  withEtag,
  type ServiceApp,
} from '@lessor/service-kit';
import { money } from '@lessor/domain-values';
import {
  Asset,
  AssetList,
  AssetListQuery,
  AssetSummary,
  ChangeStatus,
  CreateAsset,
  StatusHistory,
  StatusHistoryQuery,
  SummaryHeaders,
  UpdateAsset,
  type StatusChange,
} from './asset.schemas.ts';
import type { AssetService, AssetWithInsurance } from './asset.service.ts';
import type { StatusChangeRow } from './status-history.repository.ts';

const tags = ['assets'];
/** Other services cache a summary this long (their reference cache's freshness); the ETag revalidates it. */
const SUMMARY_CACHE_CONTROL = 'private, max-age=30';

function view(asset: AssetWithInsurance): Asset {
  const { priceAmount, priceCurrency, ...rest } = asset;
  return {
    ...auditView(rest),
    price: money(priceAmount, priceCurrency),
    statusChangedAt: asset.statusChangedAt.toISOString(),
  };
}

function changeView(row: StatusChangeRow): StatusChange {
  return {
    id: row.id,
    assetId: row.assetId,
    from: row.fromStatus,
    to: row.toStatus,
    reason: row.reason,
    contractId: row.contractId,
    eventId: row.eventId,
    actor: row.actor,
    at: row.at.toISOString(),
  };
}

/** The API of the asset register: assets, their status and its history, and the summary other services read. */
export function registerAssetRoutes(app: ServiceApp, assets: AssetService): void {
  registerBusinessRoutes(app, {
    path: '/v1/assets',
    noun: 'asset',
    tag: 'assets',
    permissions: { read: 'assets:assets:read', write: 'assets:assets:write' },
    schemas: {
      item: Asset,
      list: AssetList,
      listQuery: AssetListQuery,
      create: CreateAsset,
      update: UpdateAsset,
    },
    useCases: assets,
    view,
    summaries: {
      create: 'Register an asset (status available)',
      read: 'Read an asset',
      update: 'Change an asset (not its status: see /status)',
      delete: 'Delete an asset (soft; refused while reserved or leased)',
    },
  });

  app.get(
    '/v1/assets/:id/summary',
    {
      config: { permission: 'assets:assets:read' },
      schema: {
        tags,
        summary: 'The few fields another service needs (cacheable; answers 304 to a matching If-None-Match)',
        params: IdParams,
        headers: SummaryHeaders,
        response: { 200: AssetSummary, 304: Type.Null({ description: 'The cached summary is current.' }) },
      },
    },
    async (request, reply) => {
      const asset = await assets.get(request.params.id);
      const tag = etag(asset.version);
      void reply.header('etag', tag).header('cache-control', SUMMARY_CACHE_CONTROL);
      const cached = request.headers['if-none-match'];
      if (cached !== undefined && cached.split(',').some((candidate) => sameTag(candidate, tag))) {
        return reply.code(304).send(null);
      }
      return {
        id: asset.id,
        type: asset.type,
        make: asset.make,
        model: asset.model,
        vin: asset.vin,
        serialNumber: asset.serialNumber,
        year: asset.year,
        status: asset.status,
      };
    },
  );

  app.post(
    '/v1/assets/:id/status',
    {
      config: { permission: 'assets:assets:write' },
      schema: {
        tags,
        summary: 'Change the status by hand (the guard table decides; If-Match optional)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ChangeStatus,
        response: { 200: Asset },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await assets.changeStatus(
            request.params.id,
            request.body,
            parseIfMatch(request.headers['if-match']),
            actorOf(request),
          ),
        ),
      ),
  );

  app.get(
    '/v1/assets/:id/status-history',
    {
      config: { permission: 'assets:assets:read' },
      schema: {
        tags,
        summary: 'The asset’s status changes, newest first',
        params: IdParams,
        querystring: StatusHistoryQuery,
        response: { 200: StatusHistory },
      },
    },
    async (request) => {
      const page = await assets.history(request.params.id, request.query);
      return { items: page.items.map(changeView), nextCursor: page.nextCursor };
    },
  );
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): `W/"3"` matches `"3"`. */
function sameTag(candidate: string, tag: string): boolean {
  const trimmed = candidate.trim();
  return trimmed === '*' || trimmed.replace(/^W\//, '') === tag;
}
