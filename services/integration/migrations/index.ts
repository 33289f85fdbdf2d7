import type { Migration } from '@lessor/service-kit';
import { connectorsMigration } from './0001_connectors.ts';
import { inboundMigration } from './0002_inbound.ts';
import { outboundMigration } from './0003_outbound.ts';
import { exportMigration } from './0004_export.ts';

/** Every migration of integration, in order. Forward only: a released migration is never edited. */
export const integrationMigrations: readonly Migration[] = [
  connectorsMigration,
  inboundMigration,
  outboundMigration,
  exportMigration,
];
