import type { Migration } from '@lessor/service-kit';
import { syncMigration } from './0001_sync.ts';

/** Every migration of integration, in order. Forward only: a released migration is never edited. */
export const integrationMigrations: readonly Migration[] = [syncMigration];
