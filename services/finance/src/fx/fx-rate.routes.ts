import { actorOf, type ServiceApp } from '@lessor/service-kit';
import { FxRate, FxRateList, FxRateListQuery, FxRateParams, SetFxRate } from './fx-rate.schemas.ts';
import type { FxRateRow, FxRateService } from './fx-rate.service.ts';

const tags = ['fx rates'];

function view(row: FxRateRow): FxRate {
  return {
    date: row.rateDate,
    from: row.fromCurrency,
    to: row.toCurrency,
    rate: row.rate,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy,
  };
}

/** Exchange rates by date. */
export function registerFxRateRoutes(app: ServiceApp, rates: FxRateService): void {
  app.put(
    '/v1/fx-rates/:date/:from/:to',
    {
      config: { permission: 'finance:settings:write' },
      schema: {
        tags,
        summary: 'Set the rate of a currency pair on a date',
        description:
          'One unit of `from` is worth `rate` units of `to`. Reports converting at a date use the latest rate on or before it, direct or inverse (see the README).',
        params: FxRateParams,
        body: SetFxRate,
        response: { 200: FxRate },
      },
    },
    async (request) =>
      view(
        await rates.set(
          request.params.date,
          request.params.from,
          request.params.to,
          request.body.rate,
          actorOf(request),
        ),
      ),
  );

  app.get(
    '/v1/fx-rates',
    {
      config: { permission: 'finance:settings:read' },
      schema: {
        tags,
        summary: 'Exchange rates, newest first',
        querystring: FxRateListQuery,
        response: { 200: FxRateList },
      },
    },
    async (request) => ({ items: (await rates.list(request.query)).map(view) }),
  );
}
