import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * Finance's posted journal entries as the export to outside accounting keeps them: each entry once (its id is
 * the key), its lines, and where its sending stands (README: Export: journal entries → accounting).
 */
export const exportMigration: Migration = {
  name: '0004_export',
  async up(db) {
    await db.schema
      .createTable('export_entries')
      .addColumn('entry_id', 'uuid', (c) => c.primaryKey())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('entry_date', 'date', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('source_event_type', 'text')
      .addColumn('reverses_entry_id', 'uuid')
      // The finance event that brought it, and when finance posted it.
      .addColumn('event_id', 'uuid', (c) => c.notNull())
      .addColumn('posted_at', 'timestamptz', (c) => c.notNull())
      .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('connector_id', 'uuid')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('first_sent_at', 'timestamptz')
      .addColumn('last_sent_at', 'timestamptz')
      .addColumn('acknowledged_at', 'timestamptz')
      .addColumn('acknowledged_as', 'text')
      .addColumn('refused_at', 'timestamptz')
      .addColumn('refusal', 'text')
      .addColumn('last_error', 'text')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addCheckConstraint(
        'export_entries_status',
        sql`status in ('pending', 'sent', 'acknowledged', 'refused')`,
      )
      .addCheckConstraint('export_entries_acknowledged_as', sql`acknowledged_as in ('created', 'duplicate')`)
      .addCheckConstraint('export_entries_refused', sql`(status = 'refused') = (refusal is not null)`)
      .execute();
    // What the sender picks: the entries not final, the earliest due first.
    await sql`create index export_entries_due on export_entries (next_attempt_at)
      where status in ('pending', 'sent')`.execute(db);
    await db.schema
      .createIndex('export_entries_period')
      .on('export_entries')
      .columns(['entry_date', 'entry_id'])
      .execute();
    await db.schema
      .createTable('export_entry_lines')
      .addColumn('entry_id', 'uuid', (c) => c.notNull().references('export_entries.entry_id'))
      .addColumn('line_no', 'integer', (c) => c.notNull())
      .addColumn('account_code', 'text', (c) => c.notNull())
      .addColumn('account_name', 'text', (c) => c.notNull())
      .addColumn('side', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('counterparty_id', 'uuid')
      .addColumn('contract_id', 'uuid')
      .addPrimaryKeyConstraint('export_entry_lines_pk', ['entry_id', 'line_no'])
      .addCheckConstraint('export_entry_lines_side', sql`side in ('debit', 'credit')`)
      .addCheckConstraint('export_entry_lines_amount', sql`amount > 0`)
      .execute();
  },
};
