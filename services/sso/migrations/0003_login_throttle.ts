import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * Throttling per account and address (issue 12, ADR 14): failures are counted per (username, address), and an
 * administrator's lift of an account's lock is kept, so failures before it no longer count.
 */
export const loginThrottleMigration: Migration = {
  name: '0003_login_throttle',
  async up(db) {
    await db.schema
      .createIndex('login_attempts_username_address_at')
      .on('login_attempts')
      .columns(['username', 'address', 'at'])
      .execute();
    await db.schema
      .createTable('login_lock_lifts')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      // Lower case, as login_attempts keeps it: the lift covers the account however it is typed.
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
      .addColumn('lifted_by', 'text', (c) => c.notNull())
      .addColumn('lifted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('login_lock_lifts_username_at')
      .on('login_lock_lifts')
      .columns(['username', 'lifted_at'])
      .execute();
  },
};
