import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/**
 * Credit notes with their lines and their own gap-free number series; the credit they give a client kept as a
 * payment of source `credit-note`; what invoices were credited; an id for each dunning notice (its change event
 * names it).
 */
export const creditNotesMigration: Migration = {
  name: '0002_credit_notes',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('credit_notes'))
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'date', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('principal', 'numeric', (c) => c.notNull())
      .addColumn('interest', 'numeric', (c) => c.notNull())
      .addColumn('fees', 'numeric', (c) => c.notNull())
      .addColumn('vat', 'numeric', (c) => c.notNull())
      .addColumn('total', 'numeric', (c) => c.notNull())
      .addColumn('applied_to_invoice', 'numeric', (c) => c.notNull())
      .addColumn('to_credit', 'numeric', (c) => c.notNull())
      .addColumn('payment_id', 'uuid', (c) => c.notNull().unique())
      .addCheckConstraint(
        'credit_notes_amounts',
        sql`principal >= 0 and interest >= 0 and fees >= 0 and vat >= 0 and total > 0
          and total = principal + interest + fees + vat
          and applied_to_invoice >= 0 and to_credit >= 0 and applied_to_invoice + to_credit = total`,
      )
      .execute();
    await sql`create index credit_notes_invoice_key on credit_notes (invoice_id)`.execute(db);
    await sql`create index credit_notes_contract_key on credit_notes (contract_id, issue_date)`.execute(db);
    await protectBusinessTable(db, 'credit_notes');

    await db.schema
      .createTable('credit_note_lines')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('credit_note_id', 'uuid', (c) => c.notNull().references('credit_notes.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('invoice_line', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addCheckConstraint('credit_note_lines_kind', sql`kind in ('principal','interest','fee','vat')`)
      .addCheckConstraint('credit_note_lines_amount', sql`amount > 0`)
      .addUniqueConstraint('credit_note_lines_position_key', ['credit_note_id', 'position'])
      .execute();

    // Their own series: a credit note never takes an invoice number, and neither series has gaps.
    await db.schema
      .createTable('credit_note_numbers')
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('credit_note_numbers_pkey', ['legal_entity', 'year'])
      .execute();

    // What credit notes took off an invoice: never more than it billed.
    await db.schema
      .alterTable('invoices')
      .addColumn('credited', 'numeric', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`alter table invoices add constraint invoices_credited check (credited between 0 and total)`.execute(
      db,
    );

    // A credit note's credit is kept as a payment (source credit-note): allocation, penalties and aging treat it
    // like money the client has with us, which it is.
    await db.schema
      .alterTable('payments')
      .addColumn('credit_note_id', 'uuid', (c) => c.references('credit_notes.id').unique())
      .execute();
    await sql`alter table payments drop constraint payments_source`.execute(db);
    await sql`alter table payments add constraint payments_source
      check (source in ('manual','import','credit-note') and (source = 'credit-note') = (credit_note_id is not null))`.execute(
      db,
    );

    await db.schema.alterTable('dunning_notices').addColumn('id', 'uuid').execute();
    await sql`update dunning_notices set id = gen_random_uuid() where id is null`.execute(db);
    await sql`alter table dunning_notices alter column id set not null`.execute(db);
    await sql`alter table dunning_notices add constraint dunning_notices_id_key unique (id)`.execute(db);
  },
};
