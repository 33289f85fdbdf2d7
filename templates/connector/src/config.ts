import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/**
 * What __name__ reads from the environment besides the settings of every service; its port is in its definition.
 * `__NAME___REMOTE_URL` is its egress: the one address outside Lessor it talks to (README: Egress).
 */
export const __nameCamel__ConfigSchema = serviceConfigSchema({
  __NAME___REMOTE_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'Base URL of the outside system (its `/records` pages). Unset, a sync run ends failed saying so: the ' +
        'service still starts, so the system runs without the outside system configured.',
    }),
  ),
  __NAME___REMOTE_DEADLINE_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'Budget of one page from the outside system, retries included (they are slower than ours).',
  }),
  __NAME___PAGE_SIZE: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 100,
    description:
      'Records asked for per page; each page is written with the cursor after it, in one transaction.',
  }),
});

export type __Name__Config = Static<typeof __nameCamel__ConfigSchema>;
