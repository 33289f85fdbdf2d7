import type { Kysely } from 'kysely';
import type { EventHandler } from '@lessor/events';
import type { AssetService } from '../assets/asset.service.ts';
import type { AssetsDatabase } from '../database.ts';

/**
 * Leasing's contract signed, activated, closed and terminated events move the contract's asset. Runs in the
 * consumer's transaction with the inbox row, so each event has its effect once; a conflict throws, and the
 * event is retried and then parked (see the README).
 */
export function onContractTransition(assets: () => AssetService): EventHandler<AssetsDatabase> {
  return (event, { trx, log }) => assets().applyContractEvent(trx as Kysely<AssetsDatabase>, event, log);
}
