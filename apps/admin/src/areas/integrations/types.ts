import type { paths } from '../../api/schema/integration.ts';

/** integration's answers and bodies, as generated from its openapi.json (never written by hand). */
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Sent<Operation> = Operation extends { requestBody?: infer Body } ? Json<NonNullable<Body>> : never;

export type Connector = Json<paths['/v1/connectors/{id}']['get']['responses'][200]>;
export type ConnectorPage = Json<paths['/v1/connectors']['get']['responses'][200]>;
export type ConnectorListItem = ConnectorPage['items'][number];
export type NewConnector = Sent<paths['/v1/connectors']['post']>;
export type ConnectorChange = Sent<paths['/v1/connectors/{id}']['patch']>;
export type ConnectorKind = Connector['kind'];
export type ConnectorProtocol = Connector['protocol'];
export type ConnectorAuth = Connector['auth'];
export type AuthKind = ConnectorAuth['kind'];
export type MappingPreset = Connector['mapping']['preset'];
export type AuthInput = NewConnector['auth'];
export type ConnectionSettings = Sent<paths['/v1/connector-tests']['post']>;
export type ConnectionTest = Json<paths['/v1/connectors/{id}/test']['post']['responses'][200]>;

export type RunPage = Json<paths['/v1/runs']['get']['responses'][200]>;
export type Run = Json<paths['/v1/runs/{id}']['get']['responses'][200]>;
export type RunStatus = Run['status'];
export type RunMode = Run['mode'];
export type RunRecordPage = Json<paths['/v1/runs/{id}/records']['get']['responses'][200]>;
export type RunRecord = RunRecordPage['items'][number];
export type RunOutcome = RunRecord['outcome'];

export type ConflictPage = Json<paths['/v1/conflicts']['get']['responses'][200]>;
export type Conflict = ConflictPage['items'][number];
export type Resolution = Sent<paths['/v1/conflicts/{id}/resolve']['post']>['resolution'];

export type OutboundPage = Json<paths['/v1/outbound']['get']['responses'][200]>;
export type OutboundEntry = OutboundPage['items'][number];
export type OutboundStatus = OutboundEntry['status'];

export type ExportPage = Json<paths['/v1/exports']['get']['responses'][200]>;
export type ExportEntry = ExportPage['items'][number];
export type ExportStatus = ExportEntry['status'];
export type Reconciliation = Json<paths['/v1/exports/reconciliation']['get']['responses'][200]>;
export type ReconciliationPeriod = Reconciliation['periods'][number];

export const CONNECTOR_KINDS: readonly ConnectorKind[] = ['crm', 'accounting'];
export const PROTOCOLS: readonly ConnectorProtocol[] = ['odata-v4', 'odata-v2'];
export const AUTH_KINDS: readonly AuthKind[] = ['none', 'basic', 'oauth2'];
/** The mapping presets offered for each kind of connector. */
export const PRESETS: Record<ConnectorKind, readonly MappingPreset[]> = {
  crm: ['dynamics', 'sap-business-partner'],
  accounting: ['accounting'],
};
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed'];
export const RUN_OUTCOMES: readonly RunOutcome[] = [
  'created',
  'updated',
  'unchanged',
  'conflict',
  'duplicate',
  'error',
];
export const OUTBOUND_STATUSES: readonly OutboundStatus[] = [
  'updated',
  'unchanged',
  'skipped',
  'superseded',
  'refused',
  'failed',
];
export const EXPORT_STATUSES: readonly ExportStatus[] = ['pending', 'sent', 'acknowledged', 'refused'];

/** Whether a run is still under way (its page is polled until it is not). */
export function runUnderWay(run: Pick<Run, 'status'>): boolean {
  return run.status === 'queued' || run.status === 'running';
}

/**
 * How far a run is, in whole percent (as integration counts it), or null while its total is unknown (the
 * outside system gave no count). A completed run is at 100.
 */
export function runPercent(run: Pick<Run, 'status' | 'percent'>): number | null {
  return run.status === 'completed' ? 100 : run.percent;
}
