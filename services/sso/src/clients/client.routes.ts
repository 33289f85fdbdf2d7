import {
  actorOf,
  auditView,
  IdParams,
  IfMatchHeaders,
  registerBusinessRoutes,
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

/**
 * The admin API of service clients: the kit's routes of a business object, but its own create — the answer
 * carries the client secret, shown once (`no-store`, never kept for an Idempotency-Key replay) — and the
 * secret's rotation.
 */
export function registerClientRoutes(app: ServiceApp, clients: ClientService): void {
  registerBusinessRoutes(app, {
    path: '/v1/clients',
    noun: 'service client',
    tag: 'service clients',
    permissions: { read: 'sso:clients:read', write: 'sso:clients:write' },
    schemas: {
      item: ServiceClient,
      list: ServiceClientList,
      listQuery: ServiceClientListQuery,
      update: UpdateServiceClient,
    },
    useCases: clients,
    view,
  });

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
      const { client, secret } = await clients.register(request.body, actorOf(request));
      void reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .header('location', `/v1/clients/${client.id}`)
        .send(withEtag(reply, { ...view(client), clientSecret: secret }));
    },
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
}
