import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/** __Entities__, with the business columns every table has (audit stamps, version, soft delete). */
export const __entitiesCamel__Migration: Migration = {
  name: '0001___entitiesSnake__',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('__entitiesSnake__'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .execute();
    // Case-insensitive search compares lower(name); text_pattern_ops serves prefix matches.
    await sql`create index __entitiesSnake___lower_name on __entitiesSnake__ (lower(name) text_pattern_ops)`.execute(
      db,
    );
    // Soft delete only: the database refuses a physical DELETE or TRUNCATE, whatever the code does.
    await protectBusinessTable(db, '__entitiesSnake__');
  },
};
