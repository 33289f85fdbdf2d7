import { afterEach, describe, expect, it } from 'vitest';
import { testBackends } from '@lessor/service-kit/testing';
import { parseServiceClients } from '../src/bootstrap/service-clients.ts';
import { startSso, type SsoHarness } from './harness.ts';

const SECRET = 'declared-secret-0123456789abcdef';

describe.each(testBackends())('service clients declared by the deployment on %s', (backend) => {
  let sso: SsoHarness | undefined;
  afterEach(async () => {
    await sso?.close();
    sso = undefined;
  });

  const token = (harness: SsoHarness, clientId: string, secret: string) =>
    harness.app.inject({
      method: 'POST',
      url: '/v1/oauth/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${encodeURIComponent(secret)}`).toString('base64')}`,
      },
      payload: 'grant_type=client_credentials',
    });

  it('should create a declared client with its scopes when sso starts', async () => {
    sso = await startSso(backend, {
      SSO_SERVICE_CLIENTS: JSON.stringify([
        { clientId: 'leasing', secret: SECRET, scopes: ['parties:parties:read', 'assets:assets:read'] },
      ]),
    });
    const issued = await token(sso, 'leasing', SECRET);
    expect(issued.statusCode).toBe(200);
    expect(issued.json().scope.split(' ').sort()).toEqual(['assets:assets:read', 'parties:parties:read']);
    expect((await token(sso, 'leasing', `${SECRET}x`)).statusCode).toBe(401);
    const admin = await sso.adminToken();
    const clients = await sso.call('GET', '/v1/clients', admin);
    const leasing = clients.body.items.find((client: { clientId: string }) => client.clientId === 'leasing');
    expect(leasing.createdBy).toBe('system');
  });

  it('should take the new secret and scopes when the declaration changes, and leave it alone when not', async () => {
    sso = await startSso(backend, {
      SSO_SERVICE_CLIENTS: JSON.stringify([
        { clientId: 'leasing', secret: SECRET, scopes: ['parties:parties:read'] },
      ]),
    });
    const db = sso.app.database.db as any;
    const { ensureServiceClients } = await import('../src/bootstrap/service-clients.ts');
    const { SsoEvents } = await import('../src/sso.events.ts');
    const events = new SsoEvents(sso.app.events!);
    const before = await db
      .selectFrom('serviceClients')
      .selectAll()
      .where('clientId', '=', 'leasing')
      .executeTakeFirst();
    await ensureServiceClients(db, events, [
      { clientId: 'leasing', secret: SECRET, scopes: ['parties:parties:read'] },
    ]);
    const same = await db
      .selectFrom('serviceClients')
      .selectAll()
      .where('clientId', '=', 'leasing')
      .executeTakeFirst();
    expect(same.version).toBe(before.version);
    const rotated = `${SECRET}-rotated`;
    await ensureServiceClients(db, events, [
      { clientId: 'leasing', secret: rotated, scopes: ['parties:parties:read', 'assets:assets:read'] },
    ]);
    expect((await token(sso, 'leasing', SECRET)).statusCode).toBe(401);
    const issued = await token(sso, 'leasing', rotated);
    expect(issued.statusCode).toBe(200);
    expect(issued.json().scope).toContain('assets:assets:read');
    const { readOutbox } = await import('@lessor/events/testing');
    const updates = await readOutbox(db, { type: 'lessor.sso.service-client.updated.v1' });
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
