import { leasingEvents } from '@lessor/event-catalog';
import type { EventHandlers } from '@lessor/service-kit';
import type { IntegrationDatabase } from '../database.ts';
import type { OutboundService } from './outbound.service.ts';

/** The leasing events that update the lessee's record in each CRM. */
export const contractEvents = [
  leasingEvents.contractSigned,
  leasingEvents.contractActivated,
  leasingEvents.contractTerminated,
] as const;

/**
 * Leasing's contract signed, activated and terminated events update the lessee's record in each CRM. Each runs
 * in the consumer's transaction with the inbox row; a CRM down or refusing throws, so the event is retried with
 * the consumer's growing delays and then parked (the parked-events page).
 */
export function onContractEvents(
  outbound: OutboundService,
): EventHandlers<typeof contractEvents, IntegrationDatabase> {
  return {
    [leasingEvents.contractSigned.type]: (event, { trx, log, attempt }) =>
      outbound.contractChanged(trx, event, { log, attempt }),
    [leasingEvents.contractActivated.type]: (event, { trx, log, attempt }) =>
      outbound.contractChanged(trx, event, { log, attempt }),
    [leasingEvents.contractTerminated.type]: (event, { trx, log, attempt }) =>
      outbound.contractChanged(trx, event, { log, attempt }),
  };
}
