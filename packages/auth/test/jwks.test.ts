import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTokenVerifier,
  TokenRejectedError,
  type TokenVerifier,
  type VerifierOptions,
} from '../src/index.ts';
import { createTestIssuer, type TestIssuer } from '../src/testing.ts';

/** What the JWKS server does with a request. */
type Behaviour = 'serve' | 'fail' | 'hang' | 'garbage';

interface JwksServer {
  url: string;
  /** How many times the key set was requested. */
  fetches: number;
  behaviour: Behaviour;
  /** Stops listening: nothing answers at `url` (sso is down). */
  close(): Promise<void>;
  /** Listens again at the same `url` (sso is back). */
  restart(): Promise<void>;
}

const servers: JwksServer[] = [];

/** A real sso stand-in: serves the test issuer's keys at /.well-known/jwks.json. */
async function startJwksServer(issuer: TestIssuer): Promise<JwksServer> {
  const server: Server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    state.fetches += 1;
    if (state.behaviour === 'hang') return;
    if (state.behaviour === 'fail') {
      response.writeHead(503).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/jwk-set+json' })
      .end(state.behaviour === 'garbage' ? '{"keys": [' : JSON.stringify(issuer.jwks()));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const state: JwksServer = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    fetches: 0,
    behaviour: 'serve',
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    restart: () => listen(port),
  };
  servers.push(state);
  return state;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function verifierFor(
  issuer: TestIssuer,
  jwks: JwksServer,
  options: Partial<VerifierOptions> = {},
): TokenVerifier {
  return createTokenVerifier({
    jwksUrl: jwks.url,
    issuer: issuer.issuer,
    audience: issuer.audience,
    ...options,
  });
}

async function rejectionReason(verifier: TokenVerifier, token: string): Promise<string> {
  const error: unknown = await verifier.verify(token).then(
    () => new Error('the token was accepted'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  return (error as TokenRejectedError).reason;
}

describe('createTokenVerifier with a JWKS served over HTTP', () => {
  it('should load the key set ahead, so the first token is verified without a fetch, and not again while fresh', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks);

    await verifier.loadKeys();
    expect(jwks.fetches).toBe(1);
    expect((await verifier.verify(await issuer.sign({ sub: 'first' }))).id).toBe('first');
    await verifier.loadKeys();
    expect(jwks.fetches).toBe(1);

    jwks.behaviour = 'fail';
    const down = verifierFor(issuer, jwks);
    await expect(down.loadKeys()).rejects.toThrow();
    expect(down.keySetStatus().lastFetchedAt).toBeNull();
  });

  it('should fetch the key set once when many tokens are verified', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks);

    const principals = await Promise.all(
      Array.from({ length: 10 }, async (_, index) =>
        verifier.verify(await issuer.sign({ sub: `user-${index}` })),
      ),
    );

    expect(principals.map((principal) => principal.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `user-${i}`),
    );
    expect(jwks.fetches).toBe(1);
  });

  it('should refetch the key set and accept the token when it is signed by a newly rotated key', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCooldownMs: 0 });
    await verifier.verify(await issuer.sign());

    await issuer.rotate();

    await expect(verifier.verify(await issuer.sign({ sub: 'after-rotation' }))).resolves.toMatchObject({
      id: 'after-rotation',
    });
    expect(jwks.fetches).toBe(2);
  });

  it('should accept a token of the previous key while that key is published, until the token expires', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCooldownMs: 0, clockToleranceSeconds: 0 });
    const previous = await issuer.sign({ sub: 'previous' }, { expiresInSeconds: 1 });

    await issuer.rotate();
    await verifier.verify(await issuer.sign());

    await expect(verifier.verify(previous)).resolves.toMatchObject({ id: 'previous' });
    await sleep(2_100); // exp has a one-second resolution
    expect(await rejectionReason(verifier, previous)).toBe('expired');
  });

  it('should reject a token of a retired key when the refetched key set no longer publishes it', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCooldownMs: 0 });
    const retiredKid = issuer.currentKid;
    const old = await issuer.sign();
    await issuer.rotate();
    issuer.forget(retiredKid);

    expect(await rejectionReason(verifier, old)).toBe('unknown-key');
  });

  it('should reject a token of an unknown key after one refetch, and not refetch again within the cooldown', async () => {
    const issuer = await createTestIssuer();
    const stranger = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCooldownMs: 60_000 });
    await verifier.verify(await issuer.sign());

    // The first fetch is under a minute old: an attacker cycling through made-up kids cannot make us hammer sso.
    expect(await rejectionReason(verifier, await stranger.sign())).toBe('unknown-key');
    expect(await rejectionReason(verifier, await stranger.sign())).toBe('unknown-key');
    expect(jwks.fetches).toBe(1);
  });

  it('should refetch once when the cooldown has passed and the kid is still unknown', async () => {
    const issuer = await createTestIssuer();
    const stranger = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCooldownMs: 0 });
    await verifier.verify(await issuer.sign());

    expect(await rejectionReason(verifier, await stranger.sign())).toBe('unknown-key');
    expect(jwks.fetches).toBe(2);
  });

  it('should refetch the key set when the cached copy is older than the cache max age', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: 50 });
    await verifier.verify(await issuer.sign());

    await sleep(100);
    await verifier.verify(await issuer.sign());

    expect(jwks.fetches).toBe(2);
  });

  it('should reject with jwks-unavailable when nothing listens at the JWKS address', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    await jwks.close();

    expect(await rejectionReason(verifierFor(issuer, jwks), await issuer.sign())).toBe('jwks-unavailable');
  });

  it('should reject with jwks-unavailable when the JWKS endpoint answers with an error', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    jwks.behaviour = 'fail';

    expect(await rejectionReason(verifierFor(issuer, jwks), await issuer.sign())).toBe('jwks-unavailable');
  });

  it('should reject with jwks-unavailable when the JWKS endpoint does not answer in time', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    jwks.behaviour = 'hang';
    const verifier = verifierFor(issuer, jwks, { fetchTimeoutMs: 100 });

    expect(await rejectionReason(verifier, await issuer.sign())).toBe('jwks-unavailable');
  });

  it('should accept tokens again when the JWKS endpoint recovers', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    jwks.behaviour = 'fail';
    const verifier = verifierFor(issuer, jwks);
    expect(await rejectionReason(verifier, await issuer.sign())).toBe('jwks-unavailable');

    jwks.behaviour = 'serve';

    await expect(verifier.verify(await issuer.sign({ sub: 'recovered' }))).resolves.toMatchObject({
      id: 'recovered',
    });
  });
});

