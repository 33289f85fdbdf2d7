import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/** The sync runs with their progress, and the records brought from the outside system. */
export const syncMigration: Migration = {
  name: '0001_sync',
  async up(db) {
    await db.schema
      .createTable('sync_runs')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) =>
        c.notNull().check(sql`status in ('running', 'completed', 'failed')`),
      )
      .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('started_by', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz')
      .addColumn('cursor', 'text')
      .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('error', 'text')
      .execute();
    // One run at a time, whichever replica was asked: two starts at once cannot both insert a running run.
    await sql`create unique index sync_runs_one_running on sync_runs ((true)) where status = 'running'`.execute(
      db,
    );
    await db.schema.createIndex('sync_runs_started_at').on('sync_runs').column('started_at').execute();
    await db.schema
      .createTable('remote_records')
      .addColumn('remote_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('remote_updated_at', 'timestamptz', (c) => c.notNull())
      .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('run_id', 'uuid', (c) => c.notNull().references('sync_runs.id'))
      .execute();
  },
};
