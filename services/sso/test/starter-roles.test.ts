import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { sql } from 'kysely';
import { hasPermission } from '@lessor/auth';
import { testBackends } from '@lessor/service-kit/testing';
import { STARTER_ROLES } from '../src/bootstrap/starter-roles.ts';
import { PERMISSION_CATALOG } from '../src/roles/permission-catalog.ts';
import { ADMIN_PASSWORD, adminToken, signIn, startAgain, startSso, type StartedSso } from './fixtures.ts';

const backends = await testBackends();
const PASSWORD = 'a-starter-role-password';
const catalogue = PERMISSION_CATALOG.map((permission) => permission.name);

describe('the starter roles', () => {
  it('should be described, one row each, by the README table', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const role of STARTER_ROLES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${role.name}\``));
      expect(row, role.name).toBeDefined();
      const listed = [...row!.split('|')[3]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      expect(listed, role.name).toEqual(role.permissions);
    }
  });

  it('should grant only permissions the services check', () => {
    for (const role of STARTER_ROLES) {
      for (const permission of role.permissions.filter((grant) => !grant.includes('*'))) {
        expect(catalogue, `${role.name}: ${permission}`).toContain(permission);
      }
    }
  });

  it('should keep the auditor read-only and let it read everything', () => {
    const auditor = STARTER_ROLES.find((role) => role.name === 'auditor')!.permissions;
    for (const permission of catalogue) {
      expect(hasPermission(auditor, permission), permission).toBe(permission.endsWith(':read'));
    }
  });
});

describe.each(backends)('the starter roles on %s', (backend) => {
  let sso: StartedSso;
  let admin: string;

  beforeAll(async () => {
    sso = await startSso({ setup: { backend, broker: 'in-process' } });
    admin = await adminToken(sso);
  });
  afterAll(() => sso.close());

  async function roles() {
    const response = await sso.call('GET', '/v1/roles?limit=100', admin);
    expect(response.status).toBe(200);
    return response.body.items as { id: string; name: string; permissions: string[]; builtIn: boolean }[];
  }

  async function tokenOf(username: string, role: string): Promise<string[]> {
    const roleId = (await roles()).find((candidate) => candidate.name === role)!.id;
    const created = await sso.call('POST', '/v1/users', admin, {
      username,
      fullName: `A ${role}`,
      password: PASSWORD,
      roleIds: [roleId],
    });
    expect(created.status).toBe(201);
    const login = await signIn(sso, username, PASSWORD, '192.0.2.90');
    expect(login.status).toBe(200);
    return decodeJwt(login.body.accessToken).permissions as string[];
  }

  it('should exist after the first start with their permissions, editable, beside the built-in admin', async () => {
    const byName = new Map((await roles()).map((role) => [role.name, role]));
    expect([...byName.keys()].sort()).toEqual(
      ['accountant', 'admin', 'auditor', 'collections', 'risk', 'sales'].sort(),
    );
    for (const starter of STARTER_ROLES) {
      expect(byName.get(starter.name)).toMatchObject({
        builtIn: false,
        permissions: [...starter.permissions].sort(),
      });
    }
    expect(byName.get('admin')).toMatchObject({ builtIn: true, permissions: ['*:*:*'] });
    const created = await sso.outbox('lessor.sso.role.created.v1');
    expect(created.map((event) => (event.data as { after: { name: string } }).after.name).sort()).toEqual(
      ['accountant', 'admin', 'auditor', 'collections', 'risk', 'sales'].sort(),
    );
  });

  it('should let a risk user approve a contract and not a sales user, who may make the draft', async () => {
    const risk = await tokenOf('rita.risk', 'risk');
    const sales = await tokenOf('sam.sales', 'sales');
    expect(hasPermission(risk, 'leasing:contracts:approve')).toBe(true);
    expect(hasPermission(sales, 'leasing:contracts:approve')).toBe(false);
    expect(hasPermission(sales, 'leasing:contracts:write')).toBe(true);
    expect(hasPermission(risk, 'leasing:contracts:write')).toBe(false);
  });

  it('should give the accountant the books, collections the payments, and neither the other’s', async () => {
    const accountant = await tokenOf('anna.accountant', 'accountant');
    const collections = await tokenOf('carl.collections', 'collections');
    expect(hasPermission(accountant, 'finance:entries:write')).toBe(true);
    expect(hasPermission(accountant, 'finance:periods:reopen')).toBe(false);
    expect(hasPermission(collections, 'billing:payments:write')).toBe(true);
    expect(hasPermission(collections, 'finance:entries:write')).toBe(false);
    expect(hasPermission(collections, 'leasing:contracts:approve')).toBe(false);
  });

  it('should leave starter roles as an administrator left them on the next start, and add them to an older installation', async () => {
    const current = await roles();
    const sales = current.find((role) => role.name === 'sales')!;
    const collections = current.find((role) => role.name === 'collections')!;
    const auditor = current.find((role) => role.name === 'auditor')!;
    const etag = (version: number) => ({ 'if-match': `"${version}"` });
    const salesVersion = (await sso.call('GET', `/v1/roles/${sales.id}`, admin)).body.version as number;
    const changed = await sso.call(
      'PATCH',
      `/v1/roles/${sales.id}`,
      admin,
      { permissions: ['leasing:contracts:read'] },
      etag(salesVersion),
    );
    expect(changed.status).toBe(200);
    const collectionsVersion = (await sso.call('GET', `/v1/roles/${collections.id}`, admin)).body.version;
    expect(
      (await sso.call('DELETE', `/v1/roles/${collections.id}`, admin, undefined, etag(collectionsVersion)))
        .status,
    ).toBe(200);

    const restart = async () => {
      await startAgain(sso, { LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD });
    };
    await restart();
    let after = await roles();
    expect(after.find((role) => role.name === 'sales')!.permissions).toEqual(['leasing:contracts:read']);
    expect(after.some((role) => role.name === 'collections')).toBe(false);

    // An installation from before the starter roles: the step has not run, one name is taken by its own role.
    const auditorVersion = (await sso.call('GET', `/v1/roles/${auditor.id}`, admin)).body.version;
    await sso.call('PATCH', `/v1/roles/${auditor.id}`, admin, { name: 'our-auditors' }, etag(auditorVersion));
    await sql`delete from bootstrap_steps`.execute(sso.database.db);
    await restart();
    after = await roles();
    expect(after.find((role) => role.name === 'auditor')!.permissions).toEqual(['*:*:read']);
    expect(after.find((role) => role.name === 'our-auditors')).toBeDefined();
    expect(after.find((role) => role.name === 'sales')!.permissions).toEqual(['leasing:contracts:read']);
    // Deleted roles keep their names taken, so the deleted collections role is not made again either.
    expect(after.some((role) => role.name === 'collections')).toBe(false);
  });
});
