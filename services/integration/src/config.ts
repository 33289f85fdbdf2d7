import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/**
 * What integration reads from the environment besides the settings of every service; its port is in its definition.
 * `INTEGRATION_REMOTE_URL` is its egress: the one address outside Lessor it talks to (README: Egress).
 */
export const integrationConfigSchema = serviceConfigSchema({
  INTEGRATION_REMOTE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'Base URL of the outside system (its `/records` pages). Unset, a sync run ends failed saying so: the ' +
        'service still starts, so the system runs without the outside system configured.',
    }),
  ),
  INTEGRATION_REMOTE_DEADLINE_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'Budget of one page from the outside system, retries included (they are slower than ours).',
  }),
  INTEGRATION_PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description:
      'Records asked for per page; each page is written with the cursor after it, in one transaction.',
  }),
});

export type IntegrationConfig = Static<typeof integrationConfigSchema>;
