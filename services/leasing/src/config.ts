import { loadConfig, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

export const leasingConfigSchema = serviceConfigSchema({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8104 }),
  PARTIES_URL: Type.String({ default: 'http://127.0.0.1:8103', description: 'Base URL of parties.' }),
  ASSETS_URL: Type.String({ default: 'http://127.0.0.1:8105', description: 'Base URL of assets.' }),
  SSO_TOKEN_URL: Type.Optional(
    Type.String({ description: 'sso’s OAuth token endpoint, for leasing’s own service-client token.' }),
  ),
  LESSOR_CLIENT_ID: Type.String({ default: 'leasing', description: 'leasing’s service-client id in sso.' }),
  LESSOR_CLIENT_SECRET: Type.Optional(
    Type.String({ minLength: 16, description: 'leasing’s service-client secret (never logged).' }),
  ),
  UPSTREAM_DEADLINE_MS: Type.Integer({
    minimum: 50,
    default: 300,
    description:
      'Deadline of one call to parties or assets (writes only: the fresh checks), retries included: the platform’s 300 ms budget.',
  }),
  LEASING_LEGAL_ENTITY: Type.String({
    default: 'LESSOR',
    pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
    description: 'The lessor company a new contract belongs to when the request names none.',
  }),
  LEASING_QUOTE_VALID_DAYS: Type.Integer({
    minimum: 1,
    default: 14,
    description: 'How long an early-termination quote can be executed.',
  }),
});

export type LeasingConfig = Static<typeof leasingConfigSchema>;

/** Reads leasing's configuration from the environment, once, at start. */
export function loadLeasingConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<LeasingConfig> {
  return loadConfig(leasingConfigSchema, env);
}
