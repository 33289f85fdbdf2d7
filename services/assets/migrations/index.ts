import type { Migration } from '@lessor/service-kit';
import { assetRegisterMigration } from './0001_asset_register.ts';

/** Every migration of assets, in order. Forward only: a released migration is never edited. */
export const assetsMigrations: readonly Migration[] = [assetRegisterMigration];
