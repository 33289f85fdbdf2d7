import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What __name__ reads from the environment besides the settings of every service; its port is in its definition. */
export const __nameCamel__ConfigSchema = serviceConfigSchema({
  __NAME___DIGEST_INTERVAL_MS: Type.Integer({
    minimum: 10,
    default: 3_600_000,
    description:
      'How often the digest job gathers the parties learned since the last digest. A digest of nothing is not ' +
      'written, so a short interval costs one query.',
  }),
});

export type __Name__Config = Static<typeof __nameCamel__ConfigSchema>;
