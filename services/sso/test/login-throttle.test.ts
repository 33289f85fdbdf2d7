import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventConsumers } from '@lessor/event-catalog';
import { testBackends } from '@lessor/service-kit/testing';
import { sql } from 'kysely';
import { LoginThrottle } from '../src/auth/login-throttle.ts';
import type { SsoDatabase } from '../src/database.ts';
import { adminToken, signIn, startSso, type StartedSso } from './fixtures.ts';

const backends = await testBackends();
const PASSWORD = 'the-owners-own-password';
const ATTACKER = '203.0.113.66';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)('sso login throttling on %s', (backend) => {
  let sso: StartedSso;
  let admin: string;

  beforeAll(async () => {
    // Waits of a minute and more: a wait these tests see engaged does not run out while they look at it (with
    // the default 2 s, a slow machine saw the victim's wait end before the administrator lifted it).
    sso = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_BACKOFF_BASE_SECONDS: '60' },
    });
    admin = await adminToken(sso);
  });
  afterAll(() => sso.close());

  async function createUser(service: StartedSso, token: string, username: string) {
    const response = await service.call('POST', '/v1/users', token, {
      username,
      fullName: `User ${username}`,
      password: PASSWORD,
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; username: string };
  }

  it('should let the owner sign in from another address at once when 150 sign-ins failed from one address', async () => {
    // Waits of a minute and more (the default starts at 2 s): however slow the machine, none runs out during
    // the attack, so exactly the three free failures are checked and every further try is refused unchecked.
    const slowed = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_BACKOFF_BASE_SECONDS: '60' },
    });
    try {
      await attackThenOwner(slowed, await adminToken(slowed));
    } finally {
      await slowed.close();
    }
  });

  async function attackThenOwner(sso: StartedSso, admin: string) {
    await createUser(sso, admin, 'owner');
    const answers: number[] = [];
    for (let attempt = 0; attempt < 150; attempt++) {
      answers.push((await signIn(sso, 'owner', `guess-${attempt}`, ATTACKER)).status);
    }
    const owner = await signIn(sso, 'owner', PASSWORD, '198.51.100.20');
    expect(owner.status).toBe(200);
    expect(typeof owner.body.accessToken).toBe('string');

    // Three free failures, then the attacker's address waits (60 s, 120 s, … here): every further try is refused
    // unchecked, the owner's own password from that address included.
    const failures = answers.filter((status) => status === 401).length;
    expect(answers.slice(0, 3)).toEqual([401, 401, 401]);
    expect(failures).toBe(3);
    expect(answers.filter((status) => status === 429)).toHaveLength(147);

    const refused = await signIn(sso, 'owner', PASSWORD, ATTACKER);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, code: 'LOGIN_RATE_LIMITED' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.retryAfterSeconds).toBe(Number(refused.headers['retry-after']));

    // One audit event per lock (each failure past the free ones), not one per refused try: an attacker
    // would otherwise fill the audit store at request rate.
    const locks = (await sso.outbox('lessor.sso.login.locked.v1')).filter(
      (event) => (event.data as { username: string }).username === 'owner',
    );
    expect(locks).toHaveLength(failures - 2);
    expect(locks[0]!.data).toMatchObject({
      username: 'owner',
      address: ATTACKER,
      scope: 'account-address',
      attempts: 3,
      retryAfterSeconds: 60,
    });
  }

  it('should make an address wait longer after each further failure', async () => {
    const fast = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_BACKOFF_BASE_SECONDS: '1' },
    });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        expect((await signIn(fast, 'admin', `wrong-${attempt}`, ATTACKER)).status).toBe(401);
      }
      const first = await signIn(fast, 'admin', 'wrong-again', ATTACKER);
      expect(first.status).toBe(429);
      expect(first.headers['retry-after']).toBe('1');
      await sleep(1100);
      expect((await signIn(fast, 'admin', 'wrong-fourth', ATTACKER)).status).toBe(401);
      const second = await signIn(fast, 'admin', 'wrong-again', ATTACKER);
      expect(second.status).toBe(429);
      expect(second.headers['retry-after']).toBe('2');
      const locks = await fast.outbox('lessor.sso.login.locked.v1');
      expect(locks.map((event) => (event.data as { retryAfterSeconds: number }).retryAfterSeconds)).toEqual([
        1, 2,
      ]);
      // A success from the address ends its run of failures.
      await sleep(2100);
      const token = await signIn(fast, 'admin', 'correct-horse-battery-staple', ATTACKER);
      expect(token.status).toBe(200);
      expect((await signIn(fast, 'admin', 'one-typo', ATTACKER)).status).toBe(401);
    } finally {
      await fast.close();
    }
  });

  it('should cap failures per account across addresses and still let an address that never failed sign in', async () => {
    const capped = await startSso({
      setup: { backend, broker: 'in-process' },
      env: { SSO_LOGIN_FAILURES_PER_ACCOUNT: '10' },
    });
    try {
      const token = await adminToken(capped);
      await createUser(capped, token, 'popular');
      for (let attempt = 0; attempt < 10; attempt++) {
        expect((await signIn(capped, 'popular', 'spray', `198.18.0.${attempt}`)).status).toBe(401);
      }
      // The ceiling is reached: an address that failed once is held back, though it has free failures left.
      const held = await signIn(capped, 'popular', PASSWORD, '198.18.0.1');
      expect(held.status).toBe(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(3000);
      // The owner at an address that has not failed is let in.
      expect((await signIn(capped, 'popular', PASSWORD, '198.18.1.1')).status).toBe(200);
      // A new address gets one try: a wrong password, and it is held back too.
      expect((await signIn(capped, 'popular', 'spray', '198.18.2.1')).status).toBe(401);
      expect((await signIn(capped, 'popular', PASSWORD, '198.18.2.1')).status).toBe(429);
      const account = (await capped.outbox('lessor.sso.login.locked.v1')).filter(
        (event) => (event.data as { scope: string }).scope === 'account',
      );
      expect(account).toHaveLength(1);
      expect(account[0]!.data).toMatchObject({ username: 'popular', attempts: 10 });
    } finally {
      await capped.close();
    }
  });

  it('should show the throttling to an administrator, lift it, and let the address try again', async () => {
    const victim = await createUser(sso, admin, 'victim');
    for (let attempt = 0; attempt < 4; attempt++) await signIn(sso, 'victim', `guess-${attempt}`, ATTACKER);
    expect((await signIn(sso, 'victim', 'guess', ATTACKER)).status).toBe(429);

    const status = await sso.call('GET', `/v1/users/${victim.id}/login-throttle`, admin);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ throttled: true, ceilingReached: false, failures: 3 });
    expect(status.body.addresses).toEqual([
      expect.objectContaining({ address: ATTACKER, failures: 3, retryAfterSeconds: expect.any(Number) }),
    ]);

    const readOnly = await createUser(sso, admin, 'reader');
    const role = await sso.call('POST', '/v1/roles', admin, {
      name: 'user-readers',
      permissions: ['sso:users:read'],
    });
    await sso.call('POST', `/v1/users/${readOnly.id}/roles`, admin, { roleId: role.body.id });
    const reader = (await signIn(sso, 'reader', PASSWORD, '192.0.2.77')).body.accessToken as string;
    expect((await sso.call('GET', `/v1/users/${victim.id}/login-throttle`, reader)).status).toBe(200);
    const refused = await sso.call('POST', `/v1/users/${victim.id}/unlock`, reader);
    expect(refused.status).toBe(403);

    const lifted = await sso.call('POST', `/v1/users/${victim.id}/unlock`, admin);
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ throttled: false, failures: 0, addresses: [] });
    expect((await signIn(sso, 'victim', 'guess-again', ATTACKER)).status).toBe(401);

    const adminId = (await sso.call('GET', '/v1/me', admin)).body.id as string;
    const lifts = await sso.outbox('lessor.sso.login.unlocked.v1');
    expect(lifts).toHaveLength(1);
    expect(lifts[0]).toMatchObject({
      subject: victim.id,
      actor: adminId,
      data: { userId: victim.id, username: 'victim', addresses: 1 },
    });
    // audit's queue is bound to both, so it keeps every lock and every lift.
    const audit = eventConsumers.find((consumer) => consumer.service === 'audit')!;
    expect(audit.types).toEqual(
      expect.arrayContaining(['lessor.sso.login.locked.v1', 'lessor.sso.login.unlocked.v1']),
    );
    const missing = await sso.call('POST', '/v1/users/0195f3c0-0000-7000-8000-000000000000/unlock', admin);
    expect(missing.status).toBe(404);
  });

  it('should not let a direct client choose its address with X-Forwarded-For, but take it from the gateway', async () => {
    await createUser(sso, admin, 'spoofed');
    const direct = (forwardedFor: string) =>
      sso.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress: '203.0.113.90',
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { username: 'spoofed', password: 'wrong-password' },
      });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++)
      statuses.push((await direct(`10.9.8.${attempt}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);

    // The gateway (on loopback, a trusted proxy by default) says who its client was.
    const viaGateway = (client: string, password = 'wrong-password') =>
      sso.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': `6.6.6.6, ${client}` },
        payload: { username: 'spoofed', password },
      });
    for (let attempt = 0; attempt < 3; attempt++) await viaGateway('198.51.100.31');
    expect((await viaGateway('198.51.100.31')).statusCode).toBe(429);
    expect((await viaGateway('198.51.100.32', PASSWORD)).statusCode).toBe(200);
    const locks = (await sso.outbox('lessor.sso.login.locked.v1')).filter(
      (event) => (event.data as { username: string }).username === 'spoofed',
    );
    expect(locks.map((event) => (event.data as { address: string }).address)).toEqual([
      '203.0.113.90',
      '198.51.100.31',
    ]);
  });

  it('should prune sign-in attempts older than the windows, and with them the waits they caused', async () => {
    await createUser(sso, admin, 'pruned');
    for (let attempt = 0; attempt < 3; attempt++) await signIn(sso, 'pruned', `guess-${attempt}`, ATTACKER);
    expect((await signIn(sso, 'pruned', 'guess', ATTACKER)).status).toBe(429);
    await signIn(sso, 'admin', 'a-recent-wrong-password', '192.0.2.200');
    // The attacker's three failures happened two days ago.
    await sql`update login_attempts set at = now() - interval '2 days' where username = 'pruned'`.execute(
      sso.database.db,
    );

    const throttle = new LoginThrottle(sso.db<SsoDatabase>(), {
      freeFailures: 3,
      backoffBaseSeconds: 2,
      backoffMaxSeconds: 900,
      failuresPerAccount: 100,
      accountWindowSeconds: 3600,
      attemptsPerAddress: 1000,
      addressWindowSeconds: 60,
    });
    expect(await throttle.prune(2)).toBe(3);
    const left = await sso
      .db<SsoDatabase>()
      .selectFrom('loginAttempts')
      .select(['username', 'address'])
      .where((eb) => eb.or([eb('username', '=', 'pruned'), eb('address', '=', '192.0.2.200')]))
      .execute();
    expect(left).toEqual([{ username: 'admin', address: '192.0.2.200' }]);
    expect(await throttle.prune()).toBe(0);
    expect((await signIn(sso, 'pruned', 'guess-again', ATTACKER)).status).toBe(401);
  });
});
