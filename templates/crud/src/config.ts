import { serviceConfigSchema, type Static } from '@lessor/service-kit';

/** What __name__ reads from the environment besides the settings of every service; its port is in its definition. */
export const __nameCamel__ConfigSchema = serviceConfigSchema({});

export type __Name__Config = Static<typeof __nameCamel__ConfigSchema>;
