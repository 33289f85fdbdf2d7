import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import { createTokenVerifier } from '@lessor/auth';
import { ssoMigrations } from '../migrations/index.ts';
import type { SsoConfig } from './config.ts';
import type { SsoDatabase } from './database.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { clientAddressResolver } from './auth/client-address.ts';
import { registerLoginThrottleRoutes } from './auth/login-throttle.routes.ts';
import { LoginService } from './auth/login.service.ts';
import { ensureFirstAdmin, type FirstAdminResult } from './bootstrap/first-admin.ts';
import { ensureServiceClients, parseServiceClients } from './bootstrap/service-clients.ts';
import { ensureStarterRoles } from './bootstrap/starter-roles.ts';
import { registerClientRoutes } from './clients/client.routes.ts';
import { ClientService } from './clients/client.service.ts';
import { SigningKeys } from './keys/signing-keys.ts';
import { registerRoleRoutes } from './roles/role.routes.ts';
import { RoleService } from './roles/role.service.ts';
import { SsoEvents } from './sso.events.ts';
import { registerUserRoutes } from './users/user.routes.ts';
import { UserService } from './users/user.service.ts';

export const SSO_VERSION = '0.1.0';
/** How often a replica checks whether the signing key is due for rotation. */
const KEY_CHECK_INTERVAL_MS = 3_600_000;
const ATTEMPTS_FIRST_PRUNE_MS = 60_000;
const ATTEMPTS_PRUNE_INTERVAL_MS = 3_600_000;

export interface SsoDeps {
  config: SsoConfig;
  database: Database<unknown>;
  /** The event transport (RabbitMQ or the in-process bus), chosen by the runner. */
  transport: Transport;
  logger?: Logger;
  /** Called once when the first start created user admin (the runner prints a generated password). */
  onFirstAdmin?: (result: FirstAdminResult) => void;
}

/** Builds sso: users, roles, service clients, sign-in, tokens and the JWKS. */
export async function buildApp(deps: SsoDeps): Promise<ServiceApp> {
  const { config } = deps;
  const db = deps.database.db as Kysely<SsoDatabase>;
  // Assigned below, once the app (and so the event outbox) exists; the verifier reads it only per request.
  const holder: { keys?: SigningKeys } = {};
  // sso verifies its own tokens against its own key table: no HTTP round trip to itself. The table is a
  // cheap read, so a short cooldown lets it see a rotation at once.
  const verifier = createTokenVerifier({
    keySet: () => holder.keys!.jwks(),
    issuer: config.SSO_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    jwksCooldownMs: 1000,
  });

  const app = await createServiceApp({
    name: 'sso',
    title: 'Lessor sso',
    description: 'Users, roles, service clients; sign-in, access and refresh tokens; the JWKS.',
    version: SSO_VERSION,
    config,
    database: deps.database,
    migrations: ssoMigrations,
    verifier,
    events: { transport: deps.transport },
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const events = new SsoEvents(app.events!);

  const keys = new SigningKeys(
    db,
    {
      issuer: config.SSO_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      rotationDays: config.SSO_KEY_ROTATION_DAYS,
      longestTokenTtlSeconds: Math.max(
        config.SSO_ACCESS_TOKEN_TTL_SECONDS,
        config.SSO_CLIENT_TOKEN_TTL_SECONDS,
      ),
      publishAheadSeconds: config.SSO_KEY_PUBLISH_AHEAD_SECONDS,
    },
    events,
  );
  holder.keys = keys;
  await keys.ensureFresh();
  const firstAdmin = await ensureFirstAdmin(db, events, {
    password: config.LESSOR_ADMIN_PASSWORD,
    dataDir: config.DATABASE_URL ? undefined : config.LESSOR_DATA_DIR,
  });
  if (firstAdmin.created) deps.onFirstAdmin?.(firstAdmin);
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
  return app;
}
