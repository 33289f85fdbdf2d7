import type { Kysely } from 'kysely';
import type { EventHandlers, ServiceApp } from '@lessor/service-kit';
import type { ConnectorService } from '../connectors/connector.service.ts';
import type { IntegrationDatabase } from '../database.ts';
import { crmConnectorsOf } from './crm-connectors.ts';
import { onContractEvents, type contractEvents } from './on-contract-event.handler.ts';
import { OutboundRepository } from './outbound.repository.ts';
import { registerOutboundRoutes } from './outbound.routes.ts';
import { createOutboundMetrics, OutboundService } from './outbound.service.ts';

export { contractEvents } from './on-contract-event.handler.ts';

/**
 * Outbound (contract events → CRM): the outbound log's routes, and the handlers of leasing's contract events
 * that update the lessee's record in each enabled CRM connector (README: Outbound: contracts → CRM).
 */
export function registerOutbound(
  app: ServiceApp,
  connectors: ConnectorService,
  { db }: { db: Kysely<IntegrationDatabase> },
): EventHandlers<typeof contractEvents, IntegrationDatabase> {
  const outbound = new OutboundService(
    db,
    new OutboundRepository(db),
    crmConnectorsOf(connectors),
    createOutboundMetrics(app.metrics),
  );
  registerOutboundRoutes(app, outbound);
  return onContractEvents(outbound);
}
