import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  IncludeDeletedQuery,
  requiredVersion,
  withEtag,
  type ServiceApp,
} from '@lessor/service-kit';
import type { SupplierRow } from './supplier.repository.ts';
import {
  CreateSupplier,
  Supplier,
  SupplierList,
  SupplierListQuery,
  UpdateSupplier,
} from './supplier.schemas.ts';
import type { SupplierService } from './supplier.service.ts';

const tags = ['suppliers'];
const view = (supplier: SupplierRow): Supplier => auditView(supplier);

/** The API of suppliers. */
export function registerSupplierRoutes(app: ServiceApp, suppliers: SupplierService): void {
  app.get(
    '/v1/suppliers',
    {
      config: { permission: 'assets:suppliers:read' },
      schema: {
        tags,
        summary: 'List suppliers',
        querystring: SupplierListQuery,
        response: { 200: SupplierList },
      },
    },
    async (request) => {
      const page = await suppliers.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/suppliers',
    {
      config: { permission: 'assets:suppliers:write', idempotent: true },
      schema: { tags, summary: 'Create a supplier', body: CreateSupplier, response: { 201: Supplier } },
    },
    async (request, reply) => {
      const supplier = await suppliers.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/suppliers/${supplier.id}`)
        .send(withEtag(reply, view(supplier)));
    },
  );

  app.get(
    '/v1/suppliers/:id',
    {
      config: { permission: 'assets:suppliers:read' },
      schema: {
        tags,
        summary: 'Read a supplier',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: Supplier },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await suppliers.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/suppliers/:id',
    {
      config: { permission: 'assets:suppliers:write' },
      schema: {
        tags,
        summary: 'Change a supplier',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateSupplier,
        response: { 200: Supplier },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await suppliers.update(request.params.id, requiredVersion(request), request.body, actorOf(request)),
        ),
      ),
  );

  app.delete(
    '/v1/suppliers/:id',
    {
      config: { permission: 'assets:suppliers:write' },
      schema: {
        tags,
        summary: 'Delete a supplier (soft; its assets keep the reference)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Supplier },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await suppliers.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/suppliers/:id/restore',
    {
      config: { permission: 'assets:suppliers:write' },
      schema: { tags, summary: 'Restore a deleted supplier', params: IdParams, response: { 200: Supplier } },
    },
    async (request, reply) =>
      withEtag(reply, view(await suppliers.restore(request.params.id, actorOf(request)))),
  );
}
