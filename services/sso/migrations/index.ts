import type { Migration } from '@lessor/service-kit';
import { identityMigration } from './0001_identity.ts';
import { sessionsMigration } from './0002_sessions_and_keys.ts';
import { loginThrottleMigration } from './0003_login_throttle.ts';
import { bootstrapStepsMigration } from './0004_bootstrap_steps.ts';

/** Every migration of sso, in order. Forward only: a released migration is never edited. */
export const ssoMigrations: readonly Migration[] = [
  identityMigration,
  sessionsMigration,
  loginThrottleMigration,
  bootstrapStepsMigration,
];
