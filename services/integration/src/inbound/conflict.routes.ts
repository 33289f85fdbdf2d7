import { actorOf, IdParams, type ServiceApp } from '@lessor/service-kit';
import type { ConflictRow } from './inbound.repository.ts';
import { Conflict, ConflictList, ConflictListQuery, ResolveConflict } from './conflict.schemas.ts';
import type { ConflictService } from './conflict.service.ts';

const tags = ['conflicts'];

function conflictView(row: ConflictRow): Conflict {
  return {
    ...row,
    raisedAt: row.raisedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
  };
}

/** The conflicts of the inbound sync: listed, read, resolved (take the CRM's value, or keep Lessor's). */
export function registerConflictRoutes(app: ServiceApp, conflicts: ConflictService): void {
  app.get(
    '/v1/conflicts',
    {
      config: { permission: 'integration:conflicts:read' },
      schema: {
        tags,
        summary: 'Conflicts on the fields Lessor keeps, newest first (filter by connector, party, status)',
        querystring: ConflictListQuery,
        response: { 200: ConflictList },
      },
    },
    async (request) => {
      const page = await conflicts.list(request.query);
      return { items: page.items.map(conflictView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/conflicts/:id',
    {
      config: { permission: 'integration:conflicts:read' },
      schema: { tags, summary: 'One conflict', params: IdParams, response: { 200: Conflict } },
    },
    async (request) => conflictView(await conflicts.get(request.params.id)),
  );

  app.post(
    '/v1/conflicts/:id/resolve',
    {
      config: { permission: 'integration:conflicts:write' },
      schema: {
        tags,
        summary: 'Resolve a conflict: take the CRM’s value (through parties) or keep Lessor’s',
        params: IdParams,
        body: ResolveConflict,
        response: { 200: Conflict },
      },
    },
    async (request) =>
      conflictView(await conflicts.resolve(request.params.id, request.body, actorOf(request))),
  );
}
