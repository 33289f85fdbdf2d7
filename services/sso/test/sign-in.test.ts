import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { pino } from 'pino';
import { testBackends } from '@lessor/service-kit/testing';
import { ADMIN_PASSWORD, adminToken, signIn, startSso, type StartedSso } from './fixtures.ts';

const backends = await testBackends();

describe.each(backends)('sso sign-in on %s', (backend) => {
  let sso: StartedSso;
  let admin: string;

  beforeAll(async () => {
    sso = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_FAILURES_PER_ACCOUNT: '3' },
    });
    admin = await adminToken(sso);
  });
  afterAll(() => sso.close());

  async function createUser(username: string, password = 'a-long-enough-password', roleIds: string[] = []) {
    const response = await sso.call('POST', '/v1/users', admin, {
      username,
      fullName: `User ${username}`,
      password,
      roleIds,
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  it('should issue an EdDSA at+jwt of at most 15 minutes carrying id, name, roles and permissions when the password is right', async () => {
    const response = await signIn(sso, 'admin', ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const { accessToken, refreshToken, expiresIn, tokenType } = response.body;
    expect(tokenType).toBe('Bearer');
    expect(expiresIn).toBeLessThanOrEqual(900);
    expect(typeof refreshToken).toBe('string');
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwt(accessToken);
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
    expect(claims).toMatchObject({
      iss: 'lessor-sso',
      aud: 'lessor',
      name: 'Administrator',
      preferred_username: 'admin',
      roles: ['admin'],
    });
    expect(claims.permissions).toEqual(expect.arrayContaining(['*:*:*', 'sso:me:read']));
    expect(claims.client_id).toBeUndefined();
  });

  it('should say who the token belongs to at /v1/me', async () => {
    const me = await sso.call('GET', '/v1/me', admin);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      kind: 'user',
      username: 'admin',
      fullName: 'Administrator',
      roles: ['admin'],
    });
  });

  it('should publish the signing key at the JWKS without a token', async () => {
    const response = await sso.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    const { keys } = response.json();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
    expect(keys.map((key: { kid: string }) => key.kid)).toContain(decodeProtectedHeader(admin).kid);
  });

  it('should rotate the refresh token and revoke the whole session when an old one is reused', async () => {
    await createUser('rotator');
    const first = (await signIn(sso, 'rotator', 'a-long-enough-password')).body;
    const refresh = (token: string) =>
      sso.app.inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: token } });
    const second = await refresh(first.refreshToken);
    expect(second.statusCode).toBe(200);
    const rotated = second.json();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const reused = await refresh(first.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().code).toBe('INVALID_REFRESH_TOKEN');
    // The reuse revoked the family: the token handed out by the rotation is dead too.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    // Another session of the same user is untouched.
    const other = (await signIn(sso, 'rotator', 'a-long-enough-password')).body;
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('should end the session on logout', async () => {
    await createUser('leaver');
    const session = (await signIn(sso, 'leaver', 'a-long-enough-password')).body;
    const logout = await sso.app.inject({
      method: 'POST',
      url: '/v1/auth/logout',
      payload: { refreshToken: session.refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    const refresh = await sso.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('should end every session and refuse login when a user is disabled', async () => {
    const user = await createUser('disabled-soon');
    const session = (await signIn(sso, 'disabled-soon', 'a-long-enough-password')).body;
    const disabled = await sso.call(
      'PATCH',
      `/v1/users/${user.id}`,
      admin,
      { active: false },
      { 'if-match': `"${user.version}"` },
    );
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    const refresh = await sso.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: session.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    expect((await sso.call('GET', '/v1/me', session.accessToken)).status).toBe(401);
    const login = await signIn(sso, 'disabled-soon', 'a-long-enough-password');
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should answer an unknown user exactly as a wrong password', async () => {
    await createUser('known-user');
    const wrong = await signIn(sso, 'known-user', 'not-the-password', '198.51.100.1');
    const unknown = await signIn(sso, 'nobody-at-all', 'not-the-password', '198.51.100.2');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    const headerNames = (headers: Record<string, unknown>) =>
      Object.keys(headers)
        .filter((name) => !['date', 'x-request-id', 'content-length'].includes(name))
        .sort();
    expect(headerNames(unknown.headers)).toEqual(headerNames(wrong.headers));
  });

  it('should rate limit an account after repeated failures with 429 and Retry-After, for unknown names too', async () => {
    await createUser('guessed');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await signIn(sso, 'guessed', `wrong-${attempt}`, `203.0.113.${attempt}`)).status).toBe(401);
    }
    // The account's ceiling (3 here) holds back the addresses that failed; one that never failed gets in.
    const limited = await signIn(sso, 'guessed', 'a-long-enough-password', '203.0.113.1');
    expect((await signIn(sso, 'guessed', 'a-long-enough-password', '203.0.113.99')).status).toBe(200);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.code).toBe('LOGIN_RATE_LIMITED');
    for (let attempt = 0; attempt < 3; attempt++) await signIn(sso, 'ghost-user', `wrong-${attempt}`);
    expect((await signIn(sso, 'ghost-user', 'whatever')).status).toBe(429);
  });

  it('should rate limit one address trying many accounts', async () => {
    const limited = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_ATTEMPTS_PER_ADDRESS: '4' },
    });
    try {
      for (let attempt = 0; attempt < 4; attempt++) {
        expect((await signIn(limited, `sprayed-${attempt}`, 'password-guess', '203.0.113.200')).status).toBe(
          401,
        );
      }
      const blocked = await signIn(limited, 'admin', ADMIN_PASSWORD, '203.0.113.200');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await signIn(limited, 'admin', ADMIN_PASSWORD, '203.0.113.201')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('should answer 400 naming the field when the login body is incomplete', async () => {
    const response = await sso.app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { username: 'admin' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/body/password' })]);
  });

  it('should keep tokens of the previous key valid and sign new ones with the new key after rotation', async () => {
    const before = (await signIn(sso, 'admin', ADMIN_PASSWORD, '192.0.2.50')).body.accessToken;
    const rotated = await sso.call('POST', '/v1/keys/rotate', admin);
    expect(rotated.status).toBe(200);
    const jwks = (await sso.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const kids = jwks.keys.map((key: { kid: string }) => key.kid);
    expect(kids).toContain(rotated.body.kid);
    expect(kids).toContain(decodeProtectedHeader(before).kid);
    expect((await sso.call('GET', '/v1/me', before)).status).toBe(200);
    const after = (await signIn(sso, 'admin', ADMIN_PASSWORD, '192.0.2.51')).body.accessToken;
    expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid);
    // sso's own verifier refetches its key set at most once a second (the cooldown), then knows the new kid.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await sso.call('GET', '/v1/me', after)).status).toBe(200);
  });

  it('should keep passwords and tokens out of the logs', async () => {
    const lines: string[] = [];
    const logged = await startSso({
      setup: { backend, broker: 'in-process' },
      logger: pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) }),
    });
    try {
      const session = (await signIn(logged, 'admin', ADMIN_PASSWORD)).body;
      await signIn(logged, 'admin', 'a-wrong-password-xyz');
      const refreshed = await logged.app.inject({
        method: 'POST',
        url: '/v1/auth/refresh',
        payload: { refreshToken: session.refreshToken },
      });
      await logged.call('GET', '/v1/me', session.accessToken);
      const client = await logged.call('POST', '/v1/clients', session.accessToken, {
        clientId: 'logged',
        name: 'L',
        scopes: [],
      });
      const text = lines.join('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [
        ADMIN_PASSWORD,
        'a-wrong-password-xyz',
        session.refreshToken,
        session.accessToken,
        refreshed.json().refreshToken,
        client.body.clientSecret,
      ]) {
        expect(text).not.toContain(secret);
      }
      expect(text).toContain('login.failed');
    } finally {
      await logged.close();
    }
  });
});

describe.each(backends)('sso signing keys and a skewed clock on %s', (backend) => {
  it('should sign in when sso’s clock runs an hour ahead of the database’s', async () => {
    // sso writes a key's activation time from its own clock; comparing it with the database's now() left no
    // key signing on a host whose clock ran ahead (login answered 500).
    vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] });
    try {
      const skewed = await startSso({ setup: { backend, broker: 'in-process' } });
      try {
        const response = await signIn(skewed, 'admin', ADMIN_PASSWORD);
        expect(response.status).toBe(200);
        const jwks = await skewed.call('GET', '/.well-known/jwks.json', response.body.accessToken);
        expect((jwks.body as { keys: unknown[] }).keys).toHaveLength(1);
      } finally {
        await skewed.close();
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
