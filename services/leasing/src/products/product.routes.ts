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
import type { ProductRow } from './product.repository.ts';
import {
  CreateProduct,
  Product,
  ProductList,
  ProductListQuery,
  type ProductFee,
  UpdateProduct,
} from './product.schemas.ts';
import type { ProductService } from './product.service.ts';

const tags = ['products'];
const view = (product: ProductRow): Product => ({
  ...auditView(product),
  scheduleTypes: product.scheduleTypes as Product['scheduleTypes'],
  fees: product.fees as ProductFee[],
});

/** The API of lease products. */
export function registerProductRoutes(app: ServiceApp, products: ProductService): void {
  app.get(
    '/v1/products',
    {
      config: { permission: 'leasing:products:read' },
      schema: {
        tags,
        summary: 'List lease products',
        querystring: ProductListQuery,
        response: { 200: ProductList },
      },
    },
    async (request) => {
      const page = await products.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/products',
    {
      config: { permission: 'leasing:products:write', idempotent: true },
      schema: { tags, summary: 'Create a lease product', body: CreateProduct, response: { 201: Product } },
    },
    async (request, reply) => {
      const product = await products.create(request.body, actorOf(request));
      return reply
        .code(201)
        .header('location', `/v1/products/${product.id}`)
        .send(withEtag(reply, view(product)));
    },
  );

  app.get(
    '/v1/products/:id',
    {
      config: { permission: 'leasing:products:read' },
      schema: {
        tags,
        summary: 'Read a lease product',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: Product },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await products.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/products/:id',
    {
      config: { permission: 'leasing:products:write' },
      schema: {
        tags,
        summary: 'Change a lease product',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateProduct,
        response: { 200: Product },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await products.update(request.params.id, requiredVersion(request), request.body, actorOf(request)),
        ),
      ),
  );

  app.delete(
    '/v1/products/:id',
    {
      config: { permission: 'leasing:products:write' },
      schema: {
        tags,
        summary: 'Delete a lease product (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: Product },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await products.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/products/:id/restore',
    {
      config: { permission: 'leasing:products:write' },
      schema: {
        tags,
        summary: 'Restore a deleted lease product',
        params: IdParams,
        response: { 200: Product },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await products.restore(request.params.id, actorOf(request)))),
  );
}
