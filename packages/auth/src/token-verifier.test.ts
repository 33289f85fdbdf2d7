import { CompactSign, exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestIssuer, type TestIssuer } from './testing.ts';
import {
  createTokenVerifier,
  TokenRejectedError,
  type TokenRejection,
  type TokenVerifier,
  type VerifierOptions,
} from './token-verifier.ts';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

let issuer: TestIssuer;
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verifier = verifierFor(issuer);
});

function verifierFor(from: TestIssuer, options: Partial<VerifierOptions> = {}): TokenVerifier {
  return createTokenVerifier({
    keySet: () => from.jwks(),
    issuer: from.issuer,
    audience: from.audience,
    ...options,
  });
}

/** The claims a valid token of `issuer` carries, for tokens built by hand. */
function validClaims(): Record<string, unknown> {
  return { iss: issuer.issuer, aud: issuer.audience, sub: 'user-1', iat: now(), exp: now() + 300 };
}

async function expectRejected(
  token: string,
  reason: TokenRejection,
  by: TokenVerifier = verifier,
): Promise<void> {
  const error: unknown = await by.verify(token).then(
    () => new Error('the token was accepted'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  expect((error as TokenRejectedError).reason).toBe(reason);
}

describe('createTokenVerifier: valid tokens', () => {
  it('should map the claims to a user principal when a valid user token is verified', async () => {
    const token = await issuer.sign({
      sub: 'user-1',
      name: 'Ada Lovelace',
      preferred_username: 'ada',
      roles: ['accountant'],
      permissions: ['billing:invoices:read'],
      jti: 'token-1',
      exp: 2_000_000_000,
    });

    await expect(verifier.verify(token)).resolves.toEqual({
      kind: 'user',
      id: 'user-1',
      name: 'Ada Lovelace',
      username: 'ada',
      roles: ['accountant'],
      permissions: ['billing:invoices:read'],
      tokenId: 'token-1',
      expiresAt: new Date(2_000_000_000_000),
    });
  });

  it('should map the claims to a client principal when the token carries client_id', async () => {
    const token = await issuer.sign({
      sub: 'billing',
      client_id: 'billing',
      name: 'Billing service',
      permissions: ['parties:parties:read'],
    });

    const principal = await verifier.verify(token);

    expect(principal).toMatchObject({ kind: 'client', id: 'billing', name: 'Billing service' });
    expect(principal.permissions).toEqual(['parties:parties:read']);
    expect(principal).not.toHaveProperty('username');
  });

  it('should default the name to sub and roles and permissions to empty when the token leaves them out', async () => {
    const token = await issuer.sign({
      sub: 'user-2',
      name: undefined,
      roles: undefined,
      permissions: undefined,
    });

    await expect(verifier.verify(token)).resolves.toMatchObject({
      name: 'user-2',
      roles: [],
      permissions: [],
    });
  });

  it('should accept an ES256 token when the issuer signs with ES256', async () => {
    const es256 = await createTestIssuer({ alg: 'ES256', issuer: 'other-sso', audience: 'leasing' });

    await expect(verifierFor(es256).verify(await es256.sign({ sub: 'user-3' }))).resolves.toMatchObject({
      id: 'user-3',
    });
  });

  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])(
    'should accept the token when typ is %s',
    async (typ) => {
      await expect(verifier.verify(await issuer.sign({}, { header: { typ } }))).resolves.toMatchObject({
        kind: 'user',
      });
    },
  );

  it('should accept the token when it expired less than the clock tolerance ago', async () => {
    const token = await issuer.sign({}, { expiresInSeconds: -2 });

    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'user' });
  });

  it('should accept the token when aud is an array that contains the audience', async () => {
    const token = await issuer.sign({ aud: ['other', issuer.audience] });

    await expect(verifier.verify(token)).resolves.toMatchObject({ kind: 'user' });
  });
});

