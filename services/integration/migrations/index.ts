import type { Migration } from '@lessor/service-kit';
import { connectorsMigration } from './0001_connectors.ts';

/** Every migration of integration, in order. Forward only: a released migration is never edited. */
export const integrationMigrations: readonly Migration[] = [connectorsMigration];
