import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ACCESS_TOKEN_ALGORITHMS, ACCESS_TOKEN_TYPE, type AccessTokenAlgorithm } from './access-token.ts';

/** Who made a request, as proven by a verified access token. */
export interface Principal {
  kind: 'user' | 'client';
  /** The token's `sub`: a user id or a service-client id. */
  id: string;
  name: string;
  /** The login name; users only. */
  username?: string;
  roles: string[];
  permissions: string[];
  /** The token's `jti`, for audit. */
  tokenId?: string;
  expiresAt: Date;
}

/** How {@link createTokenVerifier} finds keys and what it accepts. Give exactly one of `jwksUrl` and `keySet`. */
export interface VerifierOptions {
  /** Remote JWKS, e.g. `http://sso/.well-known/jwks.json` (every service but sso) … */
  jwksUrl?: string | URL;
  /** … or a local key source (sso verifies its own tokens without HTTP). Cached and refreshed like the remote one. */
  keySet?: () => Promise<JSONWebKeySet> | JSONWebKeySet;
  issuer: string;
  audience: string;
  /** An allow-list; default `['EdDSA', 'ES256']`. */
  algorithms?: AccessTokenAlgorithm[];
  /** Allowed clock skew between sso and this host; default 5. */
  clockToleranceSeconds?: number;
  /** How long a fetched key set is used before it is fetched again; default 10 minutes. */
  jwksCacheMaxAgeMs?: number;
  /** Minimum time between a fetch and one caused by an unknown `kid` or retrying a failed fetch; default 30 s. */
  jwksCooldownMs?: number;
  /** Timeout of one JWKS fetch; default 5000. */
  fetchTimeoutMs?: number;
  /**
   * How long the last key set fetched is still used, past `jwksCacheMaxAgeMs`, while it cannot be refetched
   * (sso down); default 24 hours. After that every token is rejected with `jwks-unavailable`; 0 uses no stale keys.
   */
  maxStaleMs?: number;
}

/** Verifies access tokens. */
export interface TokenVerifier {
  /** Resolves to the token's principal, or rejects with a {@link TokenRejectedError}. */
  verify(token: string): Promise<Principal>;
  /** The state of the cached key set, for a readiness check or a metric. */
  keySetStatus(): KeySetStatus;
  /**
   * Fetches the key set now, when none is fresh, so that the first tokens do not wait for it (a service calls it
   * at start); concurrent callers and verifications share one fetch. Rejects when the keys cannot be loaded.
   */
  loadKeys(): Promise<void>;
}

/** See {@link TokenVerifier.keySetStatus}. */
export interface KeySetStatus {
  /** When the key set in use was fetched; `null` until a fetch has succeeded. */
  lastFetchedAt: Date | null;
  /**
   * The key set is older than `jwksCacheMaxAgeMs` and the last attempt to refetch it failed: tokens are verified
   * with the last keys we have (until `maxStaleMs` beyond the max age), and a rotated key is not seen yet.
   */
  stale: boolean;
}

/** Why a token was rejected. */
export type TokenRejection =
  | 'malformed'
  | 'algorithm'
  | 'header'
  | 'unknown-key'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'type'
  | 'expired'
  | 'not-yet-valid'
  | 'claims'
  | 'jwks-unavailable';

/**
 * A token was not accepted. `reason` is for logs and metrics; a client should get one plain 401
 * whatever the reason, so that it learns nothing about the checks.
 */
export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejectedError';
  readonly reason: TokenRejection;

  constructor(reason: TokenRejection, message: string, options?: { cause?: unknown }) {
    super(`token rejected (${reason}): ${message}`, options);
    this.reason = reason;
  }
}

/**
 * Header parameters that let the token choose its own verification key or impose extensions we do not
 * implement. Our keys come only from the configured JWKS, so any of these is an attack or a bug.
 */
const FORBIDDEN_HEADER_PARAMETERS = ['jwk', 'jku', 'x5u', 'x5c', 'crit'] as const;

const REQUIRED_CLAIMS = ['sub', 'exp', 'iat'];

