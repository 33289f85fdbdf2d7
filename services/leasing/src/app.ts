import { assetsEvents, partiesEvents } from '@lessor/event-catalog';
import type { ServiceContext } from '@lessor/service-kit';
import { registerCalculationRoutes } from './calculations/calculation.routes.ts';
import { CalculationService } from './calculations/calculation.service.ts';
import type { LeasingConfig } from './config.ts';
import { registerContractRoutes } from './contracts/contract.routes.ts';
import { ContractService } from './contracts/contract.service.ts';
import type { LeasingDatabase } from './database.ts';
import { onAssetUpdated, onPartyUpdated } from './event-handlers/on-reference-updated.handler.ts';
import type { LeasingOptions } from './leasing.service.ts';
import { registerProductRoutes } from './products/product.routes.ts';
import { ProductService } from './products/product.service.ts';
import { References } from './references/references.ts';

/** What leasing is built from: everything constructed by the kit (`leasingService` in leasing.service.ts). */
export type LeasingContext = ServiceContext<
  LeasingConfig,
  LeasingDatabase,
  'parties' | 'assets',
  LeasingOptions
>;

/**
 * Builds leasing: products, calculations and contracts. Reads answer from leasing's own copy of party and
 * asset names (kept by their events); only writes that need a fresh check call parties or assets (the kit's
 * clients: deadlines, breaker, leasing's own token). It publishes every change and status transition.
 */
export async function buildLeasing({ app, db, events, clients, config, options }: LeasingContext) {
  const references = new References(clients.parties, clients.assets);
  registerProductRoutes(app, new ProductService(db, events));
  registerCalculationRoutes(app, new CalculationService(db, events));
  registerContractRoutes(
    app,
    new ContractService(db, events, references, {
      legalEntity: config.LEASING_LEGAL_ENTITY,
      quoteValidDays: config.LEASING_QUOTE_VALID_DAYS,
      ...(options.today ? { today: options.today } : {}),
    }),
  );
  return {
    handlers: {
      [partiesEvents.partyUpdated.type]: onPartyUpdated,
      [assetsEvents.assetUpdated.type]: onAssetUpdated,
    },
  };
}
