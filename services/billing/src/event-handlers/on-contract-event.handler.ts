import { leasingEvents } from '@lessor/event-catalog';
import type { EventHandlers } from '@lessor/service-kit';
import type { ContractEventsService } from '../contracts/contract-events.service.ts';
import type { BillingDatabase } from '../database.ts';

/** The leasing events billing consumes: they plan (and cancel) invoices. */
export const contractEvents = [
  leasingEvents.contractActivated,
  leasingEvents.contractRestructured,
  leasingEvents.contractTerminated,
  leasingEvents.contractClosed,
] as const;

/**
 * Leasing's contract activated, restructured, terminated and closed events plan (and cancel) invoices. Each runs
 * in the consumer's transaction with the inbox row, so each event has its effect once; an event about a
 * contract billing has not seen activated throws, and is retried and then parked.
 */
export function onContractEvents(
  contracts: ContractEventsService,
): EventHandlers<typeof contractEvents, BillingDatabase> {
  return {
    [leasingEvents.contractActivated.type]: (event, { trx, log }) => contracts.activated(trx, event, log),
    [leasingEvents.contractRestructured.type]: (event, { trx, log }) =>
      contracts.restructured(trx, event, log),
    [leasingEvents.contractTerminated.type]: (event, { trx, log }) => contracts.terminated(trx, event, log),
    [leasingEvents.contractClosed.type]: (event, { trx, log }) => contracts.closed(trx, event, log),
  };
}
