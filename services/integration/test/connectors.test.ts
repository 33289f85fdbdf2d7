import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveKeySet } from '@lessor/auth/testing';
import { buildService, openDatabase, type ServiceApp } from '@lessor/service-kit';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import { GENERATED_KEY_FILE } from '../src/crypto/key-source.ts';
import type { IntegrationDatabase } from '../src/database.ts';
import { integrationService } from '../src/integration.service.ts';
import { startODataPeer, type ODataPeer } from './peers/index.ts';

/**
 * Connectors through the API, on a real PostgreSQL, tested against the real CAP peer (test/peers): CRUD with
 * ETags and soft delete, bad input named by field, permissions, credentials that never come back (API, events,
 * log, database) and the connection test against a peer that answers, refuses and is not there.
 */
const PEER_SECRET = 'peer-secret';
const KEY = randomBytes(32).toString('base64');
const WRONG_SECRET = 'not-the-secret-7f3a';

describe('integration: connectors', () => {
  let peer: ODataPeer;
  let service: TestServices & TestService;
  let admin: string;
  let reader: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    peer = await startODataPeer({ accounts: 20, businessPartners: 20 });
    service = await startTestService(integrationService, {
      env: {
        INTEGRATION_CREDENTIALS_KEY: KEY,
        INTEGRATION_OUTBOUND_DEADLINE_MS: '5000',
      },
      logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    });
    admin = await service.token(['integration:connectors:read', 'integration:connectors:write']);
    reader = await service.token(['integration:connectors:read']);
  }, 120_000);
  afterAll(async () => {
    await service?.close();
    await peer?.stop();
  });

  const dynamics = (changes: Record<string, unknown> = {}) => ({
    name: `Dynamics ${randomBytes(4).toString('hex')}`,
    kind: 'crm',
    protocol: 'odata-v4',
    baseUrl: peer.dynamics,
    auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: 'lessor', clientSecret: PEER_SECRET },
    mapping: { preset: 'dynamics' },
    ...changes,
  });
  const sap = (changes: Record<string, unknown> = {}) => ({
    name: `SAP ${randomBytes(4).toString('hex')}`,
    kind: 'crm',
    protocol: 'odata-v2',
    baseUrl: peer.sap,
    auth: { kind: 'basic', username: peer.basic.username, password: peer.basic.password },
    mapping: { preset: 'sap-business-partner' },
    schedule: '*/15 * * * *',
    ...changes,
  });
  const create = (body: unknown, token = admin, headers?: Record<string, string>) =>
    service.call('POST', '/v1/connectors', token, body, headers);

  it('should create a connector with its preset mapping, show credentialsSet and never the secret', async () => {
    const created = await create(dynamics());
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/connectors/${created.body.id}`);
    expect(created.body).toMatchObject({
      kind: 'crm',
      protocol: 'odata-v4',
      auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: 'lessor' },
      credentialsSet: true,
      mapping: { preset: 'dynamics', inbound: { entitySet: 'accounts', modifiedField: 'modifiedon' } },
      schedule: null,
      enabled: true,
      watermark: null,
      lastRun: null,
      version: 1,
    });
    const read = await service.call('GET', `/v1/connectors/${created.body.id}`, reader);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const listed = await service.call('GET', '/v1/connectors?kind=crm&limit=200', reader);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
    for (const answer of [created, read, listed])
      expect(JSON.stringify(answer.body)).not.toContain(PEER_SECRET);
  });

  it('should keep the secret sealed in the database and out of the events and the log', async () => {
    const created = await create(
      sap({ auth: { kind: 'basic', username: 'lessor', password: WRONG_SECRET } }),
    );
    expect(created.status).toBe(201);
    expect(created.body.nextRunAt).toMatch(/:(00|15|30|45):00\.000Z$/);
    const row = await service
      .db<IntegrationDatabase>()
      .selectFrom('connectors')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.credentialsKeyId).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(row)).not.toContain(WRONG_SECRET);
    const [event] = (await service.outbox('lessor.integration.connector.created.v1')).filter(
      (envelope) => envelope.subject === created.body.id,
    );
    expect(event!.data).toMatchObject({ after: { authKind: 'basic', schedule: '*/15 * * * *' } });
    expect(JSON.stringify(event)).not.toContain(WRONG_SECRET);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(WRONG_SECRET);
  });

  it('should change a connector with If-Match, keep its secret when left out, and refuse a stale ETag', async () => {
    const created = await create(sap());
    const id = created.body.id as string;
    const patch = (body: unknown, etag: string) =>
      service.call('PATCH', `/v1/connectors/${id}`, admin, body, { 'if-match': etag });
    const renamed = await patch(
      { name: `${created.body.name} (prod)`, schedule: null, enabled: false },
      '"1"',
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ version: 2, schedule: null, nextRunAt: null, enabled: false });
    const sameKind = await patch({ auth: { kind: 'basic', username: 'other' } }, '"2"');
    expect(sameKind.status).toBe(200);
    expect(sameKind.body).toMatchObject({ auth: { kind: 'basic', username: 'other' }, credentialsSet: true });
    const stale = await patch({ enabled: true }, '"1"');
    expect(stale.status).toBe(412);
    const without = await service.call('PATCH', `/v1/connectors/${id}`, admin, { enabled: true });
    expect(without.status).toBe(428);
    const none = await patch({ auth: { kind: 'none' } }, '"3"');
    expect(none.body).toMatchObject({ auth: { kind: 'none' }, credentialsSet: false });
  });

  it('should refuse a second live connector of the same name, and a restore that would make one', async () => {
    const first = await create(dynamics());
    const again = await create(dynamics({ name: first.body.name.toUpperCase() }));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INTEGRATION_CONNECTOR_NAME_TAKEN');

    const deleted = await service.call('DELETE', `/v1/connectors/${first.body.id}`, admin, undefined, {
      'if-match': '"1"',
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await service.call('GET', `/v1/connectors/${first.body.id}`, reader)).status).toBe(404);
    const reused = await create(dynamics({ name: first.body.name }));
    expect(reused.status).toBe(201);
    const restore = await service.call('POST', `/v1/connectors/${first.body.id}/restore`, admin);
    expect(restore.status).toBe(409);
    expect(restore.body.code).toBe('INTEGRATION_CONNECTOR_NAME_TAKEN');

    await service.call('DELETE', `/v1/connectors/${reused.body.id}`, admin, undefined, { 'if-match': '"1"' });
    const restored = await service.call('POST', `/v1/connectors/${first.body.id}/restore`, admin);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, version: 3 });
    const types = (await service.outbox()).filter((e) => e.subject === first.body.id).map((e) => e.type);
    expect(types).toEqual([
      'lessor.integration.connector.created.v1',
      'lessor.integration.connector.deleted.v1',
      'lessor.integration.connector.restored.v1',
    ]);
  });

  it('should answer a replay of the first answer when the Idempotency-Key repeats', async () => {
    const body = dynamics();
    const headers = { 'idempotency-key': `connector-${randomBytes(6).toString('hex')}` };
    const first = await create(body, admin, headers);
    const second = await create(body, admin, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
  });

  it.each([
    ['no name', { name: undefined }, '/body/name'],
    ['an unknown kind', { kind: 'erp' }, '/body/kind'],
    ['a base URL that is not http', { baseUrl: 'ftp://crm.example.com/odata/' }, '/body/baseUrl'],
    ['a base URL with a query', { baseUrl: 'https://crm.example.com/odata/?x=1' }, '/body/baseUrl'],
    ['basic auth without its password', { auth: { kind: 'basic', username: 'u' } }, '/body/auth/password'],
    [
      'oauth2 without its client secret',
      { auth: { kind: 'oauth2', tokenUrl: 'https://login.example.com/token', clientId: 'c' } },
      '/body/auth/clientSecret',
    ],
    ['a schedule that is not cron', { schedule: 'every hour please' }, '/body/schedule'],
    ['an unknown preset', { mapping: { preset: 'salesforce' } }, '/body/mapping/preset'],
    [
      'a mapping field that is not a name',
      {
        mapping: {
          preset: 'custom',
          inbound: { entitySet: 'accounts', key: 'id', modifiedField: 'modified on', fields: {} },
        },
      },
      '/body/mapping/inbound/modifiedField',
    ],
    ['a CRM without an inbound mapping', { mapping: { preset: 'accounting' } }, '/body/mapping/inbound'],
    ['an unknown field', { colour: 'red' }, '/body/colour'],
  ])('should refuse %s with 400 naming the field', async (_name, change, field) => {
    const body: Record<string, unknown> = dynamics(change);
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete body[key];
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('should refuse a caller without a token (401) and a reader writing (403)', async () => {
    expect((await service.call('GET', '/v1/connectors', undefined)).status).toBe(401);
    expect((await create(dynamics(), reader)).status).toBe(403);
    const created = await create(dynamics());
    expect((await service.call('POST', `/v1/connectors/${created.body.id}/test`, reader)).status).toBe(403);
  });

  it('should test a connection that works, over v4 with OAuth2 and over v2 with basic auth', async () => {
    for (const body of [dynamics(), sap()]) {
      const created = await create(body);
      const tested = await service.call('POST', `/v1/connectors/${created.body.id}/test`, admin);
      expect(tested.status).toBe(200);
      expect(tested.body).toMatchObject({ ok: true, status: 200 });
      expect(tested.body.durationMs).toBeGreaterThanOrEqual(0);
    }
    const kinds = (await peer.control.requests()).map((request) => request.auth);
    expect(kinds).toEqual(expect.arrayContaining(['bearer', 'basic']));
  });

  it('should report a connection refused (wrong secret) and one unreachable, with the reason', async () => {
    const refused = await create(
      dynamics({
        auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: 'lessor', clientSecret: WRONG_SECRET },
      }),
    );
    const refusedTest = await service.call('POST', `/v1/connectors/${refused.body.id}/test`, admin);
    expect(refusedTest.status).toBe(200);
    expect(refusedTest.body.ok).toBe(false);
    expect(refusedTest.body.status).toBe(401);
    expect(refusedTest.body.message).not.toContain(WRONG_SECRET);

    const unreachable = await create(dynamics({ baseUrl: 'http://127.0.0.1:9/odata/v4/dynamics/' }));
    const unreachableTest = await service.call('POST', `/v1/connectors/${unreachable.body.id}/test`, admin);
    expect(unreachableTest.status).toBe(200);
    expect(unreachableTest.body).toMatchObject({ ok: false, status: null });
    expect(unreachableTest.body.message.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(WRONG_SECRET);
  });

  it('should test changed settings before they are saved, with the stored secret, and settings of a new one', async () => {
    const created = await create(dynamics({ baseUrl: 'http://127.0.0.1:9/odata/v4/dynamics/' }));
    const withFix = await service.call('POST', `/v1/connectors/${created.body.id}/test`, admin, {
      baseUrl: peer.dynamics,
    });
    expect(withFix.body).toMatchObject({ ok: true, status: 200 });
    expect((await service.call('GET', `/v1/connectors/${created.body.id}`, reader)).body.baseUrl).not.toBe(
      peer.dynamics,
    );
    const unsaved = await service.call('POST', '/v1/connector-tests', admin, {
      protocol: 'odata-v2',
      baseUrl: peer.sap,
      auth: { kind: 'basic', username: peer.basic.username, password: peer.basic.password },
    });
    expect(unsaved.body).toMatchObject({ ok: true, status: 200 });
  });
  /** Integration started again on the same database with other keys (its own pool), ready: as after a restart. */
  async function restartedWith(env: Record<string, string>): Promise<ServiceApp> {
    const keys = await serveKeySet(service.issuer);
    const database = await openDatabase<unknown>({
      schema: 'integration',
      url: service.database.url,
      poolSize: 3,
    });
    const app = await buildService(integrationService, {
      env: {
        PORT: '0',
        LOG_LEVEL: 'silent',
        SSO_JWKS_URL: keys.jwksUrl,
        INTEGRATION_SCHEDULER_TICK_MS: '3600000',
        ...env,
      },
      database,
      transport: service.app.events?.transport,
      logger: pino({ level: 'silent' }),
    });
    app.addHook('onClose', () => keys.close());
    await app.ready();
    return app;
  }

  // Last: the service under test keeps only the old key, so what this test moves it can no longer open.
  it('should move every sealed credential to a new key at start (rotation); then the new key alone opens them', async () => {
    const created = await create(dynamics());
    const newKey = randomBytes(32).toString('base64');
    const rotating = await restartedWith({ INTEGRATION_CREDENTIALS_KEYS: `2027-01:${newKey},${KEY}` });
    await rotating.close();
    const keyIds = await service
      .db<IntegrationDatabase>()
      .selectFrom('connectors')
      .select('credentialsKeyId')
      .where('credentialsKeyId', 'is not', null)
      .execute();
    expect(keyIds.length).toBeGreaterThan(1);
    expect(new Set(keyIds.map((row) => row.credentialsKeyId))).toEqual(new Set(['2027-01']));

    const newOnly = await restartedWith({ INTEGRATION_CREDENTIALS_KEYS: `2027-01:${newKey}` });
    try {
      const tested = await newOnly.inject({
        method: 'POST',
        url: `/v1/connectors/${created.body.id}/test`,
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(tested.json()).toMatchObject({ ok: true, status: 200 });
    } finally {
      await newOnly.close();
    }
    const oldOnly = await service.call('POST', `/v1/connectors/${created.body.id}/test`, admin);
    expect(oldOnly.status).toBe(503);
    expect(oldOnly.body.code).toBe('INTEGRATION_CREDENTIALS_UNREADABLE');
  });
});

describe('integration: where the credentials key comes from', () => {
  const aBasicConnector = (password?: string) => ({
    name: `Basic ${randomBytes(4).toString('hex')}`,
    kind: 'crm',
    protocol: 'odata-v2',
    baseUrl: 'http://127.0.0.1:9/sap/opu/odata/sap/API_BUSINESS_PARTNER/',
    auth: password ? { kind: 'basic', username: 'lessor', password } : { kind: 'none' },
    mapping: { preset: 'sap-business-partner' },
  });

  it('should generate a key once into the data directory when npm start gives none, and seal with it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'integration-data-'));
    const started = await startTestService(integrationService, { env: { LESSOR_DATA_DIR: dataDir } });
    try {
      const token = await started.token(['integration:connectors:write', 'integration:connectors:read']);
      const created = await started.call('POST', '/v1/connectors', token, aBasicConnector('pw-123456'));
      expect(created.status).toBe(201);
      expect(created.body.credentialsSet).toBe(true);
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the test's temporary data directory
      expect((await stat(join(dataDir, GENERATED_KEY_FILE))).mode & 0o777).toBe(0o600);
    } finally {
      await started.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should refuse credentials on PostgreSQL without a key (503), and take connectors without any', async () => {
    const started = await startTestService(integrationService, {
      env: { DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused' },
    });
    try {
      const token = await started.token(['integration:connectors:write']);
      const refused = await started.call('POST', '/v1/connectors', token, aBasicConnector('pw-123456'));
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('INTEGRATION_CREDENTIALS_KEY_MISSING');
      expect((await started.call('POST', '/v1/connectors', token, aBasicConnector())).status).toBe(201);
    } finally {
      await started.close();
    }
  });
});
