import type { Migration } from '@lessor/service-kit';
import { billingMigration } from './0001_billing.ts';
import { creditNotesMigration } from './0002_credit_notes.ts';
import { replacedInstallmentsMigration } from './0003_replaced_installments.ts';

/** Every migration of billing, in order. Forward only: a released migration is never edited. */
export const billingMigrations: readonly Migration[] = [
  billingMigration,
  creditNotesMigration,
  replacedInstallmentsMigration,
];
