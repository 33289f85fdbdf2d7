import type { ServiceContext } from '@lessor/service-kit';
import { AssetService } from './assets/asset.service.ts';
import { registerAssetRoutes } from './assets/asset.routes.ts';
import { AssetsEvents } from './assets.events.ts';
import type { AssetsOptions } from './assets.service.ts';
import type { AssetsConfig } from './config.ts';
import type { AssetsDatabase } from './database.ts';
import { onContractTransition } from './event-handlers/on-contract-transition.handler.ts';
import { InsurancePolicyService } from './insurance/insurance-policy.service.ts';
import { registerInsurancePolicyRoutes } from './insurance/insurance-policy.routes.ts';
import { SupplierService } from './suppliers/supplier.service.ts';
import { registerSupplierRoutes } from './suppliers/supplier.routes.ts';

/** What assets is built from: everything constructed by the kit (`assetsService` in assets.service.ts). */
export type AssetsContext = ServiceContext<AssetsConfig, AssetsDatabase, never, AssetsOptions>;

/**
 * Builds assets: the register of vehicles and equipment, their suppliers and insurance policies, and each
 * asset's status — changed by hand through a guard table, or by leasing's contract events (its handlers).
 */
export async function buildAssets({ app, db, events, options }: AssetsContext) {
  const publishing = new AssetsEvents(events);
  const assets = new AssetService(db, publishing, options.clock);
  registerAssetRoutes(app, assets);
  registerSupplierRoutes(app, new SupplierService(db, publishing));
  registerInsurancePolicyRoutes(app, new InsurancePolicyService(db, publishing, options.clock));
  return { handlers: onContractTransition(assets) };
}
