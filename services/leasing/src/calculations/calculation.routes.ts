import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  type ServiceApp,
  withEtag,
} from '@lessor/service-kit';
import { money } from './calculation.view.ts';
import { calculationView } from './calculation.view.ts';
import type { CalculationRow } from './calculation.repository.ts';
import {
  Calculation,
  CalculationList,
  CalculationListQuery,
  CalculationRequest,
} from './calculation.schemas.ts';
import type { CalculationService } from './calculation.service.ts';

const tags = ['calculations'];

const summary = (row: CalculationRow) => ({
  ...auditView(row),
  financedAmount: money(row.financedAmount, row.currency),
});

/** The API of calculations (quotes). */
export function registerCalculationRoutes(app: ServiceApp, calculations: CalculationService): void {
  app.post(
    '/v1/calculations',
    {
      config: { permission: 'leasing:calculations:write', idempotent: true },
      schema: {
        tags,
        summary: 'Calculate a lease and save it',
        description:
          'Returns the whole schedule (installments, totals, effective rate). With `productId`, the terms must fit the product (currency, schedule type, term, rate, advance, residual) and its fees are added.',
        body: CalculationRequest,
        response: { 201: Calculation },
      },
    },
    async (request, reply) => {
      const calculation = await calculations.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/calculations/${calculation.id}`)
        .send(withEtag(reply, calculationView(calculation)));
    },
  );

  app.get(
    '/v1/calculations',
    {
      config: { permission: 'leasing:calculations:read' },
      schema: {
        tags,
        summary: 'List saved calculations',
        querystring: CalculationListQuery,
        response: { 200: CalculationList },
      },
    },
    async (request) => {
      const page = await calculations.list(request.query);
      return { items: page.items.map(summary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/calculations/:id',
    {
      config: { permission: 'leasing:calculations:read' },
      schema: {
        tags,
        summary: 'Read a calculation with its schedule',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: Calculation },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        calculationView(await calculations.get(request.params.id, request.query.includeDeleted)),
      ),
  );

  app.delete(
    '/v1/calculations/:id',
    {
      config: { permission: 'leasing:calculations:write' },
      schema: {
        tags,
        summary: 'Delete a calculation (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Calculation },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        calculationView(
          await calculations.delete(request.params.id, requiredVersion(request), actorOf(request)),
        ),
      ),
  );

  app.post(
    '/v1/calculations/:id/restore',
    {
      config: { permission: 'leasing:calculations:write' },
      schema: {
        tags,
        summary: 'Restore a deleted calculation',
        params: IdParams,
        response: { 200: Calculation },
      },
    },
    async (request, reply) =>
      withEtag(reply, calculationView(await calculations.restore(request.params.id, actorOf(request)))),
  );
}
