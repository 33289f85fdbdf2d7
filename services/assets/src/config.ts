import { loadConfig, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

export const assetsConfigSchema = serviceConfigSchema({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8105 }),
});

export type AssetsConfig = Static<typeof assetsConfigSchema>;

/** Reads the configuration of assets from the environment, once, at start. */
export function loadAssetsConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<AssetsConfig> {
  return loadConfig(assetsConfigSchema, env);
}
