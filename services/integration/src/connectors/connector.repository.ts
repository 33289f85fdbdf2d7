import type { Kysely, Selectable, Updateable } from 'kysely';
import { BusinessRepository, type ListFilter } from '@lessor/service-kit';
import type { ConnectorKind, ConnectorsTable, IntegrationDatabase } from '../database.ts';

export type ConnectorRow = Selectable<ConnectorsTable>;

/** The SQL of connectors. */
export class ConnectorRepository extends BusinessRepository<IntegrationDatabase, 'connectors'> {
  constructor(db: Kysely<IntegrationDatabase>) {
    super(db, 'connectors', {
      sortable: ['name', 'createdAt'],
      fallback: { column: 'name', direction: 'asc' },
    });
  }

  search(filter: ListFilter & { kind?: ConnectorKind; q?: string }) {
    return this.list(filter, (query) => {
      let narrowed = query;
      if (filter.kind) narrowed = narrowed.where('kind', '=', filter.kind);
      if (filter.q) {
        const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        narrowed = narrowed.where('name', 'ilike', pattern);
      }
      return narrowed;
    });
  }

  /** Live connectors of a kind, enabled ones only when asked (the outbound and export senders' choice). */
  live(options: { kind?: ConnectorKind; enabledOnly?: boolean } = {}): Promise<ConnectorRow[]> {
    let query = this.db.selectFrom('connectors').selectAll().where('deletedAt', 'is', null);
    if (options.kind) query = query.where('kind', '=', options.kind);
    if (options.enabledOnly) query = query.where('enabled', '=', true);
    return query.orderBy('name').execute();
  }

  /**
   * Changes the service's own state of a connector (sealed credentials, schedule's next run, last run,
   * watermark): not an edit by a person, so neither the version nor the audit stamps move.
   */
  async setState(
    id: string,
    state: Pick<
      Updateable<ConnectorsTable>,
      | 'credentialsKeyId'
      | 'credentialsSealed'
      | 'nextRunAt'
      | 'lastRunId'
      | 'lastRunStatus'
      | 'lastRunFinishedAt'
      | 'watermark'
    >,
  ): Promise<ConnectorRow | undefined> {
    return this.db
      .updateTable('connectors')
      .set(state)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }
}