describe('createTokenVerifier: rejected tokens', () => {
  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['two parts', 'abc.def'],
    ['four parts', 'a.b.c.d'],
    ['characters outside base64url', 'a+b.c.d'],
    ['a header that is not JSON', `${Buffer.from('{alg').toString('base64url')}.e30.c2ln`],
    ['a header that is an array', `${base64url(['EdDSA'])}.e30.c2ln`],
  ])('should reject as malformed when the token has %s', async (_, token) => {
    await expectRejected(token, 'malformed');
  });

  it('should reject as malformed when a correctly signed payload is not a JSON object', async () => {
    const signingKey = await issuerSigningKey();
    const token = await new CompactSign(new TextEncoder().encode('not json'))
      .setProtectedHeader({ alg: 'EdDSA', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(signingKey.privateKey);

    await expectRejected(token, 'malformed', signingKey.verifier);
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('should reject the algorithm when alg is "%s"', async (alg) => {
    const unsigned = `${base64url({ alg, kid: issuer.currentKid, typ: 'at+jwt' })}.${base64url(validClaims())}.`;

    await expectRejected(unsigned, 'algorithm');
  });

  it('should reject the algorithm when the header has no alg', async () => {
    await expectRejected(
      `${base64url({ kid: issuer.currentKid, typ: 'at+jwt' })}.${base64url(validClaims())}.`,
      'algorithm',
    );
  });

  it('should reject an HS256 token when its HMAC key is the public key in any encoding (key confusion)', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
    const pem = await exportSPKI(publicKey);
    const confusable = createTokenVerifier({
      keySet: () => ({ keys: [jwk] }),
      issuer: 'lessor-sso',
      audience: 'lessor',
    });
    const secrets = [
      new TextEncoder().encode(pem),
      Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'), // DER
      new TextEncoder().encode(JSON.stringify(jwk)),
      Buffer.from(jwk.x!, 'base64url'), // the raw public key
    ];

    for (const secret of secrets) {
      const token = await new SignJWT({ ...validClaims(), iss: 'lessor-sso', aud: 'lessor' })
        .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
        .sign(secret);
      await expectRejected(token, 'algorithm', confusable);
    }
  });

  it('should reject the algorithm when it is asymmetric but outside the allow-list', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const rs256 = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'RS256', kid: issuer.currentKid, typ: 'at+jwt' })
      .sign(privateKey);
    const onlyEs256 = verifierFor(issuer, { algorithms: ['ES256'] });

    await expectRejected(rs256, 'algorithm');
    await expectRejected(await issuer.sign(), 'algorithm', onlyEs256);
  });

  it('should refuse to be created when the allow-list names an algorithm other than EdDSA or ES256', () => {
    const options = { keySet: () => issuer.jwks(), issuer: 'lessor-sso', audience: 'lessor' };

    expect(() => createTokenVerifier({ ...options, algorithms: ['HS256'] as never })).toThrow(TypeError);
    expect(() => createTokenVerifier({ ...options, algorithms: [] })).toThrow(TypeError);
  });

  it.each([
    ['jwksCacheMaxAgeMs', -1],
    ['jwksCooldownMs', Number.NaN],
    ['maxStaleMs', -1],
  ])('should refuse to be created when %s is %s', (option, value) => {
    expect(() =>
      createTokenVerifier({
        keySet: () => issuer.jwks(),
        issuer: 'lessor-sso',
        audience: 'lessor',
        [option]: value,
      }),
    ).toThrow(TypeError);
  });

  it('should refuse to be created when neither or both of jwksUrl and keySet are given', () => {
    expect(() => createTokenVerifier({ issuer: 'lessor-sso', audience: 'lessor' })).toThrow(TypeError);
    expect(() =>
      createTokenVerifier({
        jwksUrl: 'http://127.0.0.1:1/jwks',
        keySet: () => issuer.jwks(),
        issuer: 'x',
        audience: 'y',
      }),
    ).toThrow(TypeError);
  });

  it("should reject the header when it embeds the attacker's own key as jwk", async () => {
    const attacker = await generateKeyPair('EdDSA');
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: issuer.currentKid,
        typ: 'at+jwt',
        jwk: await exportJWK(attacker.publicKey),
      })
      .sign(attacker.privateKey);

    await expectRejected(token, 'header');
  });

  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c', { x5c: ['MIIB'] }],
    ['crit', { crit: ['x-trace'], 'x-trace': 'abc' }],
  ])('should reject the header when it carries %s', async (_, header) => {
    await expectRejected(await issuer.sign({}, { header }), 'header');
  });

  it('should reject the header when it has no kid', async () => {
    await expectRejected(await issuer.sign({}, { header: { kid: undefined } }), 'header');
  });

  it('should reject an unknown key when the kid is not in the key set, even after a refresh', async () => {
    let reads = 0;
    const counting = createTokenVerifier({
      keySet: () => {
        reads += 1;
        return issuer.jwks();
      },
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwksCooldownMs: 0,
    });
    await counting.verify(await issuer.sign());

    await expectRejected(
      await issuer.sign({}, { header: { kid: 'not-a-published-key' } }),
      'unknown-key',
      counting,
    );
    expect(reads).toBe(2);
  });

  it('should reject the signature when the token is signed by another key under a published kid', async () => {
    const attacker = await generateKeyPair('EdDSA');
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'EdDSA', kid: issuer.currentKid, typ: 'at+jwt' })
      .sign(attacker.privateKey);

    await expectRejected(token, 'signature');
  });

  it('should reject the signature when the payload was changed after signing', async () => {
    const [header, , signature] = (await issuer.sign({ permissions: ['billing:invoices:read'] })).split('.');
    const escalated = base64url({ ...validClaims(), permissions: ['*:*:*'] });

    await expectRejected(`${header}.${escalated}.${signature}`, 'signature');
  });

  it.each([
    ['another issuer', { iss: 'evil-sso' }],
    ['no issuer', { iss: undefined }],
  ])('should reject the issuer when the token names %s', async (_, claims) => {
    await expectRejected(await issuer.sign(claims), 'issuer');
  });

  it.each([
    ['another audience', { aud: 'other-system' }],
    ['no audience', { aud: undefined }],
  ])('should reject the audience when the token names %s', async (_, claims) => {
    await expectRejected(await issuer.sign(claims), 'audience');
  });

  it.each([['JWT'], ['application/jwt'], ['at+jwt2'], [undefined]])(
    'should reject the type when typ is %s',
    async (typ) => {
      await expectRejected(await issuer.sign({}, { header: { typ } }), 'type');
    },
  );

  it('should reject as expired when exp is past beyond the clock tolerance', async () => {
    await expectRejected(await issuer.sign({}, { expiresInSeconds: -60 }), 'expired');
  });

  it('should reject as not yet valid when nbf is in the future', async () => {
    await expectRejected(await issuer.sign({ nbf: now() + 600 }), 'not-yet-valid');
  });

  it('should reject as not yet valid when iat is far in the future', async () => {
    await expectRejected(await issuer.sign({ iat: now() + 600, exp: now() + 900 }), 'not-yet-valid');
  });

  it.each(['sub', 'exp', 'iat'])('should reject the claims when %s is missing', async (claim) => {
    await expectRejected(await issuer.sign({ [claim]: undefined }), 'claims');
  });

  it.each([
    ['sub is empty', { sub: '' }],
    ['sub is a number', { sub: 42 }],
    ['roles is a string', { roles: 'admin' }],
    ['permissions holds a number', { permissions: [1] }],
    ['name is an object', { name: { first: 'Ada' } }],
    ['exp is a string', { exp: '2099-01-01' }],
  ])('should reject the claims when %s', async (_, claims) => {
    await expectRejected(await issuer.sign(claims as never), 'claims');
  });

  it('should reject with jwks-unavailable when the local key source fails', async () => {
    const broken = createTokenVerifier({
      keySet: () => Promise.reject(new Error('database is down')),
      issuer: issuer.issuer,
      audience: issuer.audience,
    });

    await expectRejected(await issuer.sign(), 'jwks-unavailable', broken);
  });
});

