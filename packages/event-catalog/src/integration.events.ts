import { Type } from 'typebox';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import { oneOfLiterals } from './literals.ts';

// The events of integration, the one service that talks to systems outside Lessor (CRMs, accounting): its
// connectors change (audit keeps who pointed Lessor at which outside system), and its sync runs complete.

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Count = (description: string) => Type.Integer({ minimum: 0, description });

/** What another service may know of a connector: never its credentials (they stay sealed in integration). */
export const ConnectorSnapshot = Type.Object({
  id: Id('The connector id.'),
  name: Type.String({ description: 'Unique among live connectors.' }),
  kind: oneOfLiterals(['crm', 'accounting']),
  protocol: oneOfLiterals(['odata-v4', 'odata-v2']),
  baseUrl: Type.String({ description: 'The outside OData service root.' }),
  authKind: oneOfLiterals(['none', 'basic', 'oauth2'], {
    description: 'How it signs in; a change of password or client secret alone changes no field here.',
  }),
  schedule: Type.Union([Type.String(), Type.Null()], { description: 'Cron expression (UTC), or on demand.' }),
  enabled: Type.Boolean(),
});

const connectorChanges = defineChangeEvents({
  publisher: 'integration',
  entity: 'connector',
  snapshot: ConnectorSnapshot,
  description:
    'A connector is an outside system integration talks to over OData (a CRM, an accounting system): where it ' +
    'is, how it signs in (its secret is never in an event), its field mapping and its schedule.',
});

/** Every event integration publishes, by name. */
export const integrationEvents = {
  connectorCreated: connectorChanges.created,
  connectorUpdated: connectorChanges.updated,
  connectorDeleted: connectorChanges.deleted,
  connectorRestored: connectorChanges.restored,

  runCompleted: defineEvent({
    type: 'lessor.integration.run.completed.v1',
    publisher: 'integration',
    category: 'business',
    subject: 'runId',
    description:
      'Fires when a sync run of a connector has read every page the outside system had, in the transaction ' +
      'that marks it completed and moves the connector’s watermark. A run that fails publishes nothing: the ' +
      'next run starts again from the watermark of the last completed one.',
    data: Type.Object({
      runId: Id('The run (GET /v1/runs/{id}; its report at /v1/runs/{id}/records).'),
      connectorId: Id('The connector.'),
      mode: oneOfLiterals(['incremental', 'full']),
      trigger: oneOfLiterals(['manual', 'schedule']),
      read: Count('Records read.'),
      created: Count('Records that made a new party.'),
      updated: Count('Records that changed a party.'),
      unchanged: Count('Records with nothing new.'),
      conflicts: Count('Records whose difference was recorded as a conflict, not applied.'),
      duplicates: Count('Records matched to an existing party (by tax id) instead of making another.'),
      errors: Count('Records that could not be taken (the report says why).'),
      watermark: Type.Union([Type.String(), Type.Null()], {
        description: 'The outside modified time the next incremental run starts after.',
      }),
    }),
  }),
};
