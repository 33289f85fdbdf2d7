import type { FastifyBaseLogger } from 'fastify';
import { ssoErrors } from '../sso.errors.ts';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { UserRepository, UserRow } from '../users/user.repository.ts';
import type { ClientRepository } from '../clients/client.repository.ts';
import type { LoginThrottle } from './login-throttle.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './password.ts';
import { randomSecret, secretHash, secretMatches } from './secrets.ts';
import type { SessionRepository } from './session.repository.ts';
import { newId } from '@lessor/service-kit';

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
}

/** Sign-in, refresh rotation, sign-out and client-credentials tokens. */
export class LoginService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clients: ClientRepository,
    private readonly throttle: LoginThrottle,
    private readonly keys: SigningKeys,
    private readonly settings: LoginSettings,
    private readonly log: FastifyBaseLogger,
  ) {}

  async login(username: string, password: string, address: string): Promise<TokenPair> {
    const wait = await this.throttle.retryAfterSeconds(username, address);
    if (wait > 0) {
      this.log.warn({ event: 'login.rate-limited', username, address }, 'login rate limited');
      throw ssoErrors.create.LOGIN_RATE_LIMITED(undefined, {
        headers: { 'retry-after': String(wait) },
        extensions: { retryAfterSeconds: wait },
      });
    }
    const user = await this.users.findByUsername(username);
    // The decoy makes an unknown user cost the same argon2 work as a wrong password (no enumeration).
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
    const succeeded = user !== undefined && passwordOk && user.active;
    await this.throttle.record(username, address, succeeded);
    if (!succeeded) {
      this.log.warn({ event: 'login.failed', username, address }, 'login failed');
      throw ssoErrors.create.INVALID_CREDENTIALS();
    }
    if (needsRehash(user.passwordHash)) {
      await this.users.update(user.id, user.version, { passwordHash: await hashPassword(password) }, user.id);
    }
    this.log.info({ event: 'login.succeeded', userId: user.id, address }, 'login succeeded');
    return this.#startSession(user, newId());
  }

  /** Trades a refresh token for a new pair. A token used twice revokes its whole session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = await this.sessions.findByHash(secretHash(refreshToken));
    if (!row) throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    if (row.usedAt !== null || row.revokedAt !== null) {
      if (row.usedAt !== null && row.revokedAt === null) await this.#reuseDetected(row.familyId, row.userId);
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    if (row.expiresAt.getTime() <= Date.now()) throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    if (!(await this.sessions.markUsed(row.id))) {
      // Another request used this token a moment ago: the same token presented twice.
      await this.#reuseDetected(row.familyId, row.userId);
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    const user = await this.users.find(row.userId);
    if (!user || !user.active) {
      await this.sessions.revokeFamily(row.familyId, 'user disabled');
      throw ssoErrors.create.INVALID_REFRESH_TOKEN();
    }
    return this.#startSession(user, row.familyId);
  }

  /** Ends the session the refresh token belongs to. Unknown tokens end nothing and say nothing. */
  async logout(refreshToken: string): Promise<void> {
    const row = await this.sessions.findByHash(secretHash(refreshToken));
    if (row) await this.sessions.revokeFamily(row.familyId, 'logout');
  }

  /** OAuth 2.0 client credentials (RFC 6749 §4.4): a token carrying the requested subset of the client's scopes. */
  async clientToken(clientId: string, clientSecret: string, requestedScopes: string[] | undefined) {
    const client = await this.clients.findByClientId(clientId);
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

  async #startSession(user: UserRow, familyId: string): Promise<TokenPair> {
    const { roles, permissions } = await this.users.grantsOf(user.id);
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
    const refreshToken = randomSecret();
    await this.sessions.insert({
      familyId,
      userId: user.id,
      tokenHash: secretHash(refreshToken),
      expiresAt: new Date(Date.now() + this.settings.refreshTokenTtlSeconds * 1000),
    });
    return { accessToken, refreshToken, expiresIn: ttl, tokenType: 'Bearer' };
  }

  async #reuseDetected(familyId: string, userId: string): Promise<void> {
    const revoked = await this.sessions.revokeFamily(familyId, 'refresh token reuse');
    this.log.warn(
      { event: 'token.reuse-detected', userId, familyId, revoked },
      'refresh token reuse: session revoked',
    );
  }
}
