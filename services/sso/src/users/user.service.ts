import type { Kysely } from 'kysely';
import { ssoEvents } from '@lessor/event-catalog';
import { kitErrors } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { ssoErrors } from '../sso.errors.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { SessionRepository } from '../auth/session.repository.ts';
import { RoleRepository } from '../roles/role.repository.ts';
import { ADMIN_ROLE, UserRepository, type RoleRefRow, type UserRow } from './user.repository.ts';
import type { CreateUser, UpdateUser, UserListQuery } from './user.schemas.ts';

export interface UserWithRoles extends UserRow {
  roles: RoleRefRow[];
}

/**
 * Users and their role grants. Every write that takes rights away (disable, delete, password reset)
 * also ends the user's sessions in the same transaction, and none may remove the last active admin.
 * Every write publishes its event from the same transaction (through the outbox).
 */
export class UserService {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly events: SsoEvents,
  ) {}

  async list(query: UserListQuery) {
    const users = new UserRepository(this.db);
    const page = await users.search(query);
    const roles = await users.rolesOf(page.items.map((user) => user.id));
    return {
      items: page.items.map((user) => ({ ...user, roles: roles.get(user.id) ?? [] })),
      nextCursor: page.nextCursor,
    };
  }

  async get(id: string, includeDeleted = false): Promise<UserWithRoles> {
    const users = new UserRepository(this.db);
    return this.#withRoles(users, await this.#find(users, id, includeDeleted));
  }

  async create(input: CreateUser, actor: string): Promise<UserWithRoles> {
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      if (await users.usernameTaken(input.username)) {
        throw ssoErrors.create.USERNAME_TAKEN(`Username ${input.username} is taken`);
      }
      const user = await users.insert(
        {
          username: input.username,
          fullName: input.fullName,
          email: input.email ?? null,
          active: input.active ?? true,
          passwordHash,
        },
        actor,
      );
      for (const roleId of input.roleIds ?? []) await this.#grant(trx, user.id, roleId, actor);
      const created = await this.#withRoles(users, user);
      await this.events.userChanged(trx, 'created', null, created, actor);
      return created;
    });
  }

  async update(id: string, version: number, changes: UpdateUser, actor: string): Promise<UserWithRoles> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const before = await this.#withRoles(users, await this.#find(users, id));
      if (changes.active === false) await this.#refuseIfLastAdmin(users, id);
      const after = await this.#withRoles(users, await users.update(id, version, changes, actor));
      if (changes.active === false) await new SessionRepository(trx).revokeAllOfUser(id, 'user disabled');
      await this.events.userChanged(trx, 'updated', before, after, actor);
      return after;
    });
  }

  async delete(id: string, version: number, actor: string): Promise<UserWithRoles> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const before = await this.#withRoles(users, await this.#find(users, id));
      await this.#refuseIfLastAdmin(users, id);
      const after = await this.#withRoles(users, await users.softDelete(id, version, actor));
      await new SessionRepository(trx).revokeAllOfUser(id, 'user deleted');
      await this.events.userChanged(trx, 'deleted', before, after, actor);
      return after;
    });
  }

  async restore(id: string, actor: string): Promise<UserWithRoles> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const before = await this.#withRoles(users, await this.#find(users, id, true));
      const after = await this.#withRoles(users, await users.restore(id, actor));
      await this.events.userChanged(trx, 'restored', before, after, actor);
      return after;
    });
  }

  /** An administrator sets a new password; the user's sessions end. */
  async setPassword(id: string, password: string, actor: string): Promise<void> {
    await this.#changePassword(id, password, actor, 'admin');
  }

  /** A user changes their own password, proving the current one; other sessions end. */
  async changeOwnPassword(id: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.#find(new UserRepository(this.db), id);
    if (!(await verifyPassword(user.passwordHash, currentPassword)))
      throw ssoErrors.create.WRONG_CURRENT_PASSWORD();
    await this.#changePassword(id, newPassword, id, 'self');
  }

  async grantRole(userId: string, roleId: string, actor: string): Promise<UserWithRoles> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const user = await this.#find(users, userId);
      await this.#grant(trx, userId, roleId, actor);
      return this.#withRoles(users, user);
    });
  }

  async revokeRole(userId: string, roleId: string, actor: string): Promise<UserWithRoles> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const user = await this.#find(users, userId);
      const grant = await users.findGrant(userId, roleId);
      if (!grant) throw kitErrors.create.NOT_FOUND(`User ${userId} does not have role ${roleId}`);
      const role = await new RoleRepository(trx).find(roleId, { includeDeleted: true });
      if (role?.builtIn && role.name === ADMIN_ROLE) await this.#refuseIfLastAdmin(users, userId);
      await users.revokeGrant(grant.id, grant.version, actor);
      await this.events.publish(trx, ssoEvents.roleRevoked, {
        data: { userId, roleId, roleName: role?.name ?? '' },
        actor,
      });
      return this.#withRoles(users, user);
    });
  }

  async #changePassword(id: string, password: string, actor: string, by: 'self' | 'admin'): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      const users = new UserRepository(trx);
      const user = await this.#find(users, id);
      await users.update(id, user.version, { passwordHash, passwordChangedAt: new Date() }, actor);
      await new SessionRepository(trx).revokeAllOfUser(
        id,
        by === 'self' ? 'password changed' : 'password reset',
      );
      await this.events.publish(trx, ssoEvents.passwordChanged, { data: { userId: id, by }, actor });
    });
  }

  async #grant(trx: Kysely<SsoDatabase>, userId: string, roleId: string, actor: string): Promise<void> {
    const role = await new RoleRepository(trx).find(roleId);
    if (!role) {
      throw kitErrors.create.NOT_FOUND(`No role ${roleId}`, {
        errors: [{ field: '/body/roleId', message: 'no such role' }],
      });
    }
    const users = new UserRepository(trx);
    if (await users.findGrant(userId, roleId)) return; // granting twice is a no-op, not an error
    await users.insertGrant(userId, roleId, actor);
    await this.events.publish(trx, ssoEvents.roleGranted, {
      data: { userId, roleId, roleName: role.name },
      actor,
    });
  }

  async #refuseIfLastAdmin(users: UserRepository, userId: string): Promise<void> {
    if ((await users.isAdmin(userId)) && (await users.countOtherActiveAdmins(userId)) === 0) {
      throw ssoErrors.create.LAST_ADMIN();
    }
  }

  async #find(users: UserRepository, id: string, includeDeleted = false): Promise<UserRow> {
    const user = await users.find(id, { includeDeleted });
    if (!user) throw kitErrors.create.NOT_FOUND(`No user ${id}`);
    return user;
  }

  async #withRoles(users: UserRepository, user: UserRow): Promise<UserWithRoles> {
    const roles = await users.rolesOf([user.id]);
    return { ...user, roles: roles.get(user.id) ?? [] };
  }
}
