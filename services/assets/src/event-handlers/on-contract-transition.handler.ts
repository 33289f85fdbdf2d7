import { leasingEvents } from '@lessor/event-catalog';
import type { EventHandlers } from '@lessor/service-kit';
import { CONTRACT_REACTIONS } from '../assets/asset-status.ts';
import type { AssetService } from '../assets/asset.service.ts';
import type { AssetsDatabase } from '../database.ts';

/** The contract events assets consumes (its definition's `consumes`): each moves the contract's asset. */
export const CONTRACT_TRANSITIONS = [
  leasingEvents.contractSigned,
  leasingEvents.contractActivated,
  leasingEvents.contractClosed,
  leasingEvents.contractTerminated,
] as const;

/**
 * Leasing's contract signed, activated, closed and terminated events move the contract's asset, one handler
 * per type. Each runs in the consumer's transaction with the inbox row, so each event has its effect once; a
 * conflict throws, and the event is retried and then parked (see the README).
 */
export function onContractTransition(
  assets: AssetService,
): EventHandlers<typeof CONTRACT_TRANSITIONS, AssetsDatabase> {
  return {
    [leasingEvents.contractSigned.type]: (event, { trx, log }) =>
      assets.applyContractEvent(trx, event, CONTRACT_REACTIONS.signed, log),
    [leasingEvents.contractActivated.type]: (event, { trx, log }) =>
      assets.applyContractEvent(trx, event, CONTRACT_REACTIONS.activated, log),
    [leasingEvents.contractClosed.type]: (event, { trx, log }) =>
      assets.applyContractEvent(
        trx,
        event,
        // The lessee who bought the asset for the residual value owns it: sold, not back with the lessor.
        event.data.buyout ? CONTRACT_REACTIONS.closedWithBuyout : CONTRACT_REACTIONS.closed,
        log,
      ),
    [leasingEvents.contractTerminated.type]: (event, { trx, log }) =>
      assets.applyContractEvent(trx, event, CONTRACT_REACTIONS.terminated, log),
  };
}
