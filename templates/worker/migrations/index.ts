import type { Migration } from '@lessor/service-kit';
import { digestsMigration } from './0001_digests.ts';

/** Every migration of __name__, in order. Forward only: a released migration is never edited. */
export const __nameCamel__Migrations: readonly Migration[] = [digestsMigration];
