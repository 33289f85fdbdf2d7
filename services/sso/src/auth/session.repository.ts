import { sql, type Kysely, type Selectable } from 'kysely';
import { newId } from '@lessor/service-kit';
import type { RefreshTokensTable, SsoDatabase } from '../database.ts';

export type RefreshTokenRow = Selectable<RefreshTokensTable>;

/**
 * Refresh tokens grouped in families: a login starts a family, each refresh adds the next token and
 * marks the previous one used. A used token presented again means it was copied, so the whole family
 * (the session) is revoked (OAuth 2.0 Security BCP, refresh token rotation).
 */
export class SessionRepository {
  constructor(private readonly db: Kysely<SsoDatabase>) {}

  async insert(token: {
    familyId: string;
    userId: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.db
      .insertInto('refreshTokens')
      .values({ id: newId(), ...token, usedAt: null, revokedAt: null, revokedReason: null })
      .execute();
  }

  async findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    return this.db
      .selectFrom('refreshTokens')
      .selectAll()
      .where('tokenHash', '=', tokenHash)
      .executeTakeFirst();
  }

  /** Marks a token used; false when another request used or revoked it first (a race is a reuse). */
  async markUsed(id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('refreshTokens')
      .set({ usedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .where('usedAt', 'is', null)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async revokeFamily(familyId: string, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('refreshTokens')
      .set({ revokedAt: sql<Date>`now()`, revokedReason: reason })
      .where('familyId', '=', familyId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Ends every session of a user (disabled, deleted, password reset). */
  async revokeAllOfUser(userId: string, reason: string): Promise<number> {
    const result = await this.db
      .updateTable('refreshTokens')
      .set({ revokedAt: sql<Date>`now()`, revokedReason: reason })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
