import { IdParams, kitErrors, type ServiceApp } from '@lessor/service-kit';
import type { OutboundLogRow } from './outbound.repository.ts';
import { OutboundEntry, OutboundList, OutboundListQuery } from './outbound.schemas.ts';
import type { OutboundService } from './outbound.service.ts';

const tags = ['outbound'];

function outboundView(row: OutboundLogRow): OutboundEntry {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** The outbound log: what became of each contract event in each CRM. */
export function registerOutboundRoutes(app: ServiceApp, outbound: OutboundService): void {
  app.get(
    '/v1/outbound',
    {
      config: { permission: 'integration:outbound:read' },
      schema: {
        tags,
        summary: 'List the contract updates sent to CRMs, newest first',
        description:
          'One entry per leasing contract event (signed, activated, terminated) and CRM connector: the fields ' +
          'written to the lessee’s record, or why not (no link, refused, the CRM down). Filter by connector, ' +
          'status and contract.',
        querystring: OutboundListQuery,
        response: { 200: OutboundList },
      },
    },
    async (request) => {
      const page = await outbound.list(request.query);
      return { items: page.items.map(outboundView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/outbound/:id',
    {
      config: { permission: 'integration:outbound:read' },
      schema: {
        tags,
        summary: 'Read one entry of the outbound log',
        params: IdParams,
        response: { 200: OutboundEntry },
      },
    },
    async (request) => {
      const row = await outbound.find(request.params.id);
      if (!row) throw kitErrors.create.NOT_FOUND(`No outbound log entry ${request.params.id}`);
      return outboundView(row);
    },
  );
}
