import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/** Products, calculations, contracts with their schedule versions, status history and termination quotes. */
export const leasingMigration: Migration = {
  name: '0001_leasing',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('products'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('currencies', sql`text[]`, (c) => c.notNull())
      .addColumn('schedule_types', sql`text[]`, (c) => c.notNull())
      .addColumn('min_term_months', 'integer', (c) => c.notNull())
      .addColumn('max_term_months', 'integer', (c) => c.notNull())
      .addColumn('min_rate', 'numeric', (c) => c.notNull())
      .addColumn('max_rate', 'numeric', (c) => c.notNull())
      .addColumn('max_advance_percent', 'numeric', (c) => c.notNull())
      .addColumn('max_residual_percent', 'numeric', (c) => c.notNull())
      .addColumn('fees', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('penalty_rate', 'numeric', (c) => c.notNull())
      .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
      .addCheckConstraint('products_terms', sql`min_term_months >= 1 and max_term_months >= min_term_months`)
      .addCheckConstraint('products_rates', sql`min_rate >= 0 and max_rate >= min_rate`)
      .execute();
    // A code stays taken after soft delete: contracts and audit records name it.
    await sql`create unique index products_code_key on products (upper(code))`.execute(db);
    await protectBusinessTable(db, 'products');

    await withBusinessColumns(db.schema.createTable('calculations'))
      .addColumn('product_id', 'uuid', (c) => c.references('products.id'))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('schedule_type', 'text', (c) => c.notNull())
      .addColumn('term_months', 'integer', (c) => c.notNull())
      .addColumn('annual_rate', 'numeric', (c) => c.notNull())
      .addColumn('financed_amount', 'numeric', (c) => c.notNull())
      .addColumn('effective_rate', 'numeric', (c) => c.notNull())
      .addColumn('terms', 'jsonb', (c) => c.notNull())
      .addColumn('schedule', 'jsonb', (c) => c.notNull())
      .execute();
    await sql`create index calculations_created_key on calculations (created_at desc, id)`.execute(db);
    await protectBusinessTable(db, 'calculations');

    await withBusinessColumns(db.schema.createTable('contracts'))
      .addColumn('number', 'text', (c) => c.notNull().unique())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('asset_id', 'uuid', (c) => c.notNull())
      .addColumn('product_id', 'uuid', (c) => c.notNull().references('products.id'))
      .addColumn('calculation_id', 'uuid', (c) => c.notNull().references('calculations.id'))
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('asset_price', 'numeric', (c) => c.notNull())
      .addColumn('advance', 'numeric', (c) => c.notNull())
      .addColumn('financed_amount', 'numeric', (c) => c.notNull())
      .addColumn('residual_value', 'numeric', (c) => c.notNull())
      .addColumn('term_months', 'integer', (c) => c.notNull())
      .addColumn('annual_rate', 'numeric', (c) => c.notNull())
      .addColumn('vat_rate', 'numeric', (c) => c.notNull())
      .addColumn('penalty_rate', 'numeric', (c) => c.notNull())
      .addColumn('schedule_type', 'text', (c) => c.notNull())
      .addColumn('start_date', 'date', (c) => c.notNull())
      .addColumn('schedule_version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('payment_reference', 'text', (c) => c.notNull().unique())
      .addColumn('party_name', 'text', (c) => c.notNull())
      .addColumn('asset_name', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'timestamptz')
      .addColumn('status_reason', 'text')
      .addColumn('status_changed_at', 'timestamptz')
      .addCheckConstraint(
        'contracts_status',
        sql`status in ('draft','approved','signed','active','closed','rejected','terminated','defaulted')`,
      )
      // Four eyes, also against a bug in the service: the approver is never the author.
      .addCheckConstraint('contracts_four_eyes', sql`approved_by is null or approved_by <> created_by`)
      .execute();
    await sql`create index contracts_party_key on contracts (party_id)`.execute(db);
    await sql`create index contracts_asset_key on contracts (asset_id)`.execute(db);
    await sql`create index contracts_status_key on contracts (status)`.execute(db);
    // One asset is leased by at most one contract that is still going somewhere.
    await sql`create unique index contracts_asset_live_key on contracts (asset_id)
      where deleted_at is null and status in ('draft','approved','signed','active')`.execute(db);
    await protectBusinessTable(db, 'contracts');

    await db.schema
      .createTable('contract_schedules')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('effective_from', 'date', (c) => c.notNull())
      .addColumn('schedule', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addUniqueConstraint('contract_schedules_version_key', ['contract_id', 'version'])
      .execute();

    await db.schema
      .createTable('contract_transitions')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
      .addColumn('from_status', 'text', (c) => c.notNull())
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('business_date', 'date', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await sql`create index contract_transitions_contract_key on contract_transitions (contract_id, at)`.execute(
      db,
    );

    await db.schema
      .createTable('termination_quotes')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('contracts.id'))
      .addColumn('schedule_version', 'integer', (c) => c.notNull())
      .addColumn('termination_date', 'date', (c) => c.notNull())
      .addColumn('valid_until', 'date', (c) => c.notNull())
      .addColumn('quote', 'jsonb', (c) => c.notNull())
      .addColumn('executed_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('contract_numbers')
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('contract_numbers_pkey', ['legal_entity', 'year'])
      .execute();
  },
};
