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
import type { ClientRow } from './client.repository.ts';
import {
  CreateServiceClient,
  ServiceClient,
  ServiceClientList,
  ServiceClientListQuery,
  ServiceClientWithSecret,
  UpdateServiceClient,
} from './client.schemas.ts';
import type { ClientService } from './client.service.ts';

const tags = ['service clients'];

function view(client: ClientRow): ServiceClient {
  const { secretHash: _secret, ...rest } = client;
  return auditView(rest);
}

/** The admin API of service clients. A secret is shown once: in the answer that made it. */
export function registerClientRoutes(app: ServiceApp, clients: ClientService): void {
  app.get(
    '/v1/clients',
    {
      config: { permission: 'sso:clients:read' },
      schema: {
        tags,
        summary: 'List service clients',
        querystring: ServiceClientListQuery,
        response: { 200: ServiceClientList },
      },
    },
    async (request) => {
      const page = await clients.list(request.query);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/v1/clients',
    {
      config: { permission: 'sso:clients:write' },
      schema: {
        tags,
        summary: 'Create a service client (the secret is in this answer only)',
        body: CreateServiceClient,
        response: { 201: ServiceClientWithSecret },
      },
    },
    async (request, reply) => {
      const { client, secret } = await clients.create(request.body, actorOf(request));
      void reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .header('location', `/v1/clients/${client.id}`)
        .send(withEtag(reply, { ...view(client), clientSecret: secret }));
    },
  );

  app.get(
    '/v1/clients/:id',
    {
      config: { permission: 'sso:clients:read' },
      schema: {
        tags,
        summary: 'Read a service client',
        params: IdParams,
        querystring: IncludeDeletedQuery,
        response: { 200: ServiceClient },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await clients.get(request.params.id, request.query.includeDeleted))),
  );

  app.patch(
    '/v1/clients/:id',
    {
      config: { permission: 'sso:clients:write' },
      schema: {
        tags,
        summary: 'Change a service client',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateServiceClient,
        response: { 200: ServiceClient },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(
          await clients.update(request.params.id, requiredVersion(request), request.body, actorOf(request)),
        ),
      ),
  );

  app.post(
    '/v1/clients/:id/secret',
    {
      config: { permission: 'sso:clients:write' },
      schema: {
        tags,
        summary: 'Rotate the secret (the old one stops working)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: ServiceClientWithSecret },
      },
    },
    async (request, reply) => {
      const { client, secret } = await clients.rotateSecret(
        request.params.id,
        requiredVersion(request),
        actorOf(request),
      );
      void reply.header('cache-control', 'no-store');
      return withEtag(reply, { ...view(client), clientSecret: secret });
    },
  );

  app.delete(
    '/v1/clients/:id',
    {
      config: { permission: 'sso:clients:write' },
      schema: {
        tags,
        summary: 'Delete a service client (soft)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 200: ServiceClient },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        view(await clients.delete(request.params.id, requiredVersion(request), actorOf(request))),
      ),
  );

  app.post(
    '/v1/clients/:id/restore',
    {
      config: { permission: 'sso:clients:write' },
      schema: {
        tags,
        summary: 'Restore a deleted service client',
        params: IdParams,
        response: { 200: ServiceClient },
      },
    },
    async (request, reply) =>
      withEtag(reply, view(await clients.restore(request.params.id, actorOf(request)))),
  );
}
