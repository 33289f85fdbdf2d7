import { kitErrors } from '@lessor/service-kit';
import { ssoErrors } from '../sso.errors.ts';
import { randomSecret, secretHash } from '../auth/secrets.ts';
import type { ClientRepository, ClientRow } from './client.repository.ts';
import type { CreateServiceClient, ServiceClientListQuery, UpdateServiceClient } from './client.schemas.ts';

/** Service clients: the other services' identities for calls between services, each with its scopes. */
export class ClientService {
  constructor(private readonly clients: ClientRepository) {}

  list(query: ServiceClientListQuery) {
    return this.clients.list(query);
  }

  async get(id: string, includeDeleted = false): Promise<ClientRow> {
    const client = await this.clients.find(id, { includeDeleted });
    if (!client) throw kitErrors.create.NOT_FOUND(`No service client ${id}`);
    return client;
  }

  /** Creates a client and returns its secret, the only time anyone sees it. */
  async create(input: CreateServiceClient, actor: string): Promise<{ client: ClientRow; secret: string }> {
    if (await this.clients.clientIdTaken(input.clientId))
      throw ssoErrors.create.CLIENT_ID_TAKEN(`Client ${input.clientId} exists`);
    const secret = randomSecret();
    const client = await this.clients.insert(
      {
        clientId: input.clientId,
        name: input.name,
        scopes: [...input.scopes].sort(),
        active: input.active ?? true,
        secretHash: secretHash(secret),
      },
      actor,
    );
    return { client, secret };
  }

  async update(id: string, version: number, changes: UpdateServiceClient, actor: string): Promise<ClientRow> {
    const scopes = changes.scopes === undefined ? undefined : [...changes.scopes].sort();
    return this.clients.update(id, version, { ...changes, ...(scopes ? { scopes } : {}) }, actor);
  }

  /** A new secret; the old one stops working at once. */
  async rotateSecret(
    id: string,
    version: number,
    actor: string,
  ): Promise<{ client: ClientRow; secret: string }> {
    const secret = randomSecret();
    const client = await this.clients.update(id, version, { secretHash: secretHash(secret) }, actor);
    return { client, secret };
  }

  delete(id: string, version: number, actor: string): Promise<ClientRow> {
    return this.clients.softDelete(id, version, actor);
  }

  restore(id: string, actor: string): Promise<ClientRow> {
    return this.clients.restore(id, actor);
  }
}
