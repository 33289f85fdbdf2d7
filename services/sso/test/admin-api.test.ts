import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { testBackends } from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { adminToken, signIn, startSso, type StartedSso } from './fixtures.ts';

const backends = await testBackends();

describe.each(backends)('sso admin API on %s', (backend) => {
  let sso: StartedSso;
  let admin: string;

  beforeAll(async () => {
    sso = await startSso({ setup: { backend, broker: 'in-process' } });
    admin = await adminToken(sso);
  });
  afterAll(() => sso.close());

  it('should answer the typed client of its generated OpenAPI types: create a user, then read it by id', async () => {
    const created = await sso.api<paths>(admin).POST('/v1/users', {
      body: { username: 'typed.user', fullName: 'Typed User', password: 'typed-user-password-1' },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const read = await sso.api<paths>(admin).GET('/v1/users/{id}', {
      params: { path: { id }, query: { includeDeleted: false } },
    });
    expect(read.data).toMatchObject({ id, username: 'typed.user', active: true, roles: [] });
    const anonymous = await sso.api<paths>().GET('/v1/users/{id}', {
      params: { path: { id }, query: { includeDeleted: false } },
    });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('should create, read, search, change, soft delete and restore a user', async () => {
    const created = await sso.call('POST', '/v1/users', admin, {
      username: 'Anna.Keller',
      fullName: 'Anna Keller',
      email: 'anna@example.com',
      password: 'anna-very-secret-1',
    });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      username: 'Anna.Keller',
      active: true,
      version: 1,
      deletedAt: null,
    });
    expect(created.body.passwordHash).toBeUndefined();
    expect(JSON.stringify(created.body)).not.toContain('anna-very-secret-1');
    const id = created.body.id as string;

    const found = await sso.call('GET', '/v1/users?q=kell', admin);
    expect(found.body.items.map((user: { id: string }) => user.id)).toEqual([id]);

    const stale = await sso.call(
      'PATCH',
      `/v1/users/${id}`,
      admin,
      { fullName: 'Anna K.' },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    const changed = await sso.call(
      'PATCH',
      `/v1/users/${id}`,
      admin,
      { fullName: 'Anna K.' },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ fullName: 'Anna K.', version: 2 });

    const removed = await sso.call('DELETE', `/v1/users/${id}`, admin, undefined, { 'if-match': '"2"' });
    expect(removed.status).toBe(200);
    expect(removed.body.deletedAt).not.toBeNull();
    expect((await sso.call('GET', `/v1/users/${id}`, admin)).status).toBe(404);
    expect((await sso.call('GET', '/v1/users?q=kell', admin)).body.items).toEqual([]);
    expect(
      (await sso.call('GET', '/v1/users?q=kell&deleted=only', admin)).body.items.map(
        (user: { id: string }) => user.id,
      ),
    ).toEqual([id]);
    expect((await signIn(sso, 'anna.keller', 'anna-very-secret-1')).status).toBe(401);

    const restored = await sso.call('POST', `/v1/users/${id}/restore`, admin);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    expect((await sso.call('GET', '/v1/users?q=kell', admin)).body.items).toHaveLength(1);
    expect((await signIn(sso, 'anna.keller', 'anna-very-secret-1')).status).toBe(200);
  });

  it('should refuse a second user with the same username in another case', async () => {
    const first = await sso.call('POST', '/v1/users', admin, {
      username: 'dup-user',
      fullName: 'A',
      password: 'long-password-123',
    });
    expect(first.status).toBe(201);
    const second = await sso.call('POST', '/v1/users', admin, {
      username: 'DUP-user',
      fullName: 'B',
      password: 'long-password-123',
    });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('USERNAME_TAKEN');
  });

  it('should answer 400 naming each field when a new user is invalid', async () => {
    const response = await sso.call('POST', '/v1/users', admin, {
      username: 'x',
      password: 'short',
      email: 'not-an-email',
      shoeSize: 44,
    });
    expect(response.status).toBe(400);
    const fields = response.body.errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual([
      '/body/email',
      '/body/fullName',
      '/body/password',
      '/body/shoeSize',
      '/body/username',
    ]);
  });

  it('should deny a user without the permission and allow one with it', async () => {
    const role = await sso.call('POST', '/v1/roles', admin, {
      name: 'user-readers',
      permissions: ['sso:users:read'],
    });
    expect(role.status).toBe(201);
    const user = await sso.call('POST', '/v1/users', admin, {
      username: 'reader',
      fullName: 'Read Only',
      password: 'reader-password-1',
      roleIds: [role.body.id],
    });
    expect(user.body.roles).toEqual([{ id: role.body.id, name: 'user-readers' }]);
    const token = (await signIn(sso, 'reader', 'reader-password-1')).body.accessToken;
    expect(decodeJwt(token).permissions).toEqual(['sso:me:read', 'sso:users:read']);
    expect((await sso.call('GET', '/v1/users', token)).status).toBe(200);
    const denied = await sso.call('POST', '/v1/users', token, {
      username: 'nope',
      fullName: 'N',
      password: 'long-password-123',
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', permission: 'sso:users:write' });
    expect((await sso.call('GET', '/v1/roles', token)).status).toBe(403);
  });

  it('should grant and revoke roles, keeping the revoked grant as history', async () => {
    const role = await sso.call('POST', '/v1/roles', admin, {
      name: 'clerks',
      permissions: ['sso:roles:read'],
    });
    const user = await sso.call('POST', '/v1/users', admin, {
      username: 'clerk',
      fullName: 'C',
      password: 'clerk-password-1',
    });
    const granted = await sso.call('POST', `/v1/users/${user.body.id}/roles`, admin, {
      roleId: role.body.id,
    });
    expect(granted.body.roles.map((r: { name: string }) => r.name)).toEqual(['clerks']);
    const revoked = await sso.call('DELETE', `/v1/users/${user.body.id}/roles/${role.body.id}`, admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body.roles).toEqual([]);
    expect((await sso.call('DELETE', `/v1/users/${user.body.id}/roles/${role.body.id}`, admin)).status).toBe(
      404,
    );
  });

  it('should protect the built-in admin role and the last administrator', async () => {
    const roles = await sso.call('GET', '/v1/roles', admin);
    const adminRole = roles.body.items.find((role: { name: string }) => role.name === 'admin');
    expect(adminRole).toMatchObject({ builtIn: true, permissions: ['*:*:*'] });
    const del = await sso.call('DELETE', `/v1/roles/${adminRole.id}`, admin, undefined, {
      'if-match': `"${adminRole.version}"`,
    });
    expect(del.status).toBe(409);
    expect(del.body.code).toBe('BUILT_IN_ROLE');
    const me = await sso.call('GET', '/v1/me', admin);
    const self = await sso.call('GET', `/v1/users/${me.body.id}`, admin);
    const disable = await sso.call(
      'PATCH',
      `/v1/users/${me.body.id}`,
      admin,
      { active: false },
      { 'if-match': self.headers.etag as string },
    );
    expect(disable.status).toBe(409);
    expect(disable.body.code).toBe('LAST_ADMIN');
  });

  it('should soft delete and restore roles', async () => {
    const role = await sso.call('POST', '/v1/roles', admin, {
      name: 'temporary',
      permissions: ['sso:users:read'],
    });
    const removed = await sso.call('DELETE', `/v1/roles/${role.body.id}`, admin, undefined, {
      'if-match': '"1"',
    });
    expect(removed.status).toBe(200);
    const listed = await sso.call('GET', '/v1/roles?limit=200', admin);
    expect(listed.body.items.map((r: { name: string }) => r.name)).not.toContain('temporary');
    expect((await sso.call('POST', `/v1/roles/${role.body.id}/restore`, admin)).status).toBe(200);
    const again = await sso.call('GET', '/v1/roles?limit=200', admin);
    expect(again.body.items.map((r: { name: string }) => r.name)).toContain('temporary');
  });

  it('should give a service client a token limited to its scopes', async () => {
    const created = await sso.call('POST', '/v1/clients', admin, {
      clientId: 'billing',
      name: 'Billing',
      scopes: ['sso:users:read'],
    });
    expect(created.status).toBe(201);
    const secret = created.body.clientSecret as string;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const read = await sso.call('GET', `/v1/clients/${created.body.id}`, admin);
    expect(read.body.clientSecret).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(secret);

    const tokenRequest = (body: string, basic?: string) =>
      sso.app.inject({
        method: 'POST',
        url: '/v1/oauth/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(basic ? { authorization: `Basic ${basic}` } : {}),
        },
        payload: body,
      });
    const basic = Buffer.from(`billing:${encodeURIComponent(secret)}`).toString('base64');
    const issued = await tokenRequest('grant_type=client_credentials', basic);
    expect(issued.statusCode).toBe(200);
    const { access_token: token, token_type: type, scope } = issued.json();
    expect(type).toBe('Bearer');
    expect(scope).toBe('sso:users:read');
    expect(decodeJwt(token)).toMatchObject({
      sub: 'billing',
      client_id: 'billing',
      permissions: ['sso:users:read'],
    });

    expect((await sso.call('GET', '/v1/users', token)).status).toBe(200);
    expect((await sso.call('GET', '/v1/roles', token)).status).toBe(403);
    expect(
      (
        await sso.call('POST', '/v1/users', token, {
          username: 'byclient',
          fullName: 'X',
          password: 'long-password-123',
        })
      ).status,
    ).toBe(403);

    const widened = await tokenRequest('grant_type=client_credentials&scope=sso:users:write', basic);
    expect(widened.statusCode).toBe(400);
    expect(widened.json().error).toBe('invalid_scope');
    const wrongSecret = await tokenRequest(
      `grant_type=client_credentials&client_id=billing&client_secret=nope`,
    );
    expect(wrongSecret.statusCode).toBe(401);
    expect(wrongSecret.json().error).toBe('invalid_client');
    const password = await tokenRequest('grant_type=password&username=admin', basic);
    expect(password.json().error).toBe('unsupported_grant_type');

    // A rotated secret replaces the old one at once.
    const rotated = await sso.call('POST', `/v1/clients/${created.body.id}/secret`, admin, undefined, {
      'if-match': '"1"',
    });
    expect(rotated.status).toBe(200);
    expect((await tokenRequest('grant_type=client_credentials', basic)).statusCode).toBe(401);
    const newBasic = Buffer.from(`billing:${encodeURIComponent(rotated.body.clientSecret)}`).toString(
      'base64',
    );
    expect((await tokenRequest('grant_type=client_credentials', newBasic)).statusCode).toBe(200);

    // A deleted client gets no token.
    expect(
      (await sso.call('DELETE', `/v1/clients/${created.body.id}`, admin, undefined, { 'if-match': '"2"' }))
        .status,
    ).toBe(200);
    expect((await tokenRequest('grant_type=client_credentials', newBasic)).statusCode).toBe(401);
  });

  it('should list the permission catalogue for role editors', async () => {
    const catalogue = await sso.call('GET', '/v1/permissions', admin);
    expect(catalogue.body.items.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['sso:users:write', 'gateway:services:read']),
    );
  });
});
