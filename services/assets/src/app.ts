import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import { typesConsumedBy } from '@lessor/event-catalog';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import { assetsMigrations } from '../migrations/index.ts';
import { AssetService } from './assets/asset.service.ts';
import { registerAssetRoutes } from './assets/asset.routes.ts';
import { AssetsEvents } from './assets.events.ts';
import type { AssetsConfig } from './config.ts';
import type { AssetsDatabase } from './database.ts';
import { onContractTransition } from './event-handlers/on-contract-transition.handler.ts';
import { InsurancePolicyService } from './insurance/insurance-policy.service.ts';
import { registerInsurancePolicyRoutes } from './insurance/insurance-policy.routes.ts';
import { SupplierService } from './suppliers/supplier.service.ts';
import { registerSupplierRoutes } from './suppliers/supplier.routes.ts';

export const ASSETS_VERSION = '0.1.0';

export interface AssetsDeps {
  config: AssetsConfig;
  database: Database<unknown>;
  /** The event transport (RabbitMQ or the in-process bus), chosen by the runner. */
  transport: Transport;
  logger?: Logger;
  /** Delays before each retry of a contract event that failed, then it is parked (the kit's default if unset). */
  eventRetryDelaysMs?: number[];
  /** The clock that decides "today" for insurance cover and the latest model year (tests fix it). */
  clock?: () => Date;
}

/**
 * Builds assets: the register of vehicles and equipment, their suppliers and insurance policies, and each
 * asset's status — changed by hand through a guard table, or by leasing's contract events.
 */
export async function buildApp(deps: AssetsDeps): Promise<ServiceApp> {
  const db = deps.database.db as Kysely<AssetsDatabase>;
  // The consumer is declared with the app, the service that handles its events needs the app's outbox: the
  // handler finds the service here, filled in below, before the consumer starts (onReady).
  const holder: { assets?: AssetService } = {};
  const app = await createServiceApp({
    name: 'assets',
    title: 'Lessor assets',
    description: 'The asset register: vehicles and equipment, suppliers, insurance policies, status.',
    version: ASSETS_VERSION,
    config: deps.config,
    database: deps.database,
    migrations: assetsMigrations,
    ...(deps.logger ? { logger: deps.logger } : {}),
    events: {
      transport: deps.transport,
      ...(deps.eventRetryDelaysMs ? { retryDelaysMs: deps.eventRetryDelaysMs } : {}),
      subscriptions: [
        { types: typesConsumedBy('assets'), handler: onContractTransition(() => holder.assets!) },
      ],
    },
  });
  const events = new AssetsEvents(app.events!);
  const assets = new AssetService(db, events, deps.clock);
  holder.assets = assets;

  registerAssetRoutes(app, assets);
  registerSupplierRoutes(app, new SupplierService(db, events));
  registerInsurancePolicyRoutes(app, new InsurancePolicyService(db, events, deps.clock));
  return app;
}
