import type { Kysely } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { ssoErrors } from '../sso.errors.ts';
import { randomSecret, secretHash } from '../auth/secrets.ts';
import { ClientRepository, type ClientRow } from './client.repository.ts';
import type { CreateServiceClient, ServiceClientListQuery, UpdateServiceClient } from './client.schemas.ts';

/** Service clients: the other services' identities for calls between services, each with its scopes. */
export class ClientService {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly events: SsoEvents,
  ) {}

  list(query: ServiceClientListQuery) {
    return new ClientRepository(this.db).list(query);
  }

  async get(id: string, includeDeleted = false): Promise<ClientRow> {
    return this.#find(new ClientRepository(this.db), id, includeDeleted);
  }

  /**
   * Registers a new client and returns its secret, the only time anyone sees it. Not `create`: the kit's
   * create route would keep its answer, secret included, for an Idempotency-Key replay.
   */
  async register(input: CreateServiceClient, actor: string): Promise<{ client: ClientRow; secret: string }> {
    const secret = randomSecret();
    return this.db.transaction().execute(async (trx) => {
      const clients = new ClientRepository(trx);
      if (await clients.clientIdTaken(input.clientId))
        throw ssoErrors.create.CLIENT_ID_TAKEN(`Client ${input.clientId} exists`);
      const client = await clients.insert(
        {
          clientId: input.clientId,
          name: input.name,
          scopes: [...input.scopes].sort(),
          active: input.active ?? true,
          secretHash: secretHash(secret),
        },
        actor,
      );
      await this.events.clientChanged(trx, 'created', null, client, actor);
      return { client, secret };
    });
  }

  async update(id: string, version: number, changes: UpdateServiceClient, actor: string): Promise<ClientRow> {
    const scopes = changes.scopes === undefined ? undefined : [...changes.scopes].sort();
    return this.#change(id, 'updated', actor, (clients) =>
      clients.update(id, version, { ...changes, ...(scopes ? { scopes } : {}) }, actor),
    );
  }

  /** A new secret; the old one stops working at once. Published as an update with no changed field. */
  async rotateSecret(
    id: string,
    version: number,
    actor: string,
  ): Promise<{ client: ClientRow; secret: string }> {
    const secret = randomSecret();
    const client = await this.#change(id, 'updated', actor, (clients) =>
      clients.update(id, version, { secretHash: secretHash(secret) }, actor),
    );
    return { client, secret };
  }

  delete(id: string, version: number, actor: string): Promise<ClientRow> {
    return this.#change(id, 'deleted', actor, (clients) => clients.softDelete(id, version, actor));
  }

  restore(id: string, actor: string): Promise<ClientRow> {
    return this.#change(id, 'restored', actor, (clients) => clients.restore(id, actor), true);
  }

  async #change(
    id: string,
    action: 'updated' | 'deleted' | 'restored',
    actor: string,
    apply: (clients: ClientRepository) => Promise<ClientRow>,
    includeDeleted = false,
  ): Promise<ClientRow> {
    return this.db.transaction().execute(async (trx) => {
      const clients = new ClientRepository(trx);
      const before = await this.#find(clients, id, includeDeleted);
      const after = await apply(clients);
      await this.events.clientChanged(trx, action, before, after, actor);
      return after;
    });
  }

  async #find(clients: ClientRepository, id: string, includeDeleted = false): Promise<ClientRow> {
    const client = await clients.find(id, { includeDeleted });
    if (!client) throw kitErrors.create.NOT_FOUND(`No service client ${id}`);
    return client;
  }
}
