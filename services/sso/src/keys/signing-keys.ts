import {
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type CryptoKey,
} from 'jose';
import { sql, type Kysely } from 'kysely';
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from '@lessor/auth';
import { ssoEvents } from '@lessor/event-catalog';
import { newId } from '@lessor/service-kit';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';

export const SIGNING_ALG = 'EdDSA';

export interface SigningKeysOptions {
  issuer: string;
  audience: string;
  rotationDays: number;
  /** The longest lifetime of a token signed by a key: a retired key stays published that long. */
  longestTokenTtlSeconds: number;
  /**
   * How long a new key is published before it signs. Verifiers refetch the JWKS on an unknown kid at most
   * once per cooldown (30 s in @lessor/auth), so a key must be visible longer than that before use.
   */
  publishAheadSeconds: number;
}

interface ActiveKey {
  kid: string;
  key: CryptoKey;
  loadedAt: number;
  /** When a newer key is due to take over: the cache must not outlive it. */
  validUntil: number;
}

/** How long a replica trusts its cached active key before reading the table again. */
const ACTIVE_KEY_CACHE_MS = 30_000;
/** Clock skew allowed between replicas and services: a retired key stays published this much longer. */
const PUBLISH_MARGIN_SECONDS = 60;
const LOCK = sql`select pg_advisory_xact_lock(hashtext('lessor.sso.signing-key'))`;

/**
 * The Ed25519 keys sso signs tokens with. A new key is published ahead of use, then signs; the key it
 * replaces stays published until every token it signed has expired. So rotation never rejects a valid
 * token anywhere. Private keys live only in sso's own schema and never leave it.
 */
export class SigningKeys {
  #active: ActiveKey | undefined;

  constructor(
    private readonly db: Kysely<SsoDatabase>,
    private readonly options: SigningKeysOptions,
    private readonly events: SsoEvents,
  ) {}

  /**
   * Makes sure a key signs now (the first start creates one, active at once) and that a successor is
   * published ahead of time when the current key reaches the rotation age. Safe across replicas.
   */
  async ensureFresh(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await LOCK.execute(trx);
      const newest = await trx
        .selectFrom('signingKeys')
        .select(['kid', 'activatesAt'])
        .orderBy('activatesAt', 'desc')
        .executeTakeFirst();
      if (!newest) {
        await this.#addKey(trx, 0);
        return;
      }
      const maxAgeMs = this.options.rotationDays * 86_400_000;
      if (Date.now() - newest.activatesAt.getTime() >= maxAgeMs)
        await this.#addKey(trx, this.options.publishAheadSeconds);
    });
    this.#active = undefined;
  }

  /** Publishes a new key now; it signs after `publishAheadSeconds`. Returns its kid and when it signs. */
  async rotate(): Promise<{ kid: string; activatesAt: Date }> {
    const result = await this.db.transaction().execute(async (trx) => {
      await LOCK.execute(trx);
      return this.#addKey(trx, this.options.publishAheadSeconds);
    });
    this.#active = undefined;
    return result;
  }

  async #addKey(trx: Kysely<SsoDatabase>, delaySeconds: number): Promise<{ kid: string; activatesAt: Date }> {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
      crv: 'Ed25519',
      extractable: true,
    });
    const kid = newId();
    const activatesAt = new Date(Date.now() + delaySeconds * 1000);
    // Keys that a newer one replaces count as retired from the moment it signs.
    await trx
      .updateTable('signingKeys')
      .set({ retiredAt: activatesAt })
      .where('retiredAt', 'is', null)
      .execute();
    await trx
      .insertInto('signingKeys')
      .values({
        kid,
        alg: SIGNING_ALG,
        publicJwk: JSON.stringify(await exportJWK(publicKey)),
        privateJwk: JSON.stringify(await exportJWK(privateKey)),
        activatesAt,
        retiredAt: null,
      })
      .execute();
    await this.events.publish(trx, ssoEvents.signingKeyRotated, {
      data: { kid, activatesAt: activatesAt.toISOString() },
    });
    return { kid, activatesAt };
  }

  /** The public keys a verifier may meet: upcoming, signing, and retired less than a token's life ago. */
  jwks(): Promise<JSONWebKeySet> {
    return publishedKeySet(this.db, this.options.longestTokenTtlSeconds);
  }

  /** Signs an access token (RFC 9068 `at+jwt`) with the key active now. */
  async sign(
    claims: Omit<AccessTokenClaims, 'iss' | 'aud' | 'iat' | 'exp' | 'jti'>,
    ttlSeconds: number,
  ): Promise<string> {
    const active = await this.#activeKey();
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: SIGNING_ALG, typ: ACCESS_TOKEN_TYPE, kid: active.kid })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${ttlSeconds}s`)
      .setJti(newId())
      .sign(active.key);
  }

  async #activeKey(): Promise<ActiveKey> {
    // One clock for a key's times: sso's own, which wrote `activatesAt` and stamps the tokens. Comparing them
    // with the database's now() left no key signing when the two clocks disagreed (a skewed host).
    const now = Date.now();
    if (this.#active && now - this.#active.loadedAt < ACTIVE_KEY_CACHE_MS && now < this.#active.validUntil)
      return this.#active;
    const load = () =>
      this.db
        .selectFrom('signingKeys')
        .select(['kid', 'privateJwk'])
        .where('activatesAt', '<=', new Date(now))
        .orderBy('activatesAt', 'desc')
        .executeTakeFirst();
    let row = await load();
    if (!row) {
      await this.ensureFresh();
      row = await load();
      if (!row) throw new Error('No signing key is active');
    }
    const next = await this.db
      .selectFrom('signingKeys')
      .select('activatesAt')
      .where('activatesAt', '>', new Date(now))
      .orderBy('activatesAt', 'asc')
      .executeTakeFirst();
    const key = (await importJWK(parseJwk(row.privateJwk), SIGNING_ALG)) as CryptoKey;
    this.#active = {
      kid: row.kid,
      key,
      loadedAt: now,
      validUntil: next ? next.activatesAt.getTime() : Number.POSITIVE_INFINITY,
    };
    return this.#active;
  }
}

/**
 * The public keys in sso's JWKS: upcoming, signing, and retired less than `longestTokenTtlSeconds` (plus a
 * margin for clocks) ago. sso verifies its own tokens against this, read from its table.
 */
export async function publishedKeySet(
  db: Kysely<SsoDatabase>,
  longestTokenTtlSeconds: number,
): Promise<JSONWebKeySet> {
  const keep = longestTokenTtlSeconds + PUBLISH_MARGIN_SECONDS;
  const rows = await db
    .selectFrom('signingKeys')
    .select(['kid', 'alg', 'publicJwk'])
    .where((eb) =>
      eb.or([eb('retiredAt', 'is', null), eb('retiredAt', '>', new Date(Date.now() - keep * 1000))]),
    )
    .orderBy('activatesAt', 'desc')
    .execute();
  return {
    keys: rows.map((row) => ({ ...parseJwk(row.publicJwk), kid: row.kid, alg: row.alg, use: 'sig' })),
  };
}

function parseJwk(value: unknown): JWK {
  return (typeof value === 'string' ? JSON.parse(value) : value) as JWK;
}
