import type { Generated } from 'kysely';
import type { BusinessColumns } from '@lessor/service-kit';

export interface UsersTable extends BusinessColumns {
  username: string;
  fullName: string;
  email: string | null;
  active: Generated<boolean>;
  passwordHash: string;
  passwordChangedAt: Generated<Date>;
}

export interface RolesTable extends BusinessColumns {
  name: string;
  description: Generated<string>;
  permissions: string[];
  builtIn: Generated<boolean>;
}

export interface RoleGrantsTable extends BusinessColumns {
  userId: string;
  roleId: string;
}

export interface ServiceClientsTable extends BusinessColumns {
  clientId: string;
  name: string;
  secretHash: string;
  scopes: string[];
  active: Generated<boolean>;
}

export interface RefreshTokensTable {
  id: string;
  familyId: string;
  userId: string;
  tokenHash: string;
  issuedAt: Generated<Date>;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  publicJwk: unknown;
  privateJwk: unknown;
  createdAt: Generated<Date>;
  activatesAt: Date;
  retiredAt: Date | null;
}

export interface LoginAttemptsTable {
  id: string;
  username: string;
  address: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface LoginLockLiftsTable {
  id: string;
  username: string;
  userId: string;
  liftedBy: string;
  liftedAt: Generated<Date>;
}

export interface BootstrapStepsTable {
  name: string;
  doneAt: Generated<Date>;
}

/** The tables of sso's own schema, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface SsoDatabase {
  users: UsersTable;
  roles: RolesTable;
  roleGrants: RoleGrantsTable;
  serviceClients: ServiceClientsTable;
  refreshTokens: RefreshTokensTable;
  signingKeys: SigningKeysTable;
  loginAttempts: LoginAttemptsTable;
  loginLockLifts: LoginLockLiftsTable;
  bootstrapSteps: BootstrapStepsTable;
}