/**
 * Creates a verifier of Lessor access tokens (RFC 9068 JWTs signed by sso).
 * Keys are fetched once and cached; a token with an unknown `kid` triggers one refetch (outside the
 * cooldown), which is how key rotation reaches every service without a call to sso per request. While sso cannot
 * be reached, the last key set fetched is still used, for at most `maxStaleMs` past its max age.
 */
export function createTokenVerifier(options: VerifierOptions): TokenVerifier {
  const algorithms = options.algorithms ?? [...ACCESS_TOKEN_ALGORITHMS];
  // The type already says so; checked again because a misconfigured allow-list is how HS256 confusion starts.
  if (algorithms.length === 0 || algorithms.some((alg) => !ACCESS_TOKEN_ALGORITHMS.includes(alg))) {
    throw new TypeError(`algorithms must be a non-empty subset of ${ACCESS_TOKEN_ALGORITHMS.join(', ')}`);
  }
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const keys = keySource(options);
  /**
   * Tokens already verified, by their exact text: every service of a request verifies the same token, and a
   * user sends it on every request until it expires, so the signature check (most of the verification's CPU)
   * is done once per token and key set. An entry answers only while the key set it was checked against is
   * still the one in use and fresh (a refetch, a rotation or the max age passing sends the token through the
   * full check again) and only until `exp` (without the clock tolerance, so never longer than jose would).
   */
  const verified = new Map<string, { principal: Principal; keySet: unknown; until: number }>();

  return {
    async verify(token) {
      const seen = verified.get(token);
      if (seen !== undefined) {
        const now = Date.now();
        if (seen.keySet === keys.current(now) && now < seen.until) return copyOf(seen.principal);
        verified.delete(token);
      }
      checkHeader(token, algorithms);
      let payload: JWTPayload;
      /** The key set the token's key came from. */
      let keySet: unknown;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header, input) => keys.getKey(header, input, (set) => (keySet = set)),
          {
            algorithms,
            issuer: options.issuer,
            audience: options.audience,
            clockTolerance,
            requiredClaims: REQUIRED_CLAIMS,
          },
        ));
      } catch (error) {
        throw toRejection(error);
      }
      // jose checks `iat` only together with maxTokenAge; a token issued in the future means a broken or forged signer.
      if ((payload.iat ?? 0) > Date.now() / 1000 + clockTolerance) {
        throw new TokenRejectedError('not-yet-valid', '"iat" is in the future');
      }
      const principal = toPrincipal(payload);
      // Remembered only while the key set its key came from is the one in use (a fetch during this
      // verification may have replaced it: then the next call checks again against the new one).
      if (keySet !== undefined && keySet === keys.current(Date.now())) {
        if (verified.size >= VERIFIED_TOKENS_MAX) verified.delete(verified.keys().next().value!);
        verified.set(token, { principal: copyOf(principal), keySet, until: principal.expiresAt.getTime() });
      }
      return principal;
    },
    keySetStatus: () => keys.status(),
    loadKeys: () => keys.load(),
  };
}

/** How many verified tokens a verifier remembers (the oldest is forgotten first). */
const VERIFIED_TOKENS_MAX = 10_000;

/** A principal the caller may change without changing the remembered one. */
function copyOf(principal: Principal): Principal {
  return {
    ...principal,
    roles: [...principal.roles],
    permissions: [...principal.permissions],
    expiresAt: new Date(principal.expiresAt),
  };
}

/** The resolver jose calls for each token, and the state of the key set behind it. */
interface KeySource {
  /** jose's resolver; `selected` learns which key set the key was taken from. */
  getKey(
    header: Parameters<JWTVerifyGetKey>[0],
    token: Parameters<JWTVerifyGetKey>[1],
    selected?: (keySet: unknown) => void,
  ): ReturnType<JWTVerifyGetKey>;
  status(): KeySetStatus;
  /** The key set in use when it is fresh (within its max age), else undefined: an identity to compare. */
  current(now: number): unknown;
  /** Fetches the key set unless a fresh one is in use. */
  load(): Promise<void>;
}

