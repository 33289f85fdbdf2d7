import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What sso reads from the environment besides the settings of every service; its port is in its definition. */
export const ssoConfigSchema = serviceConfigSchema({
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
  SSO_LOGIN_FREE_FAILURES: Type.Integer({
    minimum: 1,
    default: 3,
    description: 'Failures of one account from one address before that address has to wait (ADR 14).',
  }),
  SSO_LOGIN_BACKOFF_BASE_SECONDS: Type.Integer({
    minimum: 1,
    default: 2,
    description: 'The first wait after the free failures; it doubles with each further failure.',
  }),
  SSO_LOGIN_BACKOFF_MAX_SECONDS: Type.Integer({
    minimum: 1,
    default: 900,
    description: 'The longest wait of one address at one account.',
  }),
  SSO_LOGIN_FAILURES_PER_ACCOUNT: Type.Integer({
    minimum: 1,
    default: 100,
    description:
      'The ceiling (OWASP ASVS: at most 100 failures an hour): once an account has this many failures in the ' +
      'window, every address that has failed at it waits; addresses that have not failed may still sign in.',
  }),
  SSO_LOGIN_ACCOUNT_WINDOW_SECONDS: Type.Integer({
    minimum: 1,
    default: 3600,
    description: 'How long a failure counts, for the ceiling and for an address’s run of failures.',
  }),
  SSO_LOGIN_ATTEMPTS_PER_ADDRESS: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'Sign-ins from one address to any account within the address window (spraying).',
  }),
  SSO_LOGIN_ADDRESS_WINDOW_SECONDS: Type.Integer({ minimum: 1, default: 60 }),
  SSO_TRUSTED_PROXIES: Type.String({
    default: 'loopback',
    description:
      'Comma-separated addresses or CIDR ranges (or `loopback`) of the proxies whose X-Forwarded-For sso believes ' +
      'when it counts sign-ins by address: the gateway’s. Empty: none. A direct client cannot choose its address.',
  }),
  LESSOR_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  SSO_SERVICE_CLIENTS: Type.Optional(
    Type.String({
      description:
        'Service clients the deployment declares, as JSON `[{"clientId","secret","scopes":[…]}]`; made to exist with exactly these secrets and scopes at start.',
    }),
  ),
});

export type SsoConfig = Static<typeof ssoConfigSchema>;

/** The longest a token sso signs lives: a retired signing key stays published that long. */
export function longestTokenTtlSeconds(config: SsoConfig): number {
  return Math.max(config.SSO_ACCESS_TOKEN_TTL_SECONDS, config.SSO_CLIENT_TOKEN_TTL_SECONDS);
}
