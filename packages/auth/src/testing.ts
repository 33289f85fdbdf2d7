import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTHeaderParameters,
} from 'jose';
import { ACCESS_TOKEN_TYPE, type AccessTokenAlgorithm, type AccessTokenClaims } from './access-token.ts';

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** Default `lessor-sso`. */
  issuer?: string;
  /** Default `lessor`. */
  audience?: string;
  /** Default `EdDSA`. */
  alg?: AccessTokenAlgorithm;
}

/** Options of {@link TestIssuer.sign}. */
export interface TestSignOptions {
  /** Default 300. Negative values make an expired token. */
  expiresInSeconds?: number;
  /** Sign with this key (default: the current one); it must have been made by this issuer. */
  kid?: string;
  /** Merged over the protected header `{ alg, kid, typ: 'at+jwt' }`, to make broken or hostile tokens. */
  header?: Record<string, unknown>;
}

/** A stand-in for sso in tests: signs access tokens and publishes their keys. */
export interface TestIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** The published key set: serve it over HTTP, or pass `() => issuer.jwks()` as a verifier's `keySet`. */
  jwks(): JSONWebKeySet;
  /**
   * Signs an access token. Defaults: this issuer and audience, a random `sub` and `jti`, name `Test User`,
   * no roles and no permissions, issued now. A claim given as `undefined` is left out of the token.
   */
  sign(claims?: Partial<AccessTokenClaims> & { sub?: string }, options?: TestSignOptions): Promise<string>;
  /** Makes a new current key; the previous keys stay published. */
  rotate(): Promise<void>;
  /** Stops publishing a key (it can still sign, to show that such tokens are rejected). */
  forget(kid: string): void;
  /** The `kid` that {@link TestIssuer.sign} uses by default. */
  readonly currentKid: string;
}

/** Creates a {@link TestIssuer} with one fresh key pair. For tests only: keys live in memory. */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const issuer = options.issuer ?? 'lessor-sso';
  const audience = options.audience ?? 'lessor';
  const alg = options.alg ?? 'EdDSA';
  const signingKeys = new Map<string, CryptoKey>();
  let published: JWK[] = [];
  let currentKid = '';

  async function addKey(): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair(alg);
    const kid = randomUUID();
    signingKeys.set(kid, privateKey);
    published.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    currentKid = kid;
  }
  await addKey();

  return {
    issuer,
    audience,
    get currentKid() {
      return currentKid;
    },
    jwks: () => ({ keys: published.map((jwk) => ({ ...jwk })) }),
    async sign(claims = {}, signOptions = {}) {
      const kid = signOptions.kid ?? currentKid;
      const key = signingKeys.get(kid);
      if (key === undefined) throw new Error(`the test issuer has no key ${kid}`);
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: issuer,
        aud: audience,
        sub: randomUUID(),
        name: 'Test User',
        roles: [],
        permissions: [],
        jti: randomUUID(),
        iat: now,
        exp: now + (signOptions.expiresInSeconds ?? 300),
        ...claims,
      };
      const header: JWTHeaderParameters = { alg, kid, typ: ACCESS_TOKEN_TYPE, ...signOptions.header };
      // jose refuses to sign a `crit` it does not know; declare the listed names known so tests can send any.
      const crit = Array.isArray(header.crit)
        ? Object.fromEntries(header.crit.map((name) => [name, true]))
        : {};
      return new SignJWT(payload).setProtectedHeader(header).sign(key, { crit });
    },
    rotate: addKey,
    forget(kid) {
      published = published.filter((jwk) => jwk.kid !== kid);
    },
  };
}

/** A test issuer's key set served over HTTP, as sso publishes it. */
export interface ServedKeySet {
  /** `http://127.0.0.1:<port>/.well-known/jwks.json`: give it to a service as SSO_JWKS_URL. */
  jwksUrl: string;
  close(): Promise<void>;
}

/**
 * Serves `issuer.jwks()` on an ephemeral local port, so a service under test verifies tokens against
 * published keys exactly as it does against sso (fetch, cache, refetch on an unknown `kid`).
 */
export async function serveKeySet(issuer: Pick<TestIssuer, 'jwks'>): Promise<ServedKeySet> {
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
