import type { Kysely } from 'kysely';
import type { EventHandler } from '@lessor/events';
import type { ContractEventsService } from '../contracts/contract-events.service.ts';
import type { BillingDatabase } from '../database.ts';

/**
 * Leasing's contract activated, restructured, terminated and closed events plan (and cancel) invoices. Runs
 * in the consumer's transaction with the inbox row, so each event has its effect once; an event about a
 * contract billing has not seen activated throws, and is retried and then parked. The service is given late
 * (a getter): it publishes through the app's outbox, which exists once the app is built.
 */
export function onContractEvent(contracts: () => ContractEventsService): EventHandler<BillingDatabase> {
  return (event, { trx, log }) => contracts().apply(trx as Kysely<BillingDatabase>, event, log);
}
