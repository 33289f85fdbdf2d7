import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * One live invoice per contract, kind and installment, as before, except that an installment invoice credited in
 * full no longer holds its installment: a restructuring dated in the past credits an installment billed at the
 * old amounts and invoices the new version's line in its place. `InvoiceRepository.plan` names the same predicate.
 */
export const replacedInstallmentsMigration: Migration = {
  name: '0003_replaced_installments',
  async up(db) {
    await sql`drop index invoices_live_key`.execute(db);
    await sql`create unique index invoices_live_key on invoices (contract_id, kind, coalesce(installment, 0))
      where status <> 'cancelled' and not (kind = 'installment' and total > 0 and credited = total)`.execute(
      db,
    );
  },
};
