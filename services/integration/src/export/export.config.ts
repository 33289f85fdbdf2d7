import { Type } from '@lessor/service-kit';

/** The export's settings, spread into integration's config schema (src/config.ts). */
export const exportConfigProperties = {
  INTEGRATION_EXPORT_JOB_ENABLED: Type.Boolean({
    default: true,
    description:
      'Send pending journal entries to the accounting connector on a timer. Off, nothing is sent (tests drive the ' +
      'rounds themselves); entries are still kept as finance posts them.',
  }),
  INTEGRATION_EXPORT_INTERVAL_MS: Type.Integer({
    minimum: 10,
    default: 5_000,
    description: 'Between two rounds of the export job.',
  }),
  INTEGRATION_EXPORT_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 500,
    default: 50,
    description: 'Entries taken per round, and sent in one `$batch` where the accounting system takes one.',
  }),
  INTEGRATION_EXPORT_LEASE_MS: Type.Integer({
    minimum: 1_000,
    default: 120_000,
    description:
      'How long a round may take with the entries it took before another process may look them up and send them; ' +
      'longer than a round can last (the OData deadline times the batch).',
  }),
  INTEGRATION_EXPORT_BACKOFF_MS: Type.Integer({
    minimum: 1,
    default: 2_000,
    description:
      'The first wait after a failed send; it doubles with each attempt (jittered) up to the maximum.',
  }),
  INTEGRATION_EXPORT_BACKOFF_MAX_MS: Type.Integer({
    minimum: 1,
    default: 600_000,
    description: 'The longest wait between two attempts of an entry.',
  }),
};
