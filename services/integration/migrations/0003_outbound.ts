import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * The outbound log: what became of each leasing contract event in each CRM (updated, unchanged, skipped,
 * superseded, refused, failed), one row per event and CRM record.
 */
export const outboundMigration: Migration = {
  name: '0003_outbound',
  async up(db) {
    await db.schema
      .createTable('outbound_log')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('event_id', 'uuid', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('contract_id', 'uuid', (c) => c.notNull())
      .addColumn('contract_number', 'text', (c) => c.notNull())
      .addColumn('contract_status', 'text', (c) => c.notNull())
      .addColumn('status_date', 'date', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      // Null: no CRM connector was enabled when the event came (one row says so).
      .addColumn('connector_id', 'uuid')
      .addColumn('remote_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('fields', 'jsonb')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('http_status', 'integer')
      .addColumn('reason', 'text')
      .addColumn('etag', 'text')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addCheckConstraint(
        'outbound_log_status',
        sql`status in ('updated', 'unchanged', 'skipped', 'superseded', 'refused', 'failed')`,
      )
      .execute();
    // One row per event and CRM record (or per connector without one): a retry updates its row, never adds one.
    await sql`create unique index outbound_log_event_target on outbound_log (event_id, connector_id, remote_id)
      nulls not distinct`.execute(db);
    await sql`create index outbound_log_created on outbound_log (created_at desc, id desc)`.execute(db);
    await sql`create index outbound_log_connector on outbound_log (connector_id, created_at desc)`.execute(
      db,
    );
    await sql`create index outbound_log_contract on outbound_log (contract_id, created_at desc)`.execute(db);
  },
};
