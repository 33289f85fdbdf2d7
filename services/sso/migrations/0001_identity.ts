import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/** Users, roles, their grants and service clients: the business rows of sso (soft delete only). */
export const identityMigration: Migration = {
  name: '0001_identity',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('users'))
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    // A username stays taken after soft delete: audit records name it, and restore must not collide.
    await sql`create unique index users_username_key on users (lower(username))`.execute(db);
    await protectBusinessTable(db, 'users');

    await withBusinessColumns(db.schema.createTable('roles'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('permissions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('built_in', 'boolean', (c) => c.notNull().defaultTo(false))
      .execute();
    await sql`create unique index roles_name_key on roles (lower(name))`.execute(db);
    await protectBusinessTable(db, 'roles');

    await withBusinessColumns(db.schema.createTable('role_grants'))
      .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
      .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id'))
      .execute();
    // One live grant per user and role; a revoked (soft-deleted) grant stays as history.
    await sql`create unique index role_grants_live_key on role_grants (user_id, role_id) where deleted_at is null`.execute(
      db,
    );
    await protectBusinessTable(db, 'role_grants');

    await withBusinessColumns(db.schema.createTable('service_clients'))
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('scopes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .execute();
    await sql`create unique index service_clients_client_id_key on service_clients (client_id)`.execute(db);
    await protectBusinessTable(db, 'service_clients');
  },
};
