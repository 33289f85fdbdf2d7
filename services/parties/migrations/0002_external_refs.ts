import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/** The name of the key that keeps a system's id on one live party (the service maps it to 409). */
export const EXTERNAL_REF_KEY = 'party_external_refs_pkey';

/**
 * External references: a party's ids in systems outside Lessor (a CRM's account id). The party row keeps them
 * (jsonb, what the API shows; a GIN index finds a party by one, deleted or not); `party_external_refs` holds
 * those of live parties, one row each, so that two concurrent writes cannot give one id to two parties.
 */
export const externalRefsMigration: Migration = {
  name: '0002_external_refs',
  async up(db) {
    await db.schema
      .alterTable('parties')
      .addColumn('external_refs', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
    await sql`create index parties_external_refs on parties using gin (external_refs jsonb_path_ops)`.execute(
      db,
    );
    await db.schema
      .createTable('party_external_refs')
      .addColumn('system', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull().references('parties.id'))
      .addPrimaryKeyConstraint(EXTERNAL_REF_KEY, ['system', 'external_id'])
      .execute();
    await db.schema
      .createIndex('party_external_refs_party')
      .on('party_external_refs')
      .column('party_id')
      .execute();
  },
};
