export type { ConnectionSettings, ConnectorRuntime, ConnectorServiceOptions } from './connector.service.ts';
export { ConnectorService, connectorSnapshot } from './connector.service.ts';
export {
  ConnectorMapping,
  MAPPING_PRESETS,
  readMapping,
  resolveMapping,
  type MappingPreset,
} from './mapping.ts';
export { registerConnectorRoutes, connectorView } from './connector.routes.ts';
