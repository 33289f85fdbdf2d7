import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * The names of the users that act (issue 12): records keep the actor by id, the fact; a person reads and
 * searches a name. sso publishes every user change and audit records them all, so audit keeps each user's
 * latest name from those events itself, in the same transaction as their records, and reads a record's
 * actor name through it (a rename then reaches every older record; the records stay untouched, append-only).
 * Filled from the user records audit already holds.
 */
export const actorNamesMigration: Migration = {
  name: '0002_actor_names',
  async up(db) {
    await db.schema
      .createTable('actor_names')
      .addColumn('actor', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await sql`insert into actor_names (actor, username, full_name, changed_at)
      select distinct on (entity_id) entity_id, after->>'username', coalesce(after->>'fullName', ''), occurred_at
        from audit_records
       where service = 'sso' and entity_type = 'user' and after->>'username' is not null
       order by entity_id, occurred_at desc`.execute(db);
  },
};
