import type { Kysely, Selectable } from 'kysely';
import { BusinessRepository } from '@lessor/service-kit';
import type { ServiceClientsTable, SsoDatabase } from '../database.ts';

export type ClientRow = Selectable<ServiceClientsTable>;

/** The SQL of service clients. */
export class ClientRepository extends BusinessRepository<SsoDatabase, 'serviceClients'> {
  constructor(db: Kysely<SsoDatabase>) {
    super(db, 'serviceClients', {
      sortable: ['clientId', 'createdAt'],
      fallback: { column: 'clientId', direction: 'asc' },
    });
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
    const row = await this.db
      .selectFrom('serviceClients')
      .select('id')
      .where('clientId', '=', clientId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
