import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTestIssuer, serveKeySet } from './testing.ts';

describe('createTestIssuer', () => {
  it('should publish only public keys when asked for its key set', async () => {
    const issuer = await createTestIssuer({ alg: 'ES256' });

    const { keys } = issuer.jwks();

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: issuer.currentKid, alg: 'ES256', use: 'sig', kty: 'EC' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('should sign with the new key and keep the old one published when rotated', async () => {
    const issuer = await createTestIssuer();
    const first = issuer.currentKid;

    await issuer.rotate();

    expect(issuer.currentKid).not.toBe(first);
    expect(issuer.jwks().keys.map((key) => key.kid)).toEqual([first, issuer.currentKid]);
    expect(decodeProtectedHeader(await issuer.sign())).toEqual({
      alg: 'EdDSA',
      kid: issuer.currentKid,
      typ: 'at+jwt',
    });
    expect(decodeProtectedHeader(await issuer.sign({}, { kid: first })).kid).toBe(first);
  });

  it('should stop publishing a key but still sign with it when the key is forgotten', async () => {
    const issuer = await createTestIssuer();
    const first = issuer.currentKid;
    await issuer.rotate();

    issuer.forget(first);

    expect(issuer.jwks().keys.map((key) => key.kid)).toEqual([issuer.currentKid]);
    await expect(issuer.sign({}, { kid: first })).resolves.toEqual(expect.any(String));
  });
});

describe('serveKeySet', () => {
  it('should serve the issuer’s current keys when fetched, rotation included', async () => {
    const issuer = await createTestIssuer();
    const served = await serveKeySet(issuer);
    try {
      const first = (await (await fetch(served.jwksUrl)).json()) as { keys: { kid: string }[] };
      expect(first.keys.map((key) => key.kid)).toEqual([issuer.currentKid]);
      await issuer.rotate();
      const second = (await (await fetch(served.jwksUrl)).json()) as { keys: { kid: string }[] };
      expect(second.keys).toHaveLength(2);
    } finally {
      await served.close();
    }
  });
});
