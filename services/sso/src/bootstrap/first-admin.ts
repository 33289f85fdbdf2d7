import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ssoEvents } from '@lessor/event-catalog';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { hashPassword } from '../auth/password.ts';
import { randomSecret } from '../auth/secrets.ts';
import { RoleRepository } from '../roles/role.repository.ts';
import { ADMIN_ROLE, UserRepository } from '../users/user.repository.ts';

export const ADMIN_USERNAME = 'admin';
export const ADMIN_PASSWORD_FILE = 'admin-password.txt';
const SYSTEM_ACTOR = 'system';

export interface FirstAdminOptions {
  /** LESSOR_ADMIN_PASSWORD, when set. */
  password: string | undefined;
  /** Embedded mode's data directory: where a generated password is kept. Undefined in distributed mode. */
  dataDir: string | undefined;
}

/** What the first start did; the runner prints a generated password once and never again. */
export interface FirstAdminResult {
  created: boolean;
  generatedPassword?: string;
  passwordFile?: string;
}

/**
 * Makes sure the built-in admin role (`*:*:*`) and the first administrator, user `admin`, exist. The
 * password comes from LESSOR_ADMIN_PASSWORD; in embedded mode without it, a random one is generated,
 * stored in the data directory (mode 0600) and handed back to be printed once. Distributed mode has no
 * place to keep one, so there the variable is required on the first start.
 */
export async function ensureFirstAdmin(
  db: Kysely<SsoDatabase>,
  events: SsoEvents,
  options: FirstAdminOptions,
): Promise<FirstAdminResult> {
  return db.transaction().execute(async (trx) => {
    const roles = new RoleRepository(trx);
    const users = new UserRepository(trx);
    let adminRole = await roles.findByName(ADMIN_ROLE);
    if (!adminRole) {
      adminRole = await roles.insert(
        {
          name: ADMIN_ROLE,
          description: 'Everything, everywhere. Built in; cannot be changed or deleted.',
          permissions: ['*:*:*'],
          builtIn: true,
        },
        SYSTEM_ACTOR,
      );
      await events.roleChanged(trx, 'created', null, adminRole, SYSTEM_ACTOR);
    }
    if (await users.usernameTaken(ADMIN_USERNAME)) return { created: false };

    let password = options.password;
    let generatedPassword: string | undefined;
    let passwordFile: string | undefined;
    if (password === undefined) {
      if (options.dataDir === undefined) {
        throw new Error(
          'LESSOR_ADMIN_PASSWORD must be set for the first start of sso on PostgreSQL (it creates user admin)',
        );
      }
      password = generatedPassword = randomSecret().slice(0, 24);
      await mkdir(options.dataDir, { recursive: true });
      passwordFile = join(options.dataDir, ADMIN_PASSWORD_FILE);
      await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    const admin = await users.insert(
      {
        username: ADMIN_USERNAME,
        fullName: 'Administrator',
        email: null,
        active: true,
        passwordHash: await hashPassword(password),
      },
      SYSTEM_ACTOR,
    );
    await users.insertGrant(admin.id, adminRole.id, SYSTEM_ACTOR);
    const roleRef = { id: adminRole.id, name: adminRole.name };
    await events.userChanged(trx, 'created', null, { ...admin, roles: [roleRef] }, SYSTEM_ACTOR);
    await events.publish(trx, ssoEvents.roleGranted, {
      data: { userId: admin.id, roleId: adminRole.id, roleName: adminRole.name },
      actor: SYSTEM_ACTOR,
    });
    return { created: true, ...(generatedPassword ? { generatedPassword, passwordFile } : {}) };
  });
}
