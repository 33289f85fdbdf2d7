import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/** The parties learned from events, and the digests that gathered them. */
export const digestsMigration: Migration = {
  name: '0001_digests',
  async up(db) {
    await db.schema
      .createTable('digests')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('made_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('parties', 'integer', (c) => c.notNull().check(sql`parties > 0`))
      .execute();
    // The party id is the key: an event applied twice would fail here (the inbox makes sure it is not).
    await db.schema
      .createTable('learned_parties')
      .addColumn('party_id', 'uuid', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('learned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('digest_id', 'uuid', (c) => c.references('digests.id'))
      .execute();
    // The job's query: the parties no digest has taken yet.
    await sql`create index learned_parties_waiting on learned_parties (learned_at) where digest_id is null`.execute(
      db,
    );
  },
};