describe('createTokenVerifier: a local key source that fails after a success', () => {
  it('should keep verifying with the last key set it read when the source fails past the cache max age', async () => {
    let down = false;
    const resilient = createTokenVerifier({
      keySet: () => (down ? Promise.reject(new Error('database is down')) : issuer.jwks()),
      issuer: issuer.issuer,
      audience: issuer.audience,
      jwksCacheMaxAgeMs: 0,
    });
    await resilient.verify(await issuer.sign());

    down = true;

    await expect(resilient.verify(await issuer.sign({ sub: 'user-9' }))).resolves.toMatchObject({
      id: 'user-9',
    });
    expect(resilient.keySetStatus()).toMatchObject({ stale: true });
  });
});

describe('createTokenVerifier: key rotation with a local key set', () => {
  it('should accept tokens of the previous and the new key when the key set is rotated', async () => {
    const rotating = await createTestIssuer();
    const rotatingVerifier = verifierFor(rotating, { jwksCooldownMs: 0 });
    const before = await rotating.sign({ sub: 'before' });
    await rotatingVerifier.verify(before);

    await rotating.rotate();
    const after = await rotating.sign({ sub: 'after' });

    await expect(rotatingVerifier.verify(after)).resolves.toMatchObject({ id: 'after' });
    await expect(rotatingVerifier.verify(before)).resolves.toMatchObject({ id: 'before' });
  });

  it('should reject a token of a retired key when the key is no longer published', async () => {
    const rotating = await createTestIssuer();
    const oldKid = rotating.currentKid;
    const old = await rotating.sign();
    await rotating.rotate();
    rotating.forget(oldKid);

    await expectRejected(old, 'unknown-key', verifierFor(rotating));
  });
});

