import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * The inbound sync's own rows (src/inbound): which party each CRM record became, with the CRM's values as last
 * read (a conflict is raised only by a change in the CRM since), and the conflicts on the fields Lessor keeps.
 */
export const inboundMigration: Migration = {
  name: '0002_inbound',
  async up(db) {
    await db.schema
      .createTable('party_links')
      .addColumn('connector_id', 'uuid', (c) => c.notNull())
      .addColumn('remote_id', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('remote_snapshot', 'jsonb', (c) => c.notNull())
      .addColumn('remote_modified', 'timestamptz')
      .addColumn('run_id', 'uuid')
      .addColumn('synced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('party_links_pkey', ['connector_id', 'remote_id'])
      .execute();
    await db.schema.createIndex('party_links_party').on('party_links').column('party_id').execute();

    await db.schema
      .createTable('conflicts')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('connector_id', 'uuid', (c) => c.notNull())
      .addColumn('remote_id', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('lessor_value', 'text')
      .addColumn('crm_value', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
      .addColumn('run_id', 'uuid')
      .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('resolved_at', 'timestamptz')
      .addColumn('resolved_by', 'text')
      .addCheckConstraint('conflicts_status', sql`status in ('open', 'take-crm', 'keep-lessor')`)
      .addCheckConstraint(
        'conflicts_field',
        sql`field in ('name', 'legalForm', 'taxId', 'country', 'registrationNumber')`,
      )
      .execute();
    // One open conflict per record and field: a later change in the CRM updates it instead of adding one.
    await sql`create unique index conflicts_open on conflicts (connector_id, remote_id, field)
      where status = 'open'`.execute(db);
    await sql`create index conflicts_list on conflicts (raised_at desc, id desc)`.execute(db);
    await sql`create index conflicts_party on conflicts (party_id)`.execute(db);
  },
};
