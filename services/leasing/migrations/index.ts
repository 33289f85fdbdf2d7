import type { Migration } from '@lessor/service-kit';
import { leasingMigration } from './0001_leasing.ts';
import { contractFourEyesMigration } from './0002_contract_four_eyes.ts';
import { referenceNamesMigration } from './0003_reference_names.ts';

/** Every migration of leasing, in order. Forward only: a released migration is never edited. */
export const leasingMigrations: readonly Migration[] = [
  leasingMigration,
  contractFourEyesMigration,
  referenceNamesMigration,
];
