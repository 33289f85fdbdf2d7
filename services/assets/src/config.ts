import { serviceConfigSchema, type Static } from '@lessor/service-kit';

/** What assets reads from the environment: the settings of every service; its port is in its definition. */
export const assetsConfigSchema = serviceConfigSchema({});

export type AssetsConfig = Static<typeof assetsConfigSchema>;
