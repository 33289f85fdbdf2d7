import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * Four eyes over every hand that touched a contract (issue 12): the approver has neither made the contract nor
 * changed it in any way since, in the database too, so a bug in the service or a write in raw SQL cannot
 * approve what its approver wrote. And the names of who made and who approved it, as the token gave them.
 *
 * - `editors`: every actor who changed the contract while it was a draft (a PATCH, even one that leaves the
 *   terms as they were; a delete or restore). Kept by the trigger below from `updated_by`, never by the writer:
 *   whatever an UPDATE sets it to is replaced, so it only grows and a raw-SQL change records its actor too.
 * - `contracts_four_eyes` (CHECK): the approver is neither the author nor an editor.
 * - `contracts_approval` (CHECK): approval columns are set exactly when the contract was approved (any status
 *   after `draft` but `rejected`): a draft carries no approval that a later change could leave standing.
 * - the trigger (SQLSTATE `LS003`) refuses what a CHECK cannot see, comparing the row before and after:
 *   leaving draft other than by approve or reject, a decision that changes terms in the same statement, a
 *   rejection by the author or an editor, an approval whose `approved_by` is not the writer (`updated_by`),
 *   changing the terms of an approved or signed contract (an approval covers what was approved), rewriting
 *   `created_by`; and on `contract_schedules`, changing a schedule row of a contract that is no longer a draft.
 *
 * "Terms" are every column but the transition's own (status, reason, approval, stamps) and the party's and
 * asset's names, which are a cache kept current by rename events. A column added later counts as a term by
 * default: the comparison is over the whole row as jsonb, minus those names.
 */
export const contractFourEyesMigration: Migration = {
  name: '0002_contract_four_eyes',
  async up(db) {
    await sql`alter table contracts
      add column editors text[] not null default '{}',
      add column created_by_name text,
      add column approved_by_name text`.execute(db);
    // Drafts made before this release: their last editor is the one we know of (`updated_by`).
    await sql`update contracts set editors = array[updated_by]
      where status = 'draft' and updated_by <> created_by`.execute(db);

    await sql`alter table contracts drop constraint contracts_four_eyes`.execute(db);
    await sql`alter table contracts add constraint contracts_four_eyes
      check (approved_by is null or (approved_by <> created_by and approved_by <> all (editors)))`.execute(
      db,
    );
    await sql`alter table contracts add constraint contracts_approval
      check ((approved_by is null) = (status in ('draft', 'rejected'))
        and (approved_at is null) = (approved_by is null))`.execute(db);

    await sql`
      create function leasing_contract_guard() returns trigger language plpgsql as $$
      declare
        -- Not terms: the cached names (rename events), and what every change stamps.
        names constant text[] := array['party_name', 'asset_name', 'editors'];
        decision constant text[] := array['status', 'status_reason', 'status_changed_at', 'approved_by',
          'approved_at', 'approved_by_name', 'updated_at', 'updated_by', 'version'];
        touched boolean := (to_jsonb(new) - names) is distinct from (to_jsonb(old) - names);
        terms_changed boolean :=
          (to_jsonb(new) - names - decision) is distinct from (to_jsonb(old) - names - decision);
      begin
        new.editors := old.editors;
        if new.created_by is distinct from old.created_by then
          raise exception 'the author of contract % never changes', old.id using errcode = 'LS003';
        end if;
        if old.status = 'draft' and new.status = 'draft' then
          if touched and not (new.updated_by = any (old.editors)) then
            new.editors := old.editors || new.updated_by;
          end if;
        elsif old.status = 'draft' then
          if new.status not in ('approved', 'rejected') then
            raise exception 'a draft contract % becomes approved or rejected, not %', old.id, new.status
              using errcode = 'LS003';
          end if;
          if terms_changed then
            raise exception 'approving or rejecting contract % cannot change its terms', old.id
              using errcode = 'LS003';
          end if;
          if new.status = 'approved' and new.approved_by is distinct from new.updated_by then
            raise exception 'contract % is approved by whoever writes the approval', old.id
              using errcode = 'LS003';
          end if;
          if new.status = 'rejected' and (new.updated_by = old.created_by or new.updated_by = any (old.editors)) then
            raise exception 'four eyes: % made or changed contract % and cannot reject it', new.updated_by, old.id
              using errcode = 'LS003';
          end if;
        elsif old.status in ('approved', 'signed') and terms_changed then
          raise exception 'contract % is %: its approved terms do not change', old.id, old.status
            using errcode = 'LS003';
        end if;
        return new;
      end
      $$`.execute(db);
    await sql`create trigger leasing_contract_guard before update on contracts
      for each row execute function leasing_contract_guard()`.execute(db);

    await sql`
      create function leasing_contract_schedule_guard() returns trigger language plpgsql
      set search_path from current as $$
      begin
        if exists (select 1 from contracts where id = old.contract_id and status <> 'draft') then
          raise exception 'the schedule of contract % changes only while it is a draft', old.contract_id
            using errcode = 'LS003';
        end if;
        return new;
      end
      $$`.execute(db);
    await sql`create trigger leasing_contract_schedule_guard before update on contract_schedules
      for each row execute function leasing_contract_schedule_guard()`.execute(db);
  },
};
