import type { ConnectorService } from '../connectors/connector.service.ts';
import type { CrmConnectors } from './outbound.service.ts';

/** The enabled CRM connectors as the outbound updates see them: their outbound mapping and their client. */
export function crmConnectorsOf(connectors: ConnectorService): CrmConnectors {
  return {
    async enabled() {
      const live = await connectors.live({ kind: 'crm', enabledOnly: true });
      return live.map((connector) => ({
        id: connector.id,
        name: connector.name,
        protocol: connector.protocol,
        outbound: connector.mapping.outbound,
      }));
    },
    client: (id) => connectors.client(id),
  };
}
