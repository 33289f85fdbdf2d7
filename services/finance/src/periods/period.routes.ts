import { actorOf, type ServiceApp } from '@lessor/service-kit';
import {
  CloseRequest,
  Period,
  PeriodList,
  PeriodListQuery,
  PeriodParams,
  ReopenRequest,
} from './period.schemas.ts';
import type { PeriodService, PeriodState } from './period.service.ts';

const tags = ['periods'];

function view(state: PeriodState): Period {
  return {
    ...state,
    changedAt: state.changedAt ? state.changedAt.toISOString() : null,
    history: state.history.map((change) => ({ ...change, at: change.at.toISOString() })),
  };
}

/** Accounting periods: read, close, reopen (each with its own permission). */
export function registerPeriodRoutes(
  app: ServiceApp,
  periods: PeriodService,
  defaults: { legalEntity: string },
): void {
  app.get(
    '/v1/periods',
    {
      config: { permission: 'finance:periods:read' },
      schema: {
        tags,
        summary: 'The months of a legal entity that were closed (and maybe reopened)',
        description: 'A month not listed is open.',
        querystring: PeriodListQuery,
        response: { 200: PeriodList },
      },
    },
    async (request) => ({
      items: (await periods.list(request.query.legalEntity ?? defaults.legalEntity)).map((row) => ({
        legalEntity: row.legalEntity,
        period: row.period,
        status: row.status,
        changedAt: row.changedAt.toISOString(),
        changedBy: row.changedBy,
      })),
    }),
  );

  app.get(
    '/v1/periods/:entity/:period',
    {
      config: { permission: 'finance:periods:read' },
      schema: {
        tags,
        summary: 'A month’s status and history',
        params: PeriodParams,
        response: { 200: Period },
      },
    },
    async (request) => view(await periods.get(request.params.entity, request.params.period)),
  );

  app.post(
    '/v1/periods/:entity/:period/close',
    {
      config: { permission: 'finance:periods:close' },
      schema: {
        tags,
        summary: 'Close a month',
        description:
          'Nothing more is posted into it: a manual entry gets 409 PERIOD_CLOSED, an event goes to review. Publishes `lessor.finance.period.closed.v1`.',
        params: PeriodParams,
        body: CloseRequest,
        response: { 200: Period },
      },
    },
    async (request) =>
      view(
        await periods.close(
          request.params.entity,
          request.params.period,
          request.body?.reason,
          actorOf(request),
        ),
      ),
  );

  app.post(
    '/v1/periods/:entity/:period/reopen',
    {
      config: { permission: 'finance:periods:reopen' },
      schema: {
        tags,
        summary: 'Reopen a closed month (with a reason)',
        params: PeriodParams,
        body: ReopenRequest,
        response: { 200: Period },
      },
    },
    async (request) =>
      view(
        await periods.reopen(
          request.params.entity,
          request.params.period,
          request.body.reason,
          actorOf(request),
        ),
      ),
  );
}