/**
 * The key cache. jose's remote key set does the fetching (timeout, status and JSON checks; a local source goes
 * through its `customFetch` hook); when to fetch is decided here, because jose's own cache rejects every token
 * once its max age has passed and a refetch fails. Here the last key set fetched successfully stays in use through
 * an outage of sso, for at most `maxStaleMs` beyond its max age, and a failed refetch is retried only after the
 * cooldown. Signatures are still checked by jose, against `createLocalJWKSet` of that key set.
 */
function keySource(options: VerifierOptions): KeySource {
  const { jwksUrl, keySet } = options;
  if ((jwksUrl === undefined) === (keySet === undefined)) {
    throw new TypeError('give exactly one of jwksUrl and keySet');
  }
  const cacheMaxAge = duration(options.jwksCacheMaxAgeMs, 10 * 60_000, 'jwksCacheMaxAgeMs');
  const cooldown = duration(options.jwksCooldownMs, 30_000, 'jwksCooldownMs');
  const maxStale = duration(options.maxStaleMs, 24 * 60 * 60_000, 'maxStaleMs');
  // Only reload() and jwks() are used: jose's own cache max age and cooldown never come into play.
  const fetchOptions = { timeoutDuration: options.fetchTimeoutMs };
  const remote =
    keySet === undefined
      ? createRemoteJWKSet(new URL(jwksUrl!), fetchOptions)
      : createRemoteJWKSet(new URL('local:jwks'), {
          ...fetchOptions,
          [customFetch]: async () => Response.json(await keySet()),
        });

  /** The last key set fetched successfully. */
  let current: { keys: JWTVerifyGetKey; fetchedAt: number } | undefined;
  /** When the last fetch failed, and why; cleared by a successful fetch. */
  let failure: { at: number; error: unknown } | undefined;
  let pending: Promise<void> | undefined;

  /** Fetches the key set; concurrent callers share one fetch. Rejects when it fails (the last good set stays). */
  function refresh(): Promise<void> {
    pending ??= (async () => {
      try {
        await remote.reload();
        current = { keys: createLocalJWKSet(remote.jwks()!), fetchedAt: Date.now() };
        failure = undefined;
      } catch (error) {
        failure = { at: Date.now(), error };
        throw error;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  }

  const isFresh = (now: number) => current !== undefined && now < current.fetchedAt + cacheMaxAge;
  const isUsable = (now: number) => current !== undefined && now < current.fetchedAt + cacheMaxAge + maxStale;
  /** The time of the last fetch, successful or not, from which the cooldown runs. */
  const lastFetchAt = () => failure?.at ?? current?.fetchedAt ?? -Infinity;
  const unavailable = (message: string, cause: unknown) =>
    new TokenRejectedError('jwks-unavailable', message, { cause });

  const getKey: KeySource['getKey'] = async (header, token, selected) => {
    if (!isUsable(Date.now())) {
      // Nothing to verify against (never fetched, or stale for too long): every call tries, so recovery is at once.
      try {
        await refresh();
      } catch (error) {
        throw unavailable(
          current === undefined
            ? 'the signing keys could not be loaded'
            : 'the signing keys could not be refreshed and the last ones are too old to use',
          error,
        );
      }
    } else if (!isFresh(Date.now()) && (failure === undefined || Date.now() >= failure.at + cooldown)) {
      // Past the max age: refetch, but keep verifying with the last good set while sso is unreachable.
      await refresh().catch(() => undefined);
      if (!isUsable(Date.now())) {
        throw unavailable('the last signing keys are too old to use', failure?.error);
      }
    }
    try {
      return await select(header, token, selected);
    } catch (error) {
      // An unknown kid may be a newly rotated key: refetch once, outside the cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || Date.now() < lastFetchAt() + cooldown) throw error;
      try {
        await refresh();
      } catch {
        throw error; // sso is unreachable: the kid is not among the keys we have, whatever the cause
      }
      return select(header, token, selected);
    }
  };

  /** Picks the token's key in the current key set; a key that cannot be used is not the token's fault. */
  const select: KeySource['getKey'] = async (header, token, selected) => {
    const set = current!;
    try {
      const key = await set.keys(header, token);
      selected?.(set);
      return key;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
        throw error;
      throw unavailable('the signing key could not be used', error);
    }
  };

  return {
    getKey,
    current: (now) => (isFresh(now) ? current : undefined),
    load: async () => {
      if (!isFresh(Date.now())) await refresh();
    },
    status: () => ({
      lastFetchedAt: current === undefined ? null : new Date(current.fetchedAt),
      stale: current !== undefined && failure !== undefined && !isFresh(Date.now()),
    }),
  };
}

function duration(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (Number.isNaN(value) || value < 0) throw new TypeError(`${option} must be a non-negative number`);
  return value;
}

/**
 * Checks the raw protected header before jose sees the token, so that these rules hold whatever jose's
 * defaults become: no `none` in any spelling, only allow-listed algorithms, no embedded keys, the RFC 9068 type.
 */
function checkHeader(token: string, algorithms: readonly string[]): void {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) {
    throw new TokenRejectedError('malformed', 'not a compact JWS');
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    throw new TokenRejectedError('malformed', 'the protected header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new TokenRejectedError('malformed', 'the protected header is not an object');
  }
  const { alg, kid, typ } = header as Record<string, unknown>;
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none' || !algorithms.includes(alg)) {
    throw new TokenRejectedError('algorithm', `algorithm ${JSON.stringify(alg)} is not allowed`);
  }
  const forbidden = FORBIDDEN_HEADER_PARAMETERS.filter((name) => Object.hasOwn(header, name));
  if (forbidden.length > 0) {
    throw new TokenRejectedError('header', `header parameter(s) ${forbidden.join(', ')} not allowed`);
  }
  // sso always names its key; without a kid we would have to guess among the published keys.
  if (typeof kid !== 'string' || kid === '') {
    throw new TokenRejectedError('header', 'the header has no "kid"');
  }
  if (typeof typ !== 'string' || typ.toLowerCase().replace(/^application\//, '') !== ACCESS_TOKEN_TYPE) {
    throw new TokenRejectedError('type', `"typ" ${JSON.stringify(typ)} is not ${ACCESS_TOKEN_TYPE}`);
  }
}

function toRejection(error: unknown): unknown {
  if (error instanceof TokenRejectedError) return error;
  const reject = (reason: TokenRejection) =>
    new TokenRejectedError(reason, (error as Error).message, { cause: error });
  if (error instanceof errors.JWTExpired) return reject('expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return reject('issuer');
    if (error.claim === 'aud') return reject('audience');
    if ((error.claim === 'nbf' || error.claim === 'iat') && error.reason === 'check_failed')
      return reject('not-yet-valid');
    return reject('claims');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return reject('algorithm');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return reject('unknown-key');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return reject('signature');
  if (error instanceof errors.JOSEError) return reject('malformed');
  return error;
}

function toPrincipal(payload: JWTPayload): Principal {
  const sub = optionalString(payload, 'sub');
  if (sub === undefined || sub === '')
    throw new TokenRejectedError('claims', '"sub" must be a non-empty string');
  const clientId = optionalString(payload, 'client_id');
  const username = optionalString(payload, 'preferred_username');
  const tokenId = optionalString(payload, 'jti');
  return {
    kind: clientId === undefined ? 'user' : 'client',
    id: sub,
    name: optionalString(payload, 'name') ?? sub,
    ...(clientId === undefined && username !== undefined ? { username } : {}),
    roles: optionalStringArray(payload, 'roles'),
    permissions: optionalStringArray(payload, 'permissions'),
    ...(tokenId !== undefined ? { tokenId } : {}),
    // Present and numeric: jose checked it (requiredClaims).
    expiresAt: new Date(payload.exp! * 1000),
  };
}

function optionalString(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string')
    throw new TokenRejectedError('claims', `"${claim}" must be a string`);
  return value;
}

function optionalStringArray(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TokenRejectedError('claims', `"${claim}" must be an array of strings`);
  }
  return value;
}
