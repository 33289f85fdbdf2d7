import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/** The name of the index that keeps a tax id unique per country among live parties (the service maps it to 409). */
export const TAX_ID_UNIQUE_INDEX = 'parties_country_tax_id_live_key';

/**
 * Parties (companies and people) with their addresses and contacts as jsonb arrays, and the append-only
 * history of their KYC status.
 */
export const partiesMigration: Migration = {
  name: '0001_parties',
  async up(db) {
    await withBusinessColumns(db.schema.createTable('parties'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('company', 'person')`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('legal_form', 'text')
      .addColumn('country', 'text', (c) => c.notNull().check(sql`country ~ '^[A-Z]{2}$'`))
      .addColumn('tax_id', 'text')
      .addColumn('registration_number', 'text')
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('addresses', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('contacts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('kyc_status', 'text', (c) =>
        c
          .notNull()
          .defaultTo('pending')
          .check(sql`kyc_status in ('pending', 'verified', 'rejected', 'expired')`),
      )
      // The service refuses these first with a clear answer; the database keeps them true whatever the code.
      .addCheckConstraint('parties_legal_form_company_only', sql`kind = 'company' or legal_form is null`)
      .addCheckConstraint(
        'parties_names_person_only',
        sql`kind = 'person' or (first_name is null and last_name is null)`,
      )
      .execute();
    // One live party per tax id and country: a partial unique index, so two concurrent creates cannot both
    // win, and a deleted party does not block a new one (its restore is then refused instead).
    await sql`create unique index ${sql.id(TAX_ID_UNIQUE_INDEX)} on parties (country, tax_id)
      where deleted_at is null and tax_id is not null`.execute(db);
    // Search by tax id without a country.
    await sql`create index parties_tax_id on parties (tax_id) where tax_id is not null`.execute(db);
    // Case-insensitive name search compares lower(name); text_pattern_ops serves prefix matches.
    await sql`create index parties_lower_name on parties (lower(name) text_pattern_ops)`.execute(db);
    await protectBusinessTable(db, 'parties');

    await db.schema
      .createTable('kyc_history')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('party_id', 'uuid', (c) => c.notNull().references('parties.id'))
      .addColumn('from_status', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema.createIndex('kyc_history_party').on('kyc_history').columns(['party_id', 'at']).execute();
    // A KYC decision is evidence for the regulator: the history is never rewritten, not even by this service.
    await sql`create function kyc_history_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'kyc_history is append-only: % refused', tg_op using errcode = 'LS002';
      end $$`.execute(db);
    await sql`create trigger kyc_history_no_update before update or delete on kyc_history
      for each row execute function kyc_history_append_only()`.execute(db);
    await sql`create trigger kyc_history_no_truncate before truncate on kyc_history
      for each statement execute function kyc_history_append_only()`.execute(db);
  },
};
