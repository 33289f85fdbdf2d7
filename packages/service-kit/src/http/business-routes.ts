import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Page } from '../db/pagination.ts';
import type { ServiceApp } from './app.ts';
import { IdParams, IfMatchHeaders, IncludeDeletedQuery, requiredVersion, withEtag } from './resource.ts';
import { actorOf } from './security.ts';

/** What a business object's use cases offer its routes: the six every business object has. */
export interface BusinessUseCases<Row, Create, Update, Query> {
  list(query: Query): Promise<Page<Row>>;
  /**
   * Left out when the object is created by a route of the service's own: sso's service clients, whose answer
   * carries a secret shown once (this route is idempotent, so it would keep that answer for a replay).
   */
  create?(input: Create, actor: string): Promise<Row>;
  get(id: string, includeDeleted: boolean): Promise<Row>;
  update(id: string, version: number, changes: Update, actor: string): Promise<Row>;
  delete(id: string, version: number, actor: string): Promise<Row>;
  restore(id: string, actor: string): Promise<Row>;
}

/** The six routes, by name. */
export type BusinessRoute = 'list' | 'create' | 'read' | 'update' | 'delete' | 'restore';

/** How a business object appears in the API. */
export interface BusinessResource<
  Row,
  Item extends TSchema,
  List extends TSchema,
  ListQuery extends TSchema,
  Create extends TSchema,
  Update extends TSchema,
> {
  /** The collection's path: `/v1/suppliers`. */
  path: string;
  /** The object in words, for the API docs' summaries: `supplier`. */
  noun: string;
  /** The OpenAPI tag the routes are listed under. */
  tag: string;
  /** `<service>:<resource>:read` and `…:write`. */
  permissions: { read: string; write: string };
  /** `create` is needed with `useCases.create` only. */
  schemas: { item: Item; list: List; listQuery: ListQuery; create?: Create; update: Update };
  useCases: BusinessUseCases<Row, Static<Create>, Static<Update>, Static<ListQuery>>;
  /** Summaries for the API docs where the default (`Create a supplier`) would not say enough. */
  summaries?: Partial<Record<BusinessRoute, string>>;
  /** Longer explanations for the API docs, by route. */
  descriptions?: Partial<Record<BusinessRoute, string>>;
  /** The row as the API shows it (dates as ISO strings, money as `{amount, currency}`…). */
  view(row: Row): Static<Item> & { version: number };
}

/**
 * Registers the six routes every business object has, the same way in every service: list (paged, sorted,
 * filtered, deleted rows on request), create (201 + Location + ETag; Idempotency-Key honoured), read (ETag),
 * change (If-Match required), soft delete (If-Match required) and restore. A service registers its own
 * routes beside them for what is particular to the object (transitions, sub-resources), and its own create
 * when the use cases leave `create` out.
 */
export function registerBusinessRoutes<
  Row,
  Item extends TSchema,
  List extends TSchema,
  ListQuery extends TSchema,
  Create extends TSchema,
  Update extends TSchema,
>(app: ServiceApp, resource: BusinessResource<Row, Item, List, ListQuery, Create, Update>): void {
  const { path, noun, permissions, schemas, useCases, view } = resource;
  const tags = [resource.tag];
  const one = `${path}/:id`;
  const summary = {
    list: `List ${noun}s`,
    create: `Create a ${noun}`,
    read: `Read a ${noun}`,
    update: `Change a ${noun}`,
    delete: `Delete a ${noun} (soft)`,
    restore: `Restore a deleted ${noun}`,
    ...resource.summaries,
  };
  const described = (name: BusinessRoute) => {
    const description = resource.descriptions?.[name];
    return description === undefined ? {} : { description };
  };
  // Fastify's types cannot follow schemas chosen by a type parameter; the public signature carries them.
  type AnyRequest = FastifyRequest<{ Params: { id: string }; Querystring: unknown; Body: unknown }>;
  const route = app as unknown as {
    get(url: string, options: object, handler: (request: AnyRequest, reply: FastifyReply) => unknown): void;
    post(url: string, options: object, handler: (request: AnyRequest, reply: FastifyReply) => unknown): void;
    patch(url: string, options: object, handler: (request: AnyRequest, reply: FastifyReply) => unknown): void;
    delete(
      url: string,
      options: object,
      handler: (request: AnyRequest, reply: FastifyReply) => unknown,
    ): void;
  };

  route.get(
    path,
    {
      config: { permission: permissions.read },
      schema: {
        tags,
        summary: summary.list,
        ...described('list'),
        querystring: schemas.listQuery,
        response: { 200: schemas.list },
      },
    },
    async (request) => {
      const page = await useCases.list(request.query as Static<ListQuery>);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  const create = useCases.create?.bind(useCases);
  if (create) {
    if (!schemas.create) throw new Error(`${path}: creating needs schemas.create`);
    route.post(
      path,
      {
        config: { permission: permissions.write, idempotent: true },
        schema: {
          tags,
          summary: summary.create,
          ...described('create'),
          body: schemas.create,
          response: { 201: schemas.item },
        },
      },
      async (request, reply) => {
        const created = view(await create(request.body as Static<Create>, actorOf(request)));
        return reply
          .code(201)
          .header('location', `${path}/${(created as { id?: string }).id ?? ''}`)
          .send(withEtag(reply, created));
      },
    );
  }

  route.get(
    one,
    {
      config: { permission: permissions.read },
      schema: {
        tags,
        summary: summary.read,
        ...described('read'),
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: schemas.item },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await useCases.get(
            request.params.id,
            (request.query as { includeDeleted?: boolean }).includeDeleted ?? false,
          ),
        ),
      ),
  );

  route.patch(
    one,
    {
      config: { permission: permissions.write },
      schema: {
        tags,
        summary: summary.update,
        ...described('update'),
        params: IdParams,
        headers: IfMatchHeaders,
        body: schemas.update,
        response: { 200: schemas.item },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await useCases.update(
            request.params.id,
            requiredVersion(request),
            request.body as Static<Update>,
            actorOf(request),
          ),
        ),
      ),
  );

  route.delete(
    one,
    {
      config: { permission: permissions.write },
      schema: {
        tags,
        summary: summary.delete,
        ...described('delete'),
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: schemas.item },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await useCases.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  route.post(
    `${one}/restore`,
    {
      config: { permission: permissions.write },
      schema: {
        tags,
        summary: summary.restore,
        ...described('restore'),
        params: IdParams,
        response: { 200: schemas.item },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await useCases.restore(request.params.id, actorOf(request)))),
  );
}
