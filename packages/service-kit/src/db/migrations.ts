import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './database.ts';

/** One forward-only schema change; `name` starts with its number (`0001_users`) and orders the list. */
export interface Migration {
  name: string;
  // A migration runs against the schema as it was then, which no current table type describes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>): Promise<void>;
}

/** SQLSTATE of the error a protected business table raises on a physical DELETE or TRUNCATE. */
export const REFUSED_DELETE_SQLSTATE = 'LS001';

/**
 * The kit's migrations, applied by `migrate` before the service's own. A later kit release appends here
 * (`0000_kit_003_…`): a service database that has its own migrations already still gets the new one.
 */
export const kitMigrations: readonly Migration[] = [
  {
    name: '0000_kit_001_refuse_delete',
    async up(db) {
      // Soft delete is the rule (ARCHITECTURE.md §4): the database itself refuses to lose a business row.
      await sql`
        create or replace function lessor_refuse_delete() returns trigger language plpgsql as $$
        begin
          raise exception using
            errcode = 'LS001',
            message = format('%s rows are never deleted physically', tg_table_name),
            hint = 'Soft delete the row: set deleted_at and deleted_by.';
        end
        $$`.execute(db);
    },
  },
  {
    name: '0000_kit_002_idempotency_keys',
    async up(db) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in-flight', 'completed')`))
        .addColumn('response_status', 'integer')
        .addColumn('response_headers', 'jsonb')
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
        .execute();
      await db.schema
        .createIndex('idempotency_keys_created_at')
        .on('idempotency_keys')
        .column('created_at')
        .execute();
    },
  },
  {
    name: '0000_kit_003_idempotency_owner',
    async up(db) {
      // Named the PGlite process behind an in-flight claim (ADR 8); unused since ADR 20, kept as history.
      await db.schema.alterTable('idempotency_keys').addColumn('owner', 'text').execute();
    },
  },
];

const migrationName = /^\d{4}_[a-z0-9_]+$/;

/**
 * Applies the kit's migrations, then the service's, each not yet applied, in name order; each in its own
 * transaction together with its row in `lessor_migrations`. Replicas starting together take turns on a
 * session-level advisory lock: the second waits, then finds everything applied.
 */
export async function migrate<DB>(
  database: Database<DB>,
  migrations: readonly Migration[],
): Promise<{ applied: string[] }> {
  const all = [...kitMigrations, ...migrations.filter((migration) => !kitMigrations.includes(migration))];
  all.forEach((migration, index) => {
    if (!migrationName.test(migration.name)) {
      throw new Error(`Migration name ${JSON.stringify(migration.name)} must match ${migrationName}`);
    }
    const previous = all[index - 1];
    if (previous && previous.name >= migration.name) {
      throw new Error(
        `Migrations must be listed in strictly increasing order: ${migration.name} after ${previous.name}`,
      );
    }
  });
  const known = new Set(all.map((migration) => migration.name));
  const lockKey = `lessor_migrations:${database.schema}`;

  // One dedicated connection for the whole run: a session-level advisory lock belongs to the connection that
  // took it, and each migration's transaction runs on that same connection.
  return database.db.connection().execute(async (session) => {
    await sql`select pg_advisory_lock(hashtext(${lockKey}))`.execute(session);
    try {
      await sql`create table if not exists lessor_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(session);
      const rows = await sql<{ name: string }>`select name from lessor_migrations`.execute(session);
      const unknown = rows.rows.map((row) => row.name).filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new Error(
          `Schema ${database.schema} has migrations this code does not know (${unknown.join(', ')}): ` +
            'the code is older than the database',
        );
      }
      const done = new Set(rows.rows.map((row) => row.name));
      const applied: string[] = [];
      for (const migration of all.filter((candidate) => !done.has(candidate.name))) {
        try {
          await session.transaction().execute(async (trx) => {
            await migration.up(trx);
            await sql`insert into lessor_migrations (name) values (${migration.name})`.execute(trx);
          });
        } catch (error) {
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      // Only a broken connection fails to unlock, and a broken connection's session (and lock) is gone anyway.
      await sql`select pg_advisory_unlock(hashtext(${lockKey}))`.execute(session).catch(() => undefined);
    }
  });
}
