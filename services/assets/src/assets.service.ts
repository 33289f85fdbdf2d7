import { assetsEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { assetsMigrations } from '../migrations/index.ts';
import { assetsConfigSchema } from './config.ts';
import type { AssetsDatabase } from './database.ts';
import { CONTRACT_TRANSITIONS } from './event-handlers/on-contract-transition.handler.ts';

/** What a runner or a test may pass to assets beyond the environment. */
export interface AssetsOptions {
  /** The clock that decides "today" for insurance cover and the latest model year (tests fix it). */
  clock: () => Date;
}

/**
 * assets: the register of vehicles and equipment, their suppliers and insurance policies, and each asset's
 * status — changed by hand through a guard table, or by leasing's contract events (ADR 24: one definition,
 * read by `main.ts`, the system list, the scripts and the tests). Its code is loaded when it is built.
 */
export const assetsService = defineService({
  name: 'assets',
  port: 8105,
  title: 'Lessor assets',
  description: 'The asset register: vehicles and equipment, suppliers, insurance policies, status.',
  version: '0.1.0',
  config: assetsConfigSchema,
  tables: tablesOf<AssetsDatabase>(),
  migrations: assetsMigrations,
  publishes: Object.values(assetsEvents),
  consumes: {
    purpose:
      'Moves the leased asset through its statuses as its contract goes: reserved on signing, leased on ' +
      'activation, returned on termination or a close without buyout, sold on a close with buyout.',
    events: CONTRACT_TRANSITIONS,
  },
  options: optionsOf<AssetsOptions>(),
  build: async (context) => (await import('./app.ts')).buildAssets(context),
});
