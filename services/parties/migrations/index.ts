import type { Migration } from '@lessor/service-kit';
import { partiesMigration } from './0001_parties.ts';
import { externalRefsMigration } from './0002_external_refs.ts';

/** Every migration of parties, in order. Forward only: a released migration is never edited. */
export const partiesMigrations: readonly Migration[] = [partiesMigration, externalRefsMigration];
