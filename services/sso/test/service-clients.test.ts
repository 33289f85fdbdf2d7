import { afterEach, describe, expect, it } from 'vitest';
import { ssoEvents } from '@lessor/event-catalog';
import { testBackends } from '@lessor/service-kit/testing';
import { parseServiceClients } from '../src/bootstrap/service-clients.ts';
import type { SsoDatabase } from '../src/database.ts';
import { adminToken, startAgain, startSso, type StartedSso } from './fixtures.ts';

const SECRET = 'declared-secret-0123456789abcdef';

describe.each(testBackends())('service clients declared by the deployment on %s', (backend) => {
  let sso: StartedSso | undefined;
  afterEach(async () => {
    await sso?.close();
    sso = undefined;
  });

  const token = (sso: StartedSso, clientId: string, secret: string) =>
    sso.app.inject({
      method: 'POST',
      url: '/v1/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });

  it('should create a declared client with its scopes when sso starts', async () => {
    sso = await startSso({
      setup: { backend, broker: 'in-process' },
      env: {
        SSO_SERVICE_CLIENTS: JSON.stringify([
          { clientId: 'leasing', secret: SECRET, scopes: ['parties:parties:read', 'assets:assets:read'] },
        ]),
      },
    });
    const issued = await token(sso, 'leasing', SECRET);
    expect(issued.statusCode).toBe(200);
    expect(issued.json().scope.split(' ').sort()).toEqual(['assets:assets:read', 'parties:parties:read']);
    expect((await token(sso, 'leasing', `${SECRET}x`)).statusCode).toBe(401);
    const admin = await adminToken(sso);
    const clients = await sso.call('GET', '/v1/clients', admin);
    const leasing = clients.body.items.find((client: { clientId: string }) => client.clientId === 'leasing');
    expect(leasing.createdBy).toBe('system');
  });

  it('should take the new secret and scopes when the declaration changes, and leave it alone when not', async () => {
    const declared = (secret: string, scopes: string[]) => ({
      SSO_SERVICE_CLIENTS: JSON.stringify([{ clientId: 'leasing', secret, scopes }]),
    });
    sso = await startSso({
      setup: { backend, broker: 'in-process' },
      env: declared(SECRET, ['parties:parties:read']),
    });
    const db = sso.db<SsoDatabase>();
    const leasing = () =>
      db.selectFrom('serviceClients').selectAll().where('clientId', '=', 'leasing').executeTakeFirstOrThrow();
    const before = await leasing();
    await startAgain(sso, declared(SECRET, ['parties:parties:read']));
    expect((await leasing()).version).toBe(before.version);
    const rotated = `${SECRET}-rotated`;
    await startAgain(sso, declared(rotated, ['parties:parties:read', 'assets:assets:read']));
    expect((await token(sso, 'leasing', SECRET)).statusCode).toBe(401);
    const issued = await token(sso, 'leasing', rotated);
    expect(issued.statusCode).toBe(200);
    expect(issued.json().scope).toContain('assets:assets:read');
    const updates = await sso.outbox(ssoEvents.serviceClientUpdated);
    expect(updates).toHaveLength(1);
    expect(JSON.stringify(updates[0]!.data)).not.toContain(rotated);
  });
});

describe('parseServiceClients', () => {
  it('should name the problem without echoing the secret when the declaration is bad', () => {
    expect(() => parseServiceClients('{not json')).toThrow(/not valid JSON/);
    const bad = JSON.stringify([{ clientId: 'leasing', secret: 'short-secret', scopes: [] }]);
    expect(() => parseServiceClients(bad)).toThrow(/\/0\/secret/);
    try {
      parseServiceClients(bad);
    } catch (error) {
      expect(String(error)).not.toContain('short-secret');
    }
    expect(parseServiceClients(undefined)).toEqual([]);
  });
});