/** A verifier for a key pair made here, for tokens whose payload the test issuer cannot express. */
async function issuerSigningKey() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA');
  const kid = 'hand-made';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' };
  return {
    kid,
    privateKey,
    verifier: createTokenVerifier({
      keySet: () => ({ keys: [jwk] }),
      issuer: 'lessor-sso',
      audience: 'lessor',
    }),
  };
}

describe('createTokenVerifier: a token seen before (issue 13: a signature check per request per service)', () => {
  it('should check the signature of a token once when the same token is verified again with the same key set', async () => {
    const remembering = verifierFor(issuer);
    const token = await issuer.sign({ sub: 'user-7' });
    const verify = vi.spyOn(globalThis.crypto.subtle, 'verify');
    try {
      await expect(remembering.verify(token)).resolves.toMatchObject({ id: 'user-7' });
      await expect(remembering.verify(token)).resolves.toMatchObject({ id: 'user-7' });
      await expect(remembering.verify(token)).resolves.toMatchObject({ id: 'user-7' });

      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });

  it('should reject a remembered token as expired when its exp has passed beyond the clock tolerance', async () => {
    const remembering = verifierFor(issuer);
    const token = await issuer.sign({ exp: now() + 2 });
    await remembering.verify(token);

    vi.useFakeTimers({ now: Date.now() + 10_000, toFake: ['Date'] });
    try {
      await expectRejected(token, 'expired', remembering);
    } finally {
      vi.useRealTimers();
    }
  });

  it('should reject a remembered token as unknown-key when the key set is refetched without its key', async () => {
    const rotating = await createTestIssuer();
    const remembering = verifierFor(rotating, { jwksCacheMaxAgeMs: 50, jwksCooldownMs: 0 });
    const oldKid = rotating.currentKid;
    const old = await rotating.sign();
    await remembering.verify(old);
    await rotating.rotate();
    rotating.forget(oldKid);

    await new Promise((resolve) => setTimeout(resolve, 60));

    await expectRejected(old, 'unknown-key', remembering);
  });

  it('should give each caller its own principal when a remembered token is verified again', async () => {
    const remembering = verifierFor(issuer);
    const token = await issuer.sign({ sub: 'user-8', permissions: ['parties:parties:read'] });
    const first = await remembering.verify(token);
    first.permissions.push('sso:users:write');
    first.name = 'changed';

    await expect(remembering.verify(token)).resolves.toMatchObject({
      name: 'Test User',
      permissions: ['parties:parties:read'],
    });
  });
});
