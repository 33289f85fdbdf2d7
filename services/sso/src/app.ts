import type { ServiceContext } from '@lessor/service-kit';
import { longestTokenTtlSeconds, type SsoConfig } from './config.ts';
import type { SsoDatabase } from './database.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { clientAddressResolver } from './auth/client-address.ts';
import { registerLoginThrottleRoutes } from './auth/login-throttle.routes.ts';
import { LoginService } from './auth/login.service.ts';
import { ensureFirstAdmin } from './bootstrap/first-admin.ts';
import { ensureServiceClients, parseServiceClients } from './bootstrap/service-clients.ts';
import { ensureStarterRoles } from './bootstrap/starter-roles.ts';
import { registerClientRoutes } from './clients/client.routes.ts';
import { ClientService } from './clients/client.service.ts';
import { SigningKeys } from './keys/signing-keys.ts';
import { registerRoleRoutes } from './roles/role.routes.ts';
import { RoleService } from './roles/role.service.ts';
import { SsoEvents } from './sso.events.ts';
import type { SsoOptions } from './sso.service.ts';
import { registerUserRoutes } from './users/user.routes.ts';
import { UserService } from './users/user.service.ts';

/** How often a replica checks whether the signing key is due for rotation. */
const KEY_CHECK_INTERVAL_MS = 3_600_000;
const ATTEMPTS_FIRST_PRUNE_MS = 60_000;
const ATTEMPTS_PRUNE_INTERVAL_MS = 3_600_000;

/** What sso is built from: everything constructed by the kit (`ssoService` in sso.service.ts). */
export type SsoContext = ServiceContext<SsoConfig, SsoDatabase, never, SsoOptions>;

/** Builds sso: users, roles, service clients, sign-in, tokens and the JWKS. */
export async function buildSso(context: SsoContext): Promise<void> {
  const { app, db, config, options } = context;
  const events = new SsoEvents(context.events);

  const keys = new SigningKeys(
    db,
    {
      issuer: config.SSO_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      rotationDays: config.SSO_KEY_ROTATION_DAYS,
      longestTokenTtlSeconds: longestTokenTtlSeconds(config),
      publishAheadSeconds: config.SSO_KEY_PUBLISH_AHEAD_SECONDS,
    },
    events,
  );
  await keys.ensureFresh();
  const firstAdmin = await ensureFirstAdmin(db, events, {
    password: config.LESSOR_ADMIN_PASSWORD,
    dataDir: config.DATABASE_URL ? undefined : config.LESSOR_DATA_DIR,
  });
  if (firstAdmin.created) options.onFirstAdmin?.(firstAdmin);
  await ensureStarterRoles(db, events);
  await ensureServiceClients(db, events, parseServiceClients(config.SSO_SERVICE_CLIENTS));

  const rotationCheck = setInterval(() => {
    keys
      .ensureFresh()
      .catch((error: unknown) => app.log.error({ err: error }, 'signing key rotation check failed'));
  }, KEY_CHECK_INTERVAL_MS);
  rotationCheck.unref();
  app.addHook('onClose', async () => clearInterval(rotationCheck));

  const users = new UserService(db, events);
  const login = new LoginService(
    db,
    keys,
    events,
    {
      accessTokenTtlSeconds: config.SSO_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.SSO_REFRESH_TOKEN_TTL_SECONDS,
      clientTokenTtlSeconds: config.SSO_CLIENT_TOKEN_TTL_SECONDS,
      limits: {
        freeFailures: config.SSO_LOGIN_FREE_FAILURES,
        backoffBaseSeconds: config.SSO_LOGIN_BACKOFF_BASE_SECONDS,
        backoffMaxSeconds: config.SSO_LOGIN_BACKOFF_MAX_SECONDS,
        failuresPerAccount: config.SSO_LOGIN_FAILURES_PER_ACCOUNT,
        accountWindowSeconds: config.SSO_LOGIN_ACCOUNT_WINDOW_SECONDS,
        attemptsPerAddress: config.SSO_LOGIN_ATTEMPTS_PER_ADDRESS,
        addressWindowSeconds: config.SSO_LOGIN_ADDRESS_WINDOW_SECONDS,
      },
    },
    app.log,
  );

  // Attempts older than the throttle's windows count for nothing: pruned soon after start, then hourly.
  const pruneAttempts = () =>
    login
      .pruneAttempts()
      .then((deleted) => {
        if (deleted > 0) app.log.info({ deleted }, 'old sign-in attempts pruned');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'pruning old sign-in attempts failed'));
  const firstPrune = setTimeout(pruneAttempts, ATTEMPTS_FIRST_PRUNE_MS);
  const pruneJob = setInterval(pruneAttempts, ATTEMPTS_PRUNE_INTERVAL_MS);
  firstPrune.unref();
  pruneJob.unref();
  app.addHook('onClose', async () => {
    clearTimeout(firstPrune);
    clearInterval(pruneJob);
  });

  const clientAddress = clientAddressResolver(config.SSO_TRUSTED_PROXIES);
  await registerAuthRoutes(app, { login, users, keys, clientAddress });
  registerUserRoutes(app, users);
  registerLoginThrottleRoutes(app, login);
  registerRoleRoutes(app, new RoleService(db, events));
  registerClientRoutes(app, new ClientService(db, events));
}
