import { loadConfig, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

export const ssoConfigSchema = serviceConfigSchema({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8101 }),
  SSO_ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
    minimum: 30,
    maximum: 900,
    default: 900,
    description: 'Access tokens live at most 15 minutes: services cannot revoke them, so they must expire.',
  }),
  SSO_REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 60, default: 12 * 3600 }),
  SSO_CLIENT_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 900, default: 600 }),
  SSO_KEY_ROTATION_DAYS: Type.Integer({ minimum: 1, default: 30 }),
  SSO_KEY_PUBLISH_AHEAD_SECONDS: Type.Integer({
    minimum: 0,
    default: 120,
    description:
      'A new signing key is in the JWKS this long before it signs (verifiers refetch at most every 30 s).',
  }),
  SSO_LOGIN_FAILURES_PER_ACCOUNT: Type.Integer({ minimum: 1, default: 5 }),
  SSO_LOGIN_ACCOUNT_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 900 }),
  SSO_LOGIN_ATTEMPTS_PER_ADDRESS: Type.Integer({ minimum: 1, default: 30 }),
  SSO_LOGIN_ADDRESS_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  LESSOR_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  SSO_SERVICE_CLIENTS: Type.Optional(
    Type.String({
      description:
        'Service clients the deployment declares, as JSON `[{"clientId","secret","scopes":[…]}]`; made to exist with exactly these secrets and scopes at start.',
    }),
  ),
});

export type SsoConfig = Static<typeof ssoConfigSchema>;

/** Reads sso's configuration from the environment, once, at start. */
export function loadSsoConfig(env: Record<string, string | undefined> = process.env): Readonly<SsoConfig> {
  return loadConfig(ssoConfigSchema, env);
}
