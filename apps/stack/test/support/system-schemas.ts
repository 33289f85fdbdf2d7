import type { Migration } from '@lessor/service-kit';
import { serviceMigrations, type SchemaMigrations } from '@lessor/service-kit/testing';
import { assetsMigrations } from '../../../../services/assets/migrations/index.ts';
import { auditMigrations } from '../../../../services/audit/migrations/index.ts';
import { billingMigrations } from '../../../../services/billing/migrations/index.ts';
import { financeMigrations } from '../../../../services/finance/migrations/index.ts';
import { leasingMigrations } from '../../../../services/leasing/migrations/index.ts';
import { partiesMigrations } from '../../../../services/parties/migrations/index.ts';
import { ssoMigrations } from '../../../../services/sso/migrations/index.ts';
import { SYSTEM } from '../../src/system.ts';

const OWN_MIGRATIONS: Record<string, readonly Migration[]> = {
  sso: ssoMigrations,
  audit: auditMigrations,
  parties: partiesMigrations,
  assets: assetsMigrations,
  leasing: leasingMigrations,
  billing: billingMigrations,
  finance: financeMigrations,
  gateway: [],
};

/**
 * Each service's schema as its start migrates it, for `createTestDatabase(…, { alsoMigrated })`: a booted
 * system's database is then a clone of one migrated template, and the eight starts find nothing to apply. A
 * service missing here still works: its start migrates its schema, as before.
 */
export function systemSchemas(): SchemaMigrations[] {
  return SYSTEM.filter((service) => OWN_MIGRATIONS[service.name]).map((service) => ({
    schema: service.name,
    migrations: serviceMigrations(OWN_MIGRATIONS[service.name]!),
  }));
}
