import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import { createTokenVerifier } from '@lessor/auth';
import { ssoMigrations } from '../migrations/index.ts';
import type { SsoConfig } from './config.ts';
import type { SsoDatabase } from './database.ts';
import { registerAuthRoutes } from './auth/auth.routes.ts';
import { LoginService } from './auth/login.service.ts';
import { LoginThrottle } from './auth/login-throttle.ts';
import { SessionRepository } from './auth/session.repository.ts';
import { ensureFirstAdmin, type FirstAdminResult } from './bootstrap/first-admin.ts';
import { ClientRepository } from './clients/client.repository.ts';
import { registerClientRoutes } from './clients/client.routes.ts';
import { ClientService } from './clients/client.service.ts';
import { SigningKeys } from './keys/signing-keys.ts';
import { RoleRepository } from './roles/role.repository.ts';
import { registerRoleRoutes } from './roles/role.routes.ts';
import { RoleService } from './roles/role.service.ts';
import { UserRepository } from './users/user.repository.ts';
import { registerUserRoutes } from './users/user.routes.ts';
import { UserService } from './users/user.service.ts';

export const SSO_VERSION = '0.1.0';
/** How often a replica checks whether the signing key is due for rotation. */
const KEY_CHECK_INTERVAL_MS = 3_600_000;

export interface SsoDeps {
  config: SsoConfig;
  database: Database<unknown>;
  logger?: Logger;
  /** Called once when the first start created user admin (the runner prints a generated password). */
  onFirstAdmin?: (result: FirstAdminResult) => void;
}

/** Builds sso: users, roles, service clients, sign-in, tokens and the JWKS. */
export async function buildApp(deps: SsoDeps): Promise<ServiceApp> {
  const { config } = deps;
  const db = deps.database.db as Kysely<SsoDatabase>;
  const keys = new SigningKeys(db, {
    issuer: config.SSO_ISSUER,
    audience: config.TOKEN_AUDIENCE,
    rotationDays: config.SSO_KEY_ROTATION_DAYS,
    longestTokenTtlSeconds: Math.max(
      config.SSO_ACCESS_TOKEN_TTL_SECONDS,
      config.SSO_CLIENT_TOKEN_TTL_SECONDS,
    ),
    publishAheadSeconds: config.SSO_KEY_PUBLISH_AHEAD_SECONDS,
  });
  // sso verifies its own tokens against its own key table: no HTTP round trip to itself.
  // Its own key table is a cheap read, so a short cooldown lets it see a rotation at once.
  const verifier = createTokenVerifier({
    keySet: () => keys.jwks(),
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
    ...(deps.logger ? { logger: deps.logger } : {}),
  });

  await keys.ensureFresh();
  const firstAdmin = await ensureFirstAdmin(db, {
    password: config.LESSOR_ADMIN_PASSWORD,
    dataDir: config.DATABASE_URL ? undefined : config.LESSOR_DATA_DIR,
  });
  if (firstAdmin.created) deps.onFirstAdmin?.(firstAdmin);

  const keyTimer = setInterval(() => {
    keys
      .ensureFresh()
      .catch((error: unknown) => app.log.error({ err: error }, 'signing key rotation check failed'));
  }, KEY_CHECK_INTERVAL_MS);
  keyTimer.unref();
  app.addHook('onClose', async () => clearInterval(keyTimer));

  const users = new UserService(db);
  const login = new LoginService(
    new UserRepository(db),
    new SessionRepository(db),
    new ClientRepository(db),
    new LoginThrottle(db, {
      failuresPerAccount: config.SSO_LOGIN_FAILURES_PER_ACCOUNT,
      accountWindowSeconds: config.SSO_LOGIN_ACCOUNT_WINDOW_SECONDS,
      attemptsPerAddress: config.SSO_LOGIN_ATTEMPTS_PER_ADDRESS,
      addressWindowSeconds: config.SSO_LOGIN_ADDRESS_WINDOW_SECONDS,
    }),
    keys,
    {
      accessTokenTtlSeconds: config.SSO_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.SSO_REFRESH_TOKEN_TTL_SECONDS,
      clientTokenTtlSeconds: config.SSO_CLIENT_TOKEN_TTL_SECONDS,
    },
    app.log,
  );

  await registerAuthRoutes(app, { login, users, keys });
  registerUserRoutes(app, users);
  registerRoleRoutes(app, new RoleService(new RoleRepository(db)));
  registerClientRoutes(app, new ClientService(new ClientRepository(db)));
  return app;
}
