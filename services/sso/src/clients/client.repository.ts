import type { Kysely, Selectable } from 'kysely';
import {
  applyDeletedFilter,
  newId,
  paginate,
  parseSort,
  restore,
  softDelete,
  updateVersioned,
  type DeletedFilter,
} from '@lessor/service-kit';
import type { ServiceClientsTable, SsoDatabase } from '../database.ts';

export type ClientRow = Selectable<ServiceClientsTable>;

/** The SQL of service clients. */
export class ClientRepository {
  constructor(private readonly db: Kysely<SsoDatabase>) {}

  async list(filter: { deleted: DeletedFilter; sort?: string; cursor?: string; limit: number }) {
    return paginate(applyDeletedFilter(this.db.selectFrom('serviceClients').selectAll(), filter.deleted), {
      limit: filter.limit,
      cursor: filter.cursor,
      sort: parseSort(filter.sort, ['clientId', 'createdAt'], { column: 'clientId', direction: 'asc' }),
    });
  }

  async find(id: string, options: { includeDeleted?: boolean } = {}): Promise<ClientRow | undefined> {
    let query = this.db.selectFrom('serviceClients').selectAll().where('id', '=', id);
    if (!options.includeDeleted) query = query.where('deletedAt', 'is', null);
    return query.executeTakeFirst();
  }

  /** A live client by its OAuth client id. */
  async findByClientId(clientId: string): Promise<ClientRow | undefined> {
    return this.db
      .selectFrom('serviceClients')
      .selectAll()
      .where('clientId', '=', clientId)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
  }

  async clientIdTaken(clientId: string): Promise<boolean> {
    return (
      (await this.db
        .selectFrom('serviceClients')
        .select('id')
        .where('clientId', '=', clientId)
        .executeTakeFirst()) !== undefined
    );
  }

  async insert(values: {
    clientId: string;
    name: string;
    secretHash: string;
    scopes: string[];
    active: boolean;
    actor: string;
  }): Promise<ClientRow> {
    const { actor, ...client } = values;
    return this.db
      .insertInto('serviceClients')
      .values({
        id: newId(),
        ...client,
        createdBy: actor,
        updatedBy: actor,
        deletedAt: null,
        deletedBy: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async update(
    id: string,
    expectedVersion: number,
    changes: Partial<Pick<ClientRow, 'name' | 'scopes' | 'active' | 'secretHash'>>,
    actor: string,
  ): Promise<ClientRow> {
    return updateVersioned(
      this.db,
      'serviceClients',
      id,
      expectedVersion,
      changes,
      actor,
    ) as Promise<ClientRow>;
  }

  async softDelete(id: string, expectedVersion: number, actor: string): Promise<ClientRow> {
    return softDelete(this.db, 'serviceClients', id, { actor, expectedVersion }) as Promise<ClientRow>;
  }

  async restore(id: string, actor: string): Promise<ClientRow> {
    return restore(this.db, 'serviceClients', id, { actor }) as Promise<ClientRow>;
  }
}
