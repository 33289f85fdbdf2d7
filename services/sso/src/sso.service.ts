import { createTokenVerifier } from '@lessor/auth';
import { ssoEvents } from '@lessor/event-catalog';
import { defineService, optionsOf, tablesOf } from '@lessor/service-kit';
import { ssoMigrations } from '../migrations/index.ts';
import type { FirstAdminResult } from './bootstrap/first-admin.ts';
import { longestTokenTtlSeconds, ssoConfigSchema } from './config.ts';
import type { SsoDatabase } from './database.ts';

/** What a runner passes sso beyond the environment. */
export interface SsoOptions {
  /** Called once when the first start created user admin (the runner prints a generated password). */
  onFirstAdmin: (result: FirstAdminResult) => void;
}

/**
 * sso: users, roles, service clients, sign-in and tokens (ADR 24: one definition, read by `main.ts`, the system
 * list, the scripts and the tests). Its code is loaded when it is built, so a process runs only its own.
 */
export const ssoService = defineService({
  name: 'sso',
  port: 8101,
  title: 'Lessor sso',
  description: 'Users, roles, service clients; sign-in, access and refresh tokens; the JWKS.',
  version: '0.1.0',
  config: ssoConfigSchema,
  tables: tablesOf<SsoDatabase>(),
  migrations: ssoMigrations,
  publishes: Object.values(ssoEvents),
  // sso verifies its own tokens against its own key table: no HTTP round trip to itself. The table is a cheap
  // read, so a short cooldown lets it see a rotation at once.
  verifier: ({ db, config }) =>
    createTokenVerifier({
      keySet: async () =>
        (await import('./keys/signing-keys.ts')).publishedKeySet(db, longestTokenTtlSeconds(config)),
      issuer: config.SSO_ISSUER,
      audience: config.TOKEN_AUDIENCE,
      jwksCooldownMs: 1000,
    }),
  options: optionsOf<SsoOptions>(),
  build: async (context) => (await import('./app.ts')).buildSso(context),
});
