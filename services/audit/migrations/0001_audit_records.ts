import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * The audit trail: one row per change or security event, append-only. The database itself refuses
 * UPDATE, DELETE and TRUNCATE (SQLSTATE LS002), so not even a bug in this service can rewrite history.
 */
export const auditRecordsMigration: Migration = {
  name: '0001_audit_records',
  async up(db) {
    await db.schema
      .createTable('audit_records')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
      .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('entity_type', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('trace_id', 'text')
      .addColumn('before', 'jsonb')
      .addColumn('after', 'jsonb')
      .addColumn('changed', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .addColumn('data', 'jsonb', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('audit_records_entity')
      .on('audit_records')
      .columns(['entity_type', 'entity_id', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('audit_records_actor')
      .on('audit_records')
      .columns(['actor', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('audit_records_service')
      .on('audit_records')
      .columns(['service', 'occurred_at'])
      .execute();
    await db.schema
      .createIndex('audit_records_occurred')
      .on('audit_records')
      .columns(['occurred_at', 'id'])
      .execute();
    await sql`create function audit_records_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_records is append-only: % refused', tg_op using errcode = 'LS002';
      end $$`.execute(db);
    await sql`create trigger audit_records_no_update before update or delete on audit_records
      for each row execute function audit_records_append_only()`.execute(db);
    await sql`create trigger audit_records_no_truncate before truncate on audit_records
      for each statement execute function audit_records_append_only()`.execute(db);
  },
};
