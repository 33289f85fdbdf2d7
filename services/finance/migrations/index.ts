import type { Migration } from '@lessor/service-kit';
import { ledgerMigration } from './0001_ledger.ts';
import { leaseEndMigration } from './0002_lease_end.ts';
import { creditNotesMigration } from './0003_credit_notes.ts';

/** Every migration of finance, in order. Forward only: a released migration is never edited. */
export const financeMigrations: readonly Migration[] = [
  ledgerMigration,
  leaseEndMigration,
  creditNotesMigration,
];
