import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/** Refresh tokens, signing keys and login attempts: security records, written only by sso itself. */
export const sessionsMigration: Migration = {
  name: '0002_sessions_and_keys',
  async up(db) {
    await db.schema
      .createTable('refresh_tokens')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('family_id', 'uuid', (c) => c.notNull())
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
      // Only a SHA-256 of the token is kept: a copy of the database does not hand out sessions.
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('issued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('revoked_reason', 'text')
      .execute();
    await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
    await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('alg', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'jsonb', (c) => c.notNull())
      .addColumn('private_jwk', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      // Published from created_at, signs from activates_at: verifiers learn a key before they meet it.
      .addColumn('activates_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('retired_at', 'timestamptz')
      .execute();

    await db.schema
      .createTable('login_attempts')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('succeeded', 'boolean', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('login_attempts_username_at')
      .on('login_attempts')
      .columns(['username', 'at'])
      .execute();
    await db.schema
      .createIndex('login_attempts_address_at')
      .on('login_attempts')
      .columns(['address', 'at'])
      .execute();
  },
};
