import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { ssoEvents, type EventDataOf } from '@lessor/event-catalog';
import { kitErrors, newId } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { SsoEvents } from '../sso.events.ts';
import { ssoErrors } from '../sso.errors.ts';
import { ClientRepository } from '../clients/client.repository.ts';
import { UserRepository, type UserRow } from '../users/user.repository.ts';
import { LoginThrottle, type ThrottleLimits, type ThrottleStatus } from './login-throttle.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import { randomSecret, secretHash, secretMatches } from './secrets.ts';
import { SessionRepository } from './session.repository.ts';

/** The actor of what an unauthenticated caller set off (a failed sign-in, a reused refresh token). */
const ANONYMOUS = 'anonymous';

/** Every signed-in user may read who they are; it needs no role. */
export const SELF_PERMISSION = 'sso:me:read';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface LoginSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  clientTokenTtlSeconds: number;
  limits: ThrottleLimits;
}

/**
 * Sign-in, refresh rotation, sign-out and client-credentials tokens. Each outcome that matters to security
 * (success, failure, lock-out, token reuse) is recorded and published in one transaction.
 */
export class LoginService {
  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly keys: SigningKeys,
    private readonly events: SsoEvents,
    private readonly settings: LoginSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Deletes sign-in attempts too old to count (the periodic job `buildSso` starts); returns how many. */
  pruneAttempts(): Promise<number> {
    return new LoginThrottle(this.db, this.settings.limits).prune();
  }

  async login(username: string, password: string, address: string): Promise<TokenPair> {
    const lock = await new LoginThrottle(this.db, this.settings.limits).check(username, address);
    if (lock) {
      // Logged, not published: the lock's event was published when it engaged, and a refused try per
      // event would let an attacker fill the audit store at request rate.
      this.log.warn(
        { event: 'login.rate-limited', username, address, scope: lock.scope },
        'login rate limited',
      );
      const wait = lock.retryAfterSeconds;
      throw ssoErrors.create.LOGIN_RATE_LIMITED(undefined, {
        headers: { 'retry-after': String(wait) },
        extensions: { retryAfterSeconds: wait },
      });
    }
    const user = await new UserRepository(this.db).findByUsername(username);
    // The decoy makes an unknown user cost the same argon2 work as a wrong password (no enumeration).
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    if (user === undefined || !passwordOk || !user.active) {
      await this.db.transaction().execute(async (trx) => {
        const locks = await new LoginThrottle(trx, this.settings.limits).record(username, address, false);
        await this.events.publish(trx, ssoEvents.loginFailed, {
          data: { username, address, reason: 'invalid-credentials' },
          actor: ANONYMOUS,
        });
        for (const lock of locks) await this.#locked(trx, { username, address, ...lock });
      });
      this.log.warn({ event: 'login.failed', username, address }, 'login failed');
      throw ssoErrors.create.INVALID_CREDENTIALS();
    }
    const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;
    // Tokens are signed before the transaction: signing may read the key table, and on the embedded
    // database a read outside a running transaction would wait for that transaction.
    const issued = await this.#issue(user);
    await this.db.transaction().execute(async (trx) => {
      const locks = await new LoginThrottle(trx, this.settings.limits).record(username, address, true);
      for (const lock of locks) await this.#locked(trx, { username, address, ...lock });
      if (rehashed)
        await new UserRepository(trx).update(user.id, user.version, { passwordHash: rehashed }, user.id);
      await this.events.publish(trx, ssoEvents.loginSucceeded, {
        data: { userId: user.id, username: user.username, address },
        actor: user.id,
      });
      await this.#saveSession(trx, user.id, newId(), issued.refreshToken);
    });
    this.log.info({ event: 'login.succeeded', userId: user.id, address }, 'login succeeded');
    return issued;
  }

  /** Whether, and from where, sign-ins at a user's account are held back. */
  async throttleOf(userId: string): Promise<ThrottleStatus> {
    const user = await this.#user(userId);
    return new LoginThrottle(this.db, this.settings.limits).status(user.username);
  }

  /**
   * An administrator lifts a user's lock: failures so far no longer count, from any address. Always recorded
   * and published (a lift is a security decision), even when nothing was held back.
   */
  async unlock(userId: string, actor: string): Promise<ThrottleStatus> {
    const user = await this.#user(userId);
    await this.db.transaction().execute(async (trx) => {
      const throttle = new LoginThrottle(trx, this.settings.limits);
      const before = await throttle.status(user.username);
      await throttle.lift(user.username, user.id, actor);
      const addresses = before.addresses.filter((entry) => entry.retryAfterSeconds > 0).length;
      await this.events.publish(trx, ssoEvents.loginUnlocked, {
        data: { userId: user.id, username: user.username, addresses },
        actor,
      });
    });
    this.log.info({ event: 'login.unlocked', userId: user.id, actor }, 'login throttling lifted');
    return new LoginThrottle(this.db, this.settings.limits).status(user.username);
  }

