import { auditView, IdParams, registerBusinessRoutes, Type, type ServiceApp } from '@lessor/service-kit';
import type { ConnectorRow } from './connector.repository.ts';
import {
  AuthInput,
  ConnectionTest,
  Connector,
  ConnectorList,
  ConnectorListQuery,
  CreateConnector,
  UpdateConnector,
} from './connector.schemas.ts';
import type { ConnectorService } from './connector.service.ts';

const PERMISSIONS = { read: 'integration:connectors:read', write: 'integration:connectors:write' };

/** A connector as the API shows it: its auth without the secret, `credentialsSet` instead. */
export function connectorView(connector: ConnectorRow): Connector {
  const {
    credentialsKeyId,
    credentialsSealed,
    lastRunId,
    lastRunStatus,
    lastRunFinishedAt,
    nextRunAt,
    ...rest
  } = connector;
  return {
    ...auditView(rest),
    credentialsSet: credentialsSealed !== null && credentialsKeyId !== null,
    nextRunAt: nextRunAt ? nextRunAt.toISOString() : null,
    lastRun:
      lastRunId && lastRunStatus
        ? { id: lastRunId, status: lastRunStatus, finishedAt: lastRunFinishedAt?.toISOString() ?? null }
        : null,
  };
}

const TestChanges = Type.Object(
  {
    protocol: Type.Optional(CreateConnector.properties.protocol),
    baseUrl: Type.Optional(CreateConnector.properties.baseUrl),
    auth: Type.Optional(AuthInput),
  },
  { additionalProperties: false },
);
const TestSettings = Type.Object(
  {
    protocol: CreateConnector.properties.protocol,
    baseUrl: CreateConnector.properties.baseUrl,
    auth: AuthInput,
  },
  { additionalProperties: false },
);

/** The API of connectors: the six routes of a business object, and the connection tests. */
export function registerConnectorRoutes(app: ServiceApp, connectors: ConnectorService): void {
  registerBusinessRoutes(app, {
    path: '/v1/connectors',
    noun: 'connector',
    tag: 'connectors',
    permissions: PERMISSIONS,
    schemas: {
      item: Connector,
      list: ConnectorList,
      listQuery: ConnectorListQuery,
      create: CreateConnector,
      update: UpdateConnector,
    },
    useCases: connectors,
    view: connectorView,
    descriptions: {
      create:
        'The password (basic) or client secret (oauth2) is stored encrypted and never returned: the connector ' +
        'shows `credentialsSet`. A mapping preset (`dynamics`, `sap-business-partner`, `accounting`) fills the ' +
        'mapping; parts given replace the preset’s.',
    },
  });

  app.post(
    '/v1/connectors/:id/test',
    {
      config: { permission: PERMISSIONS.write },
      // No body at all is the common case: the saved settings.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['connectors'],
        summary: 'Test the connection of a connector (its $metadata, signed in)',
        description:
          'With a body, tries those settings instead of the saved ones (the stored secret when none is given); ' +
          'saves nothing. `ok: false` with the status and reason when the outside system refuses or is unreachable.',
        params: IdParams,
        body: TestChanges,
        response: { 200: ConnectionTest },
      },
    },
    async (request) => connectors.test(request.params.id, request.body),
  );

  app.post(
    '/v1/connector-tests',
    {
      config: { permission: PERMISSIONS.write },
      schema: {
        tags: ['connectors'],
        summary: 'Test connection settings before a connector is created',
        body: TestSettings,
        response: { 200: ConnectionTest },
      },
    },
    async (request) => connectors.testSettings(request.body),
  );
}
