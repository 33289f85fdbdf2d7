import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

const ASSET_TYPES = `'car', 'truck', 'van', 'trailer', 'construction', 'agricultural', 'medical', 'it', 'other'`;
const ASSET_STATUSES = `'available', 'reserved', 'leased', 'returned', 'sold'`;

/**
 * The asset register: suppliers, assets, the append-only history of each asset's status, and insurance
 * policies. Amounts are `numeric` (decimal strings in code), business dates `date`.
 */
export const assetRegisterMigration: Migration = {
  name: '0001_asset_register',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('suppliers'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('country', sql`char(2)`, (c) => c.notNull())
      .addColumn('tax_id', 'text')
      .addColumn('contact_name', 'text')
      .addColumn('contact_email', 'text')
      .addColumn('contact_phone', 'text')
      .execute();
    await sql`create index suppliers_name on suppliers (lower(name))`.execute(db);
    await protectBusinessTable(db, 'suppliers');

    await withBusinessColumns(db.schema.createTable('assets'))
      .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${ASSET_TYPES})`)))
      .addColumn('make', 'text', (c) => c.notNull())
      .addColumn('model', 'text', (c) => c.notNull())
      .addColumn('vin', 'text')
      .addColumn('serial_number', 'text')
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('price_amount', sql`numeric(19,4)`, (c) => c.notNull().check(sql`price_amount > 0`))
      .addColumn('price_currency', sql`char(3)`, (c) => c.notNull())
      .addColumn('supplier_id', 'uuid', (c) => c.references('suppliers.id'))
      .addColumn('location_text', 'text')
      .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${ASSET_STATUSES})`)))
      .addColumn('status_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('contract_id', 'uuid')
      // A vehicle is identified by its VIN, equipment by its serial number: exactly one of them.
      .addCheckConstraint('assets_one_identifier', sql`(vin is null) <> (serial_number is null)`)
      .execute();
    // A VIN names one vehicle in the world; a deleted asset lets go of it (it may be registered again).
    await sql`create unique index assets_vin_live on assets (vin)
      where deleted_at is null and vin is not null`.execute(db);
    // Serial numbers are only unique within a manufacturer.
    await sql`create unique index assets_serial_live on assets (lower(make), serial_number)
      where deleted_at is null and serial_number is not null`.execute(db);
    await db.schema.createIndex('assets_status').on('assets').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('assets_supplier').on('assets').column('supplier_id').execute();
    await db.schema.createIndex('assets_contract').on('assets').column('contract_id').execute();
    await protectBusinessTable(db, 'assets');

    await db.schema
      .createTable('asset_status_history')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id'))
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('contract_id', 'uuid')
      .addColumn('event_id', 'uuid')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('asset_status_history_asset')
      .on('asset_status_history')
      .columns(['asset_id', 'at'])
      .execute();
    await db.schema
      .createIndex('asset_status_history_contract')
      .on('asset_status_history')
      .columns(['contract_id', 'asset_id'])
      .execute();
    // The history is a record, not a draft: the database refuses to change or remove a row (SQLSTATE LS002,
    // the append-only refusal audit uses too), so not even a bug in this service can rewrite it.
    await sql`create function asset_status_history_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'asset_status_history is append-only: % refused', tg_op using errcode = 'LS002';
      end $$`.execute(db);
    await sql`create trigger asset_status_history_no_change before update or delete on asset_status_history
      for each row execute function asset_status_history_append_only()`.execute(db);
    await sql`create trigger asset_status_history_no_truncate before truncate on asset_status_history
      for each statement execute function asset_status_history_append_only()`.execute(db);

    await withBusinessColumns(db.schema.createTable('insurance_policies'))
      .addColumn('asset_id', 'uuid', (c) => c.notNull().references('assets.id'))
      .addColumn('insurer', 'text', (c) => c.notNull())
      .addColumn('policy_number', 'text', (c) => c.notNull())
      .addColumn('coverage', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('insured_amount', sql`numeric(19,4)`, (c) => c.notNull())
      .addColumn('insured_currency', sql`char(3)`, (c) => c.notNull())
      .addColumn('premium_amount', sql`numeric(19,4)`, (c) => c.notNull())
      .addColumn('premium_currency', sql`char(3)`, (c) => c.notNull())
      .addColumn('valid_from', 'date', (c) => c.notNull())
      .addColumn('valid_to', 'date', (c) => c.notNull())
      .addCheckConstraint('insurance_policies_period', sql`valid_to > valid_from`)
      .execute();
    // One live policy per insurer and number: a second one is a typo or a duplicate entry.
    await sql`create unique index insurance_policies_number_live
      on insurance_policies (lower(insurer), policy_number) where deleted_at is null`.execute(db);
    await db.schema
      .createIndex('insurance_policies_asset')
      .on('insurance_policies')
      .columns(['asset_id', 'valid_to'])
      .execute();
    await db.schema
      .createIndex('insurance_policies_valid_to')
      .on('insurance_policies')
      .column('valid_to')
      .execute();
    await protectBusinessTable(db, 'insurance_policies');
  },
};
