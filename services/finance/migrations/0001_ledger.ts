import { sql } from 'kysely';
import { protectBusinessTable, withBusinessColumns, type Migration } from '@lessor/service-kit';

/**
 * The ledger: legal entities, the chart of accounts, journal entries and lines (immutable, balanced per
 * currency — checked by the service and, at commit, by the database), periods, FX rates, posting rules, the
 * review list, and finance's copy of lease schedules for income recognition.
 */
export const ledgerMigration: Migration = {
  name: '0001_ledger',
  async up(db) {
    await db.schema
      .createTable('legal_entities')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('functional_currency', 'text', (c) => c.notNull())
      .addColumn('business_date', 'date')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();

    await withBusinessColumns(db.schema.createTable('accounts'))
      .addColumn('legal_entity', 'text', (c) => c.notNull().references('legal_entities.code'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) =>
        c.notNull().check(sql`type in ('asset', 'liability', 'equity', 'income', 'expense')`),
      )
      .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
      .addUniqueConstraint('accounts_code_currency_key', ['legal_entity', 'code', 'currency'])
      .execute();
    await protectBusinessTable(db, 'accounts');

    await db.schema
      .createTable('journal_entries')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('seq', 'bigserial', (c) => c.notNull().unique())
      // Checked by finance_entry_guard, not a foreign key (see journal_lines below).
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('entry_date', 'date', (c) => c.notNull())
      .addColumn('kind', 'text', (c) =>
        c.notNull().check(sql`kind in ('event', 'manual', 'reversal', 'income')`),
      )
      .addColumn('description', 'text', (c) => c.notNull())
      // Exactly once: an event id is posted at most once, however often it is delivered.
      .addColumn('source_event_id', 'uuid', (c) => c.unique())
      .addColumn('source_event_type', 'text')
      .addColumn('source_key', 'text', (c) => c.unique())
      .addColumn('posting_rule_id', 'uuid')
      // An entry is reversed at most once.
      .addColumn('reverses_entry_id', 'uuid', (c) => c.unique().references('journal_entries.id'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await sql`create index journal_entries_date on journal_entries (legal_entity, entry_date, seq)`.execute(
      db,
    );

    // No foreign keys from the journal: a foreign key check locks the referenced row (FOR KEY SHARE), and every
    // posting references the same few accounts and the one legal entity — from a savepoint each when the
    // consumer posts a batch, which makes PostgreSQL grow a multixact per row with every posting of every
    // batch in flight. finance_line_guard and finance_entry_guard check the references instead, and nothing
    // they point at is ever deleted (accounts are soft deleted, entries never change).
    await db.schema
      .createTable('journal_lines')
      .addColumn('entry_id', 'uuid', (c) => c.notNull())
      .addColumn('line_no', 'smallint', (c) => c.notNull())
      .addColumn('account_id', 'uuid', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('entry_date', 'date', (c) => c.notNull())
      .addColumn('side', 'text', (c) => c.notNull().check(sql`side in ('debit', 'credit')`))
      .addColumn('amount', 'numeric', (c) => c.notNull().check(sql`amount > 0`))
      .addColumn('counterparty_id', 'uuid')
      .addColumn('contract_id', 'uuid')
      .addPrimaryKeyConstraint('journal_lines_pk', ['entry_id', 'line_no'])
      .execute();
    await sql`create index journal_lines_account on journal_lines (account_id, entry_date)`.execute(db);
    await sql`create index journal_lines_contract on journal_lines (contract_id) where contract_id is not null`.execute(
      db,
    );
    await sql`create index journal_lines_counterparty on journal_lines (counterparty_id)
      where counterparty_id is not null`.execute(db);

    // Entries and lines never change once written: a correction is a reversal entry.
    await sql`
      create function finance_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception using
          errcode = 'LF001',
          message = format('%s rows never change: post a reversal entry instead', tg_table_name);
      end
      $$`.execute(db);
    for (const table of ['journal_entries', 'journal_lines']) {
      await sql`create trigger finance_immutable before update or delete on ${sql.table(table)}
        for each row execute function finance_refuse_change()`.execute(db);
      await sql`create trigger finance_immutable_truncate before truncate on ${sql.table(table)}
        for each statement execute function finance_refuse_change()`.execute(db);
    }

    // A closed period takes no entry, however it is written. The service checks first (with a clear error);
    // this catches what slips past it (a race with the close, a raw insert). Closing locks journal_entries in
    // SHARE mode, so an entry is either committed before the close or sees it here.
    await sql`
      create function finance_entry_guard() returns trigger language plpgsql as $$
      begin
        new.created_at := now();
        if not exists (select 1 from legal_entities where code = new.legal_entity) then
          raise exception using
            errcode = 'LF006', message = format('finance keeps no books for %s', new.legal_entity);
        end if;
        if exists (select 1 from accounting_periods
                   where legal_entity = new.legal_entity and period = to_char(new.entry_date, 'YYYY-MM')
                     and status = 'closed') then
          raise exception using
            errcode = 'LF002',
            message = format('period %s of %s is closed', to_char(new.entry_date, 'YYYY-MM'), new.legal_entity);
        end if;
        return new;
      end
      $$`.execute(db);

    // A line belongs to an entry written in the same transaction (created_at is that transaction's start,
    // forced above), goes to a live enabled account in the account's currency, and carries the entry's date.
    await sql`
      create function finance_line_guard() returns trigger language plpgsql as $$
      declare
        entry record;
        account record;
      begin
        select entry_date, created_at into entry from journal_entries where id = new.entry_id;
        if not found or entry.created_at <> now() then
          raise exception using
            errcode = 'LF005',
            message = format('lines of entry %s can only be written with the entry itself', new.entry_id);
        end if;
        new.entry_date := entry.entry_date;
        select currency, disabled, deleted_at into account from accounts where id = new.account_id;
        if not found or account.disabled or account.deleted_at is not null then
          raise exception using
            errcode = 'LF004', message = format('account %s is disabled or deleted', new.account_id);
        end if;
        if account.currency <> new.currency then
          raise exception using
            errcode = 'LF004',
            message = format('account %s keeps %s, not %s', new.account_id, account.currency, new.currency);
        end if;
        return new;
      end
      $$`.execute(db);

    // Debits equal credits per currency, checked at commit (deferred): the lines of an entry are written by
    // one multi-row insert after the entry, and only the whole has to balance.
    await sql`
      create function finance_entry_balanced() returns trigger language plpgsql as $$
      declare
        lines integer;
        unbalanced text;
      begin
        select count(*) into lines from journal_lines where entry_id = new.id;
        if lines < 2 then
          raise exception using
            errcode = 'LF003', message = format('entry %s has %s line(s); it needs a debit and a credit', new.id, lines);
        end if;
        select string_agg(currency || ' ' || net::text, ', ') into unbalanced from (
          select currency, sum(case side when 'debit' then amount else -amount end) as net
          from journal_lines where entry_id = new.id group by currency
        ) sums where net <> 0;
        if unbalanced is not null then
          raise exception using
            errcode = 'LF003',
            message = format('entry %s does not balance: debits minus credits = %s', new.id, unbalanced);
        end if;
        return null;
      end
      $$`.execute(db);
    await sql`create trigger finance_entry_guard before insert on journal_entries
      for each row execute function finance_entry_guard()`.execute(db);
    await sql`create trigger finance_line_guard before insert on journal_lines
      for each row execute function finance_line_guard()`.execute(db);
    await sql`create constraint trigger finance_entry_balanced after insert on journal_entries
      deferrable initially deferred for each row execute function finance_entry_balanced()`.execute(db);

    await db.schema
      .createTable('accounting_periods')
      .addColumn('legal_entity', 'text', (c) => c.notNull().references('legal_entities.code'))
      .addColumn('period', 'text', (c) => c.notNull().check(sql`period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'closed')`))
      .addColumn('changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('changed_by', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('accounting_periods_pk', ['legal_entity', 'period'])
      .execute();
    await db.schema
      .createTable('period_changes')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('closed', 'reopened')`))
      .addColumn('reason', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await sql`create index period_changes_period on period_changes (legal_entity, period, at)`.execute(db);

    await db.schema
      .createTable('fx_rates')
      .addColumn('rate_date', 'date', (c) => c.notNull())
      .addColumn('from_currency', 'text', (c) => c.notNull())
      .addColumn('to_currency', 'text', (c) => c.notNull())
      .addColumn('rate', 'numeric', (c) => c.notNull().check(sql`rate > 0`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('fx_rates_pk', ['from_currency', 'to_currency', 'rate_date'])
      .addCheckConstraint('fx_rates_pair', sql`from_currency <> to_currency`)
      .execute();

    await withBusinessColumns(db.schema.createTable('posting_rules'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('legal_entity', 'text')
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('conditions', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .addColumn('date_path', 'text', (c) => c.notNull())
      .addColumn('entry_description', 'text', (c) => c.notNull())
      .addColumn('lines', 'jsonb', (c) => c.notNull())
      .execute();
    await sql`create index posting_rules_type on posting_rules (event_type) where deleted_at is null`.execute(
      db,
    );
    await protectBusinessTable(db, 'posting_rules');

    await db.schema
      .createTable('review_items')
      .addColumn('id', 'uuid', (c) => c.primaryKey())
      .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('legal_entity', 'text')
      .addColumn('envelope', 'jsonb', (c) => c.notNull())
      .addColumn('derived', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('reason_code', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved', 'discarded')`))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('entry_id', 'uuid', (c) => c.references('journal_entries.id'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('resolved_at', 'timestamptz')
      .addColumn('resolved_by', 'text')
      .addColumn('note', 'text')
      .execute();
    await sql`create index review_items_status on review_items (status, id)`.execute(db);
    await protectBusinessTable(db, 'review_items');

    await db.schema
      .createTable('lease_contracts')
      .addColumn('contract_id', 'uuid', (c) => c.primaryKey())
      .addColumn('legal_entity', 'text', (c) => c.notNull())
      .addColumn('party_id', 'uuid', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('schedule_version', 'integer', (c) => c.notNull())
      .addColumn('terminated_on', 'date')
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createTable('lease_installments')
      .addColumn('contract_id', 'uuid', (c) => c.notNull().references('lease_contracts.contract_id'))
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('due_date', 'date', (c) => c.notNull())
      .addColumn('principal', 'numeric', (c) => c.notNull())
      .addColumn('interest', 'numeric', (c) => c.notNull())
      .addColumn('voided', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('recognised_entry_id', 'uuid', (c) => c.references('journal_entries.id'))
      .addPrimaryKeyConstraint('lease_installments_pk', ['contract_id', 'n'])
      .execute();
    await sql`create index lease_installments_unrecognised on lease_installments (due_date)
      where recognised_entry_id is null and not voided`.execute(db);
  },
};
