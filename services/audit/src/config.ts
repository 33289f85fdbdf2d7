import { loadConfig, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

export const auditConfigSchema = serviceConfigSchema({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8102 }),
});

export type AuditConfig = Static<typeof auditConfigSchema>;

/** Reads audit's configuration from the environment, once, at start. */
export function loadAuditConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<AuditConfig> {
  return loadConfig(auditConfigSchema, env);
}