  async #user(userId: string): Promise<UserRow> {
    const user = await new UserRepository(this.db).find(userId);
    if (!user) throw kitErrors.create.NOT_FOUND(`No user ${userId}`);
    return user;
  }

  /** Trades a refresh token for a new pair. A token used twice revokes its whole session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const sessions = new SessionRepository(this.db);
    const row = await sessions.findByHash(secretHash(refreshToken));
    if (!row) throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    if (row.usedAt !== null || row.revokedAt !== null) {
      if (row.usedAt !== null && row.revokedAt === null) await this.#reuseDetected(row.familyId, row.userId);
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    if (row.expiresAt.getTime() <= Date.now()) throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    const user = await new UserRepository(this.db).find(row.userId);
    if (!user || !user.active) {
      await sessions.revokeFamily(row.familyId, 'user disabled');
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    const issued = await this.#issue(user);
    const rotated = await this.db.transaction().execute(async (trx) => {
      // False: another request used this token a moment ago — the same token presented twice.
      if (!(await new SessionRepository(trx).markUsed(row.id))) return false;
      await this.#saveSession(trx, user.id, row.familyId, issued.refreshToken);
      return true;
    });
    if (!rotated) {
      await this.#reuseDetected(row.familyId, row.userId);
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    return issued;
  }

  /** Ends the session the refresh token belongs to. Unknown tokens end nothing and say nothing. */
  async logout(refreshToken: string): Promise<void> {
    const sessions = new SessionRepository(this.db);
    const row = await sessions.findByHash(secretHash(refreshToken));
    if (row) await sessions.revokeFamily(row.familyId, 'logout');
  }

  /** OAuth 2.0 client credentials (RFC 6749 §4.4): a token carrying the requested subset of the client's scopes. */
  async clientToken(clientId: string, clientSecret: string, requestedScopes: string[] | undefined) {
    const client = await new ClientRepository(this.db).findByClientId(clientId);
    const secretOk = client ? secretMatches(clientSecret, client.secretHash) : false;
    if (!client || !secretOk || !client.active) {
      this.log.warn({ event: 'client.auth-failed', clientId }, 'client authentication failed');
      return { error: 'invalid_client' as const };
    }
    const scopes = requestedScopes ?? client.scopes;
    const unknown = scopes.filter((scope) => !client.scopes.includes(scope));
    if (unknown.length > 0) return { error: 'invalid_scope' as const, scopes: unknown };
    const ttl = this.settings.clientTokenTtlSeconds;
    const accessToken = await this.keys.sign(
      { sub: client.clientId, client_id: client.clientId, name: client.name, roles: [], permissions: scopes },
      ttl,
    );
    return { accessToken, expiresIn: ttl, scopes };
  }

  /** A signed access token with the user's current roles, and a new refresh token (not yet stored). */
  async #issue(user: UserRow): Promise<TokenPair> {
    const { roles, permissions } = await new UserRepository(this.db).grantsOf(user.id);
    const ttl = this.settings.accessTokenTtlSeconds;
    const accessToken = await this.keys.sign(
      {
        sub: user.id,
        name: user.fullName,
        preferred_username: user.username,
        roles,
        permissions: [...new Set([...permissions, SELF_PERMISSION])].sort(),
      },
      ttl,
    );
    return { accessToken, refreshToken: randomSecret(), expiresIn: ttl, tokenType: 'Bearer' };
  }

  async #saveSession(
    trx: Kysely<SsoDatabase>,
    userId: string,
    familyId: string,
    refreshToken: string,
  ): Promise<void> {
    await new SessionRepository(trx).insert({
      familyId,
      userId,
      tokenHash: secretHash(refreshToken),
      expiresAt: new Date(Date.now() + this.settings.refreshTokenTtlSeconds * 1000),
    });
  }

  #locked(trx: Kysely<SsoDatabase>, lock: EventDataOf<typeof ssoEvents.loginLocked>) {
    return this.events.publish(trx, ssoEvents.loginLocked, { data: lock, actor: ANONYMOUS });
  }

  async #reuseDetected(familyId: string, userId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const revokedTokens = await new SessionRepository(trx).revokeFamily(familyId, 'refresh token reuse');
      await this.events.publish(trx, ssoEvents.tokenReuseDetected, {
        data: { userId, familyId, revokedTokens },
        actor: ANONYMOUS,
      });
    });
    this.log.warn(
      { event: 'token.reuse-detected', userId, familyId },
      'refresh token reuse: session revoked',
    );
  }
}
