import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/** Connectors (the outside systems), their sync runs with progress, and each run's report. */
export const connectorsMigration: Migration = {
  name: '0001_connectors',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('connectors'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('crm', 'accounting')`))
      .addColumn('protocol', 'text', (c) => c.notNull().check(sql`protocol in ('odata-v4', 'odata-v2')`))
      .addColumn('base_url', 'text', (c) => c.notNull())
      .addColumn('auth', 'jsonb', (c) => c.notNull())
      .addColumn('credentials_key_id', 'text')
      .addColumn('credentials_sealed', 'text')
      .addColumn('mapping', 'jsonb', (c) => c.notNull())
      .addColumn('schedule', 'text')
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('watermark', 'text')
      .addColumn('next_run_at', 'timestamptz')
      .addColumn('last_run_id', 'uuid')
      .addColumn('last_run_status', 'text')
      .addColumn('last_run_finished_at', 'timestamptz')
      .addCheckConstraint(
        'connectors_credentials_sealed_with_key',
        sql`(credentials_sealed is null) = (credentials_key_id is null)`,
      )
      .execute();
    await protectBusinessTable(db, 'connectors');
    // A name names one live connector; a deleted one's name may be taken again (its restore is then refused).
    await sql`create unique index connectors_name_live on connectors (lower(name)) where deleted_at is null`.execute(
      db,
    );
    await sql`create index connectors_due on connectors (next_run_at)
      where deleted_at is null and enabled and next_run_at is not null`.execute(db);

    await db.schema
      .createTable('sync_runs')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('connector_id', 'uuid', (c) => c.notNull().references('connectors.id'))
      .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('incremental', 'full')`))
      .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('manual', 'schedule')`))
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('queued', 'running', 'completed', 'failed')`),
      )
      .addColumn('started_by', 'text', (c) => c.notNull())
      .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('started_at', 'timestamptz')
      .addColumn('heartbeat_at', 'timestamptz')
      .addColumn('finished_at', 'timestamptz')
      .addColumn('owner', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cursor', 'text')
      .addColumn('watermark_from', 'text')
      .addColumn('watermark_to', 'text')
      .addColumn('total', 'integer')
      .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('conflicts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .execute();
    // One run under way per connector, whichever replica was asked or whose schedule fired: two starts at once
    // cannot both insert one. Which replica runs it is decided when it is taken up (owner + heartbeat).
    await sql`create unique index sync_runs_one_active on sync_runs (connector_id)
      where status in ('queued', 'running')`.execute(db);
    await db.schema
      .createIndex('sync_runs_connector_queued')
      .on('sync_runs')
      .columns(['connector_id', 'queued_at'])
      .execute();
    await sql`create index sync_runs_active on sync_runs (queued_at) where status in ('queued', 'running')`.execute(
      db,
    );

    await db.schema
      .createTable('run_records')
      .addColumn('run_id', 'uuid', (c) => c.notNull().references('sync_runs.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('remote_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) =>
        c
          .notNull()
          .check(sql`outcome in ('created', 'updated', 'unchanged', 'conflict', 'duplicate', 'error')`),
      )
      .addColumn('party_id', 'uuid')
      .addColumn('reason', 'text')
      .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('run_records_pk', ['run_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('run_records_outcome')
      .on('run_records')
      .columns(['run_id', 'outcome', 'seq'])
      .execute();
  },
};
