import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/**
 * Contracts as billing knows them, invoices with lines and gap-free numbers, payments, allocations,
 * penalties, dunning notices, settings and bank statement imports.
 */
export const billingMigration: Migration = {
  name: '0001_billing',
  async up(db) {
    await db.schema
      .createTable('contracts')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('payment_reference', 'text', (c) => c.notNull().unique())
      .addColumn('penalty_rate', 'numeric', (c) => c.notNull())
      .addColumn('vat_rate', 'numeric', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('schedule_version', 'integer', (c) => c.notNull())
      .addColumn('start_date', 'date', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();

    await withBusinessColumns(db.schema.createTable('invoices'))
      .addColumn('number', 'text', (c) => c.unique())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('installment', 'integer')
      .addColumn('schedule_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('issue_date', 'date', (c) => c.notNull())
      .addColumn('due_date', 'date', (c) => c.notNull())
      .addColumn('principal', 'numeric', (c) => c.notNull())
      .addColumn('interest', 'numeric', (c) => c.notNull())
      .addColumn('fees', 'numeric', (c) => c.notNull())
      .addColumn('vat', 'numeric', (c) => c.notNull())
      .addColumn('total', 'numeric', (c) => c.notNull())
      .addColumn('penalties', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_penalty', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_interest', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_principal', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_fees', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('paid_vat', 'numeric', (c) => c.notNull().defaultTo(0))
      .addColumn('issued_at', 'timestamptz')
      .addColumn('cancel_reason', 'text')
      // The last day the penalty run brought penalties and dunning levels up to: a run skips what it has seen.
      .addColumn('overdue_through', 'date')
      .addCheckConstraint(
        'invoices_status',
        sql`status in ('planned','issued','partially-paid','paid','cancelled')`,
      )
      .addCheckConstraint(
        'invoices_kind',
        sql`kind in ('advance','installment','termination','buyout','fee')`,
      )
      // An invoice's amounts add up, and nothing is settled beyond what it asks: checked by the database too.
      .addCheckConstraint(
        'invoices_amounts',
        sql`principal >= 0 and interest >= 0 and fees >= 0 and vat >= 0 and total = principal + interest + fees + vat`,
      )
      .addCheckConstraint(
        'invoices_paid',
        sql`paid_penalty between 0 and penalties and paid_interest between 0 and interest
          and paid_principal between 0 and principal and paid_fees between 0 and fees and paid_vat between 0 and vat`,
      )
      .addCheckConstraint('invoices_numbered', sql`(number is null) = (status in ('planned','cancelled'))`)
      .execute();
    // One live invoice per contract, kind and installment: a redelivered or republished event plans nothing twice.
    await sql`create unique index invoices_live_key on invoices (contract_id, kind, coalesce(installment, 0))
      where status <> 'cancelled'`.execute(db);
    await sql`create index invoices_contract_key on invoices (contract_id, due_date)`.execute(db);
    await sql`create index invoices_planned_key on invoices (issue_date) where status = 'planned'`.execute(
      db,
    );
    await sql`create index invoices_open_key on invoices (due_date) where status in ('issued','partially-paid')`.execute(
      db,
    );
    await protectBusinessTable(db, 'invoices');

    await db.schema
      .createTable('invoice_lines')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addCheckConstraint('invoice_lines_kind', sql`kind in ('principal','interest','fee','vat')`)
      .addUniqueConstraint('invoice_lines_position_key', ['invoice_id', 'position'])
      .execute();

    await db.schema
      .createTable('invoice_numbers')
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('invoice_numbers_pkey', ['legal_entity', 'year'])
      .execute();

    await withBusinessColumns(db.schema.createTable('payments'))
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('contract_id', 'uuid', (c) => c.references('contracts.id'))
      .addColumn('party_id', 'uuid')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('value_date', 'date', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addColumn('unallocated', 'numeric', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('bank_reference', 'text', (c) => c.unique())
      .addColumn('payer_name', 'text')
      .addColumn('payer_account', 'text')
      .addColumn('import_id', 'uuid')
      .addColumn('import_line', 'integer')
      .addColumn('match_date', 'date')
      .addColumn('match_note', 'text')
      .addCheckConstraint('payments_status', sql`status in ('unmatched','matched')`)
      .addCheckConstraint('payments_source', sql`source in ('manual','import')`)
      .addCheckConstraint('payments_amounts', sql`amount > 0 and unallocated between 0 and amount`)
      // Money of no known client is never allocated: only a matched payment gives credit.
      .addCheckConstraint(
        'payments_matched',
        sql`(status = 'matched') = (contract_id is not null) and (status = 'matched' or unallocated = amount)`,
      )
      .execute();
    await sql`create index payments_contract_key on payments (contract_id, value_date) where contract_id is not null`.execute(
      db,
    );
    await sql`create index payments_credit_key on payments (contract_id) where unallocated > 0 and contract_id is not null`.execute(
      db,
    );
    await protectBusinessTable(db, 'payments');

    await db.schema
      .createTable('allocations')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('payment_id', 'uuid', (c) => c.notNull().references('payments.id'))
      .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
      .addColumn('contract_id', 'uuid', (c) => c.notNull())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('value_date', 'date', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('penalty', 'numeric', (c) => c.notNull())
      .addColumn('interest', 'numeric', (c) => c.notNull())
      .addColumn('principal', 'numeric', (c) => c.notNull())
      .addColumn('fees', 'numeric', (c) => c.notNull())
      .addColumn('vat', 'numeric', (c) => c.notNull())
      .addColumn('total', 'numeric', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'allocations_amounts',
        sql`penalty >= 0 and interest >= 0 and principal >= 0 and fees >= 0 and vat >= 0
          and total > 0 and total = penalty + interest + principal + fees + vat`,
      )
      .execute();
    await sql`create index allocations_invoice_key on allocations (invoice_id, value_date)`.execute(db);
    await sql`create index allocations_payment_key on allocations (payment_id)`.execute(db);

    await db.schema
      .createTable('penalties')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
      .addColumn('contract_id', 'uuid', (c) => c.notNull())
      .addColumn('charge_date', 'date', (c) => c.notNull())
      .addColumn('days_overdue', 'integer', (c) => c.notNull())
      .addColumn('base', 'numeric', (c) => c.notNull())
      .addColumn('rate', 'numeric', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addCheckConstraint('penalties_amount', sql`amount > 0 and days_overdue >= 1`)
      // Idempotent per invoice and day, whatever runs the charge and however often.
      .addUniqueConstraint('penalties_day_key', ['invoice_id', 'charge_date'])
      .execute();

    await db.schema
      .createTable('dunning_notices')
      .addColumn('invoice_id', 'uuid', (c) => c.notNull().references('invoices.id'))
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('reached_on', 'date', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('dunning_notices_pkey', ['invoice_id', 'level'])
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('imports')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text')
      // A file imported twice adds nothing: the second upload finds the first by its SHA-256.
      .addColumn('file_hash', 'text', (c) => c.notNull().unique())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lines_total', 'integer', (c) => c.notNull())
      .addColumn('lines_done', 'integer', (c) => c.notNull())
      .addColumn('matched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('unmatched', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('refused', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'timestamptz')
      .addCheckConstraint('imports_status', sql`status in ('running','completed')`)
      .addCheckConstraint('imports_format', sql`format in ('csv','camt053')`)
      .addCheckConstraint('imports_progress', sql`lines_done between 0 and lines_total`)
      .execute();
    await sql`create index imports_created_key on imports (created_at desc, id)`.execute(db);
    await sql`create index imports_running_key on imports (id) where status = 'running'`.execute(db);

    await db.schema
      .createTable('import_lines')
      .addColumn('import_id', 'uuid', (c) => c.notNull().references('imports.id'))
      .addColumn('entry', 'integer', (c) => c.notNull())
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('payment', 'jsonb', (c) => c.notNull())
      .addColumn('payment_id', 'uuid')
      .addCheckConstraint(
        'import_lines_status',
        sql`status in ('pending','matched','unmatched','refused','skipped')`,
      )
      .addPrimaryKeyConstraint('import_lines_pkey', ['import_id', 'entry'])
      .execute();
  },
};
