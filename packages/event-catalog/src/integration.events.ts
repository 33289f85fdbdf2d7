import { Type } from 'typebox';
import { defineEvent } from './define-event.ts';

// The events of integration, the connector to an outside system: one when a sync run has brought everything in.

/** Every event integration publishes, by name. */
export const integrationEvents = {
  syncCompleted: defineEvent({
    type: 'lessor.integration.sync.completed.v1',
    publisher: 'integration',
    category: 'business',
    subject: 'runId',
    description:
      'Fires when a sync run has brought in every page the outside system had, in the transaction that writes ' +
      'its last page. A run that fails publishes nothing: its pages written so far stay, and the next run goes on ' +
      'from its cursor.',
    data: Type.Object({
      runId: Type.String({ format: 'uuid', description: 'The run (GET /v1/sync shows the latest).' }),
      pages: Type.Integer({ minimum: 0, description: 'Pages read in this run.' }),
      records: Type.Integer({ minimum: 0, description: 'Records written in this run (new or changed).' }),
      cursor: Type.Union([Type.String(), Type.Null()], {
        description: 'The outside system’s cursor the next run starts after.',
      }),
    }),
  }),
};
