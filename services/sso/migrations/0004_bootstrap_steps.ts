import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * One-time start-up steps that write ordinary, editable rows (the starter roles): each runs once per database,
 * on a fresh install and on the first start of an existing installation after the release that brings it, and
 * never again — so a starter role an administrator changed or deleted stays as they left it.
 */
export const bootstrapStepsMigration: Migration = {
  name: '0004_bootstrap_steps',
  async up(db) {
    await db.schema
      .createTable('bootstrap_steps')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('done_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
  },
};