describe('createTokenVerifier while the JWKS endpoint is down (last good key set)', () => {
  /** Short enough to wait out with a sleep. */
  const CACHE_MAX_AGE_MS = 50;

  it('should keep verifying tokens of known keys when the server is stopped and the cache max age has passed', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS, jwksCooldownMs: 0 });
    const beforeOutage = await issuer.sign({ sub: 'before-outage' });
    await verifier.verify(beforeOutage);
    const { lastFetchedAt } = verifier.keySetStatus();

    await jwks.close();
    await sleep(CACHE_MAX_AGE_MS * 2);

    await expect(verifier.verify(beforeOutage)).resolves.toMatchObject({ id: 'before-outage' });
    await expect(verifier.verify(await issuer.sign({ sub: 'during-outage' }))).resolves.toMatchObject({
      id: 'during-outage',
    });
    expect(verifier.keySetStatus()).toEqual({ lastFetchedAt, stale: true });
  });

  it.each<[string, Behaviour]>([
    ['answers 503', 'fail'],
    ['does not answer in time', 'hang'],
    ['answers invalid JSON', 'garbage'],
  ])(
    'should keep verifying tokens of known keys when the endpoint %s after the cache max age',
    async (_, behaviour) => {
      const issuer = await createTestIssuer();
      const jwks = await startJwksServer(issuer);
      const verifier = verifierFor(issuer, jwks, {
        jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS,
        jwksCooldownMs: 0,
        fetchTimeoutMs: 100,
      });
      await verifier.verify(await issuer.sign());

      jwks.behaviour = behaviour;
      await sleep(CACHE_MAX_AGE_MS * 2);

      await expect(verifier.verify(await issuer.sign({ sub: 'still-ok' }))).resolves.toMatchObject({
        id: 'still-ok',
      });
      expect(jwks.fetches).toBe(2);
      expect(verifier.keySetStatus().stale).toBe(true);
    },
  );

  it('should retry a failed refetch only once the cooldown has passed', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS, jwksCooldownMs: 200 });
    await verifier.verify(await issuer.sign());
    jwks.behaviour = 'fail';
    await sleep(CACHE_MAX_AGE_MS * 2);

    for (let call = 0; call < 5; call += 1) await verifier.verify(await issuer.sign());
    expect(jwks.fetches).toBe(2); // one failed refetch, then the cooldown

    await sleep(250);
    await verifier.verify(await issuer.sign());
    expect(jwks.fetches).toBe(3);
  });

  it('should reject a token of an unknown kid as unknown-key during the outage', async () => {
    const issuer = await createTestIssuer();
    const stranger = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS, jwksCooldownMs: 0 });
    await verifier.verify(await issuer.sign());

    await jwks.close();
    await sleep(CACHE_MAX_AGE_MS * 2);

    expect(await rejectionReason(verifier, await stranger.sign())).toBe('unknown-key');
    await expect(verifier.verify(await issuer.sign({ sub: 'known' }))).resolves.toMatchObject({
      id: 'known',
    });
  });

  it('should accept a token of a newly rotated key when the server comes back', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS, jwksCooldownMs: 0 });
    const beforeOutage = await issuer.sign({ sub: 'before-outage' });
    await verifier.verify(beforeOutage);
    const { lastFetchedAt: firstFetch } = verifier.keySetStatus();
    await jwks.close();
    await sleep(CACHE_MAX_AGE_MS * 2);
    await verifier.verify(beforeOutage);

    await issuer.rotate();
    const rotated = await issuer.sign({ sub: 'rotated' });
    expect(await rejectionReason(verifier, rotated)).toBe('unknown-key'); // sso is still down
    await jwks.restart();

    await expect(verifier.verify(rotated)).resolves.toMatchObject({ id: 'rotated' });
    await expect(verifier.verify(beforeOutage)).resolves.toMatchObject({ id: 'before-outage' });
    const status = verifier.keySetStatus();
    expect(status.stale).toBe(false);
    expect(status.lastFetchedAt!.getTime()).toBeGreaterThan(firstFetch!.getTime());
  });

  it('should reject with jwks-unavailable once the key set has been stale for longer than maxStaleMs', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, {
      jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS,
      jwksCooldownMs: 0,
      maxStaleMs: 500,
    });
    await verifier.verify(await issuer.sign());
    await jwks.close();

    await sleep(CACHE_MAX_AGE_MS * 2);
    await expect(verifier.verify(await issuer.sign({ sub: 'stale-ok' }))).resolves.toMatchObject({
      id: 'stale-ok',
    });

    await sleep(600);
    expect(await rejectionReason(verifier, await issuer.sign())).toBe('jwks-unavailable');
    expect(verifier.keySetStatus().stale).toBe(true);

    await jwks.restart();
    await expect(verifier.verify(await issuer.sign({ sub: 'back' }))).resolves.toMatchObject({ id: 'back' });
    expect(verifier.keySetStatus().stale).toBe(false);
  });

  it('should use no stale key set when maxStaleMs is 0', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks, { jwksCacheMaxAgeMs: CACHE_MAX_AGE_MS, maxStaleMs: 0 });
    await verifier.verify(await issuer.sign());

    await jwks.close();
    await sleep(CACHE_MAX_AGE_MS * 2);

    expect(await rejectionReason(verifier, await issuer.sign())).toBe('jwks-unavailable');
  });

  it('should reject with jwks-unavailable and report no key set when the server was down from the start', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    await jwks.close();
    const verifier = verifierFor(issuer, jwks);

    expect(await rejectionReason(verifier, await issuer.sign())).toBe('jwks-unavailable');
    expect(verifier.keySetStatus()).toEqual({ lastFetchedAt: null, stale: false });
  });

  it('should report a fresh key set once it has been fetched', async () => {
    const issuer = await createTestIssuer();
    const jwks = await startJwksServer(issuer);
    const verifier = verifierFor(issuer, jwks);
    expect(verifier.keySetStatus()).toEqual({ lastFetchedAt: null, stale: false });

    await verifier.verify(await issuer.sign());

    expect(verifier.keySetStatus()).toEqual({ lastFetchedAt: expect.any(Date), stale: false });
  });
});
