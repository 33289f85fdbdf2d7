import { callerConfigProperties, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';
import { exportConfigProperties } from './export/export.config.ts';

/**
 * What integration reads from the environment besides the settings of every service; its port is in its definition.
 * The outside systems' addresses are not here: each connector holds its own (README: Connectors and runs).
 */
export const integrationConfigSchema = serviceConfigSchema({
  // The inbound sync changes parties through their API, as integration's own service client.
  ...callerConfigProperties('integration', { parties: 8103 }),
  // The export of journal entries to accounting: its sender job (README: Export).
  ...exportConfigProperties,
  INTEGRATION_OUTBOUND_DEADLINE_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description:
      'The deadline of one call to an outside system, its retries included (outside systems are slower than ours; ' +
      'the 300 ms budget of Lessor’s own calls does not apply).',
  }),
  INTEGRATION_PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 5000,
    default: 1000,
    description:
      'Records asked for per page of a sync run (the outside system may send fewer); each page is saved with the ' +
      'cursor after it, in one transaction.',
  }),
  INTEGRATION_SCHEDULER_TICK_MS: Type.Integer({
    minimum: 50,
    default: 5_000,
    description: 'How often each replica looks for due schedules and for queued or abandoned runs.',
  }),
  INTEGRATION_RUN_STALE_MS: Type.Integer({
    minimum: 300,
    default: 60_000,
    description:
      'A running run whose heartbeat (every third of this) is older than this is taken over by another replica ' +
      '(its own died), which resumes it from its cursor.',
  }),
  INTEGRATION_RUN_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 20,
    default: 2,
    description: 'Runs one replica executes at once (each of another connector).',
  }),
  INTEGRATION_CREDENTIALS_KEYS: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Connector credentials keys for rotation: `id:base64,…` (32-byte keys). The first seals, the others only ' +
        'open what they sealed. Wins over INTEGRATION_CREDENTIALS_KEY and _KEY_FILE.',
    }),
  ),
  INTEGRATION_CREDENTIALS_KEY: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'One connector credentials key, base64 of 32 bytes (its id: its fingerprint).',
    }),
  ),
  INTEGRATION_CREDENTIALS_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'A file holding the credentials keys as INTEGRATION_CREDENTIALS_KEYS does, one per line (a mounted secret). ' +
        'None of the three set: `npm start` generates a key once into <LESSOR_DATA_DIR>/integration-credentials.key; ' +
        'on PostgreSQL (DATABASE_URL) credentials are refused until a key is set.',
    }),
  ),
});

export type IntegrationConfig = Static<typeof integrationConfigSchema>;
