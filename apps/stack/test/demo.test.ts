import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createInProcessTransport, type Transport } from '@lessor/events';
import { eventually } from '@lessor/events/testing';
import { openDatabase, type Database } from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { bootSystem, type BootedSystem } from '../src/boot.ts';
import { DEMO_ASSETS, DEMO_LEASES, DEMO_PARTIES, DEMO_PRODUCTS } from '../src/demo-data.ts';
import { startDemo, type DemoOptions, type DemoState } from '../src/demo.ts';
import { clientEnv, newClientSecrets } from '../src/system.ts';

const ADMIN_PASSWORD = 'demo-test-admin-password';
const silent = pino({ level: 'silent' });

interface Counted {
  products: number;
  parties: number;
  assets: number;
  policies: number;
  calculations: number;
  contracts: number;
}

// Embedded mode only: demo data is what `npm start` shows a new user, on one PGlite and the in-process bus.
describe('demo data on the first embedded start', () => {
  let database: TestDatabase<unknown>;
  const opened: Database<unknown>[] = [];
  let transport: Transport;
  let system: BootedSystem;
  let gateway: string;
  let admin: string;
  let demo: DemoOptions;
  let first: DemoState;

  beforeAll(async () => {
    // One PGlite with a schema per service, as main.ts opens it (from the test snapshot: faster than initdb).
    database = await createTestDatabase<unknown>('pglite', { schema: 'lessor_bus' });
    transport = createInProcessTransport({ db: database.db });
    const secrets = newClientSecrets({ demo: true });
    system = await bootSystem({
      databaseFor: async (schema) => {
        const db = await openDatabase<unknown>({ schema, pglite: database.pglite! });
        opened.push(db);
        return db;
      },
      transportFor: () => transport,
      portFor: () => 0,
      env: { LOG_LEVEL: 'silent', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD, LESSOR_DATA_DIR: '/nonexistent' },
      logger: () => silent,
      clientSecrets: secrets,
    });
    gateway = system.urls.get('gateway')!;
    admin = (await api('POST', '/api/sso/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }))
      .body.accessToken;
    demo = { urls: system.urls, secrets, logger: silent };
  });

  afterAll(async () => {
    await system?.stop();
    await transport?.close();
    for (const db of opened) await db.close();
    await database?.dispose();
  });

  async function api(method: string, path: string, body?: unknown) {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        ...(admin ? { authorization: `Bearer ${admin}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async function items(path: string): Promise<any[]> {
    const answer = await api('GET', `${path}${path.includes('?') ? '&' : '?'}limit=200`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.items;
  }

  async function count(): Promise<Counted> {
    const assets = await items('/api/assets/v1/assets');
    let policies = 0;
    for (const asset of assets)
      policies += (await items(`/api/assets/v1/assets/${asset.id}/insurance-policies`)).length;
    return {
      products: (await items('/api/leasing/v1/products')).length,
      parties: (await items('/api/parties/v1/parties')).length,
      assets: assets.length,
      policies,
      calculations: (await items('/api/leasing/v1/calculations')).length,
      contracts: (await items('/api/leasing/v1/contracts')).length,
    };
  }

  it('should declare no demo clients to sso when demo data is off', () => {
    const declared = JSON.parse(clientEnv('sso', newClientSecrets()).SSO_SERVICE_CLIENTS ?? '[]');
    expect(declared.map((client: { clientId: string }) => client.clientId)).toEqual(['leasing']);
    const withDemo = JSON.parse(clientEnv('sso', newClientSecrets({ demo: true })).SSO_SERVICE_CLIENTS!);
    expect(withDemo.map((client: { clientId: string }) => client.clientId)).toEqual([
      'leasing',
      'demo-sales',
      'demo-risk',
    ]);
    // Risk approves, sales does not: four eyes hold only if the two clients' scopes stay apart.
    const scopes = Object.fromEntries(
      withDemo.map((client: { clientId: string; scopes: string[] }) => [client.clientId, client.scopes]),
    );
    expect(scopes['demo-risk']).toContain('leasing:contracts:approve');
    expect(scopes['demo-sales']).not.toContain('leasing:contracts:approve');
  });

  it('should seed nothing when demo data is off', async () => {
    expect(await startDemo(false, demo)).toEqual({ kind: 'off' });
    expect(await count()).toEqual({
      products: 0,
      parties: 0,
      assets: 0,
      policies: 0,
      calculations: 0,
      contracts: 0,
    });
  });

  it('should make products, parties, assets and contracts in each status when seeding a fresh system', async () => {
    first = await startDemo(true, demo);
    expect(first).toMatchObject({ kind: 'seeded', summary: { failures: [] } });

    const products = await items('/api/leasing/v1/products');
    expect(products.map((product) => product.code).sort()).toEqual(
      DEMO_PRODUCTS.map((product) => product.code).sort(),
    );
    expect(products.find((product) => product.code === 'DEMO-EQUIPMENT').scheduleTypes).toContain('seasonal');

    const parties = await items('/api/parties/v1/parties');
    expect(parties).toHaveLength(DEMO_PARTIES.length);
    expect(new Set(parties.map((party) => party.country))).toEqual(new Set(['DE', 'FR', 'NL', 'IT', 'PL']));
    expect(parties.filter((party) => party.kind === 'person')).toHaveLength(2);
    expect(parties.filter((party) => party.kycStatus === 'pending').map((party) => party.name)).toEqual([
      'Kowalski Transport Sp. z o.o.',
    ]);
    expect(parties.filter((party) => party.kycStatus === 'verified')).toHaveLength(7);

    const assets = await items('/api/assets/v1/assets');
    expect(assets).toHaveLength(DEMO_ASSETS.length);
    expect(assets.find((asset) => asset.make === 'Komatsu')).toMatchObject({
      type: 'construction',
      vin: null,
      serialNumber: 'KMTPC229C55412345',
    });
    expect((await count()).policies).toBe(DEMO_ASSETS.filter((asset) => asset.insurance).length);

    const contracts = await items('/api/leasing/v1/contracts');
    const byStatus: Record<string, number> = {};
    for (const contract of contracts) byStatus[contract.status] = (byStatus[contract.status] ?? 0) + 1;
    expect(byStatus).toEqual({
      draft: 2,
      approved: 1,
      signed: 1,
      active: 3,
      closed: 1,
      terminated: 1,
      rejected: 1,
    });
    expect(first.kind === 'seeded' && first.summary.contracts).toEqual(byStatus);
    expect(new Set(contracts.filter((c) => c.status === 'active').map((c) => c.scheduleType))).toEqual(
      new Set(['annuity', 'differentiated', 'seasonal']),
    );
    // Four eyes: every decided contract was made by sales and decided by risk.
    for (const contract of contracts) {
      expect(contract.createdBy).toBe('client:demo-sales');
      if (!['draft', 'rejected'].includes(contract.status))
        expect(contract.approvedBy).toBe('client:demo-risk');
    }
  });

  it('should record each step on the business date of the demo’s story', async () => {
    const lease = DEMO_LEASES.find((candidate) => candidate.outcome === 'closed')!;
    const closed = (await items('/api/leasing/v1/contracts?status=closed'))[0];
    expect(closed.startDate).toBe(lease.terms.startDate);
    const history = (await api('GET', `/api/leasing/v1/contracts/${closed.id}/history`)).body.items;
    expect(history.map((step: { to: string; businessDate: string }) => [step.to, step.businessDate])).toEqual(
      [
        ['approved', lease.approvedOn],
        ['signed', lease.signedOn],
        ['active', lease.activatedOn],
        ['closed', lease.closed!.on],
      ],
    );
    const terminated = (await items('/api/leasing/v1/contracts?status=terminated'))[0];
    const ended = (await api('GET', `/api/leasing/v1/contracts/${terminated.id}/history`)).body.items.at(-1);
    expect(ended).toMatchObject({ to: 'terminated', businessDate: '2026-10-31' });
  });

  it('should move each contract’s asset as its contract says', async () => {
    const contracts = await items('/api/leasing/v1/contracts');
    const expected: Record<string, string> = {
      draft: 'available',
      approved: 'available',
      rejected: 'available',
      signed: 'reserved',
      active: 'leased',
      closed: 'sold',
      terminated: 'returned',
    };
    await eventually(
      async () => {
        const assets = new Map((await items('/api/assets/v1/assets')).map((asset) => [asset.id, asset]));
        return contracts.every(
          (contract) => assets.get(contract.asset.id)?.status === expected[contract.status],
        );
      },
      { timeoutMs: 30_000, message: 'every demo asset in its contract’s status' },
    );
    const leased = await items('/api/assets/v1/assets?status=leased');
    expect(leased).toHaveLength(3);
  });

  it('should add nothing when the seeding runs a second time', async () => {
    const before = await count();
    const contractsBefore = await items('/api/leasing/v1/contracts');
    const again = await startDemo(true, demo);
    expect(again).toEqual(first);
    expect(await count()).toEqual(before);
    const contractsAfter = await items('/api/leasing/v1/contracts');
    expect(contractsAfter.map((contract) => [contract.id, contract.status, contract.version])).toEqual(
      contractsBefore.map((contract) => [contract.id, contract.status, contract.version]),
    );
  });

  it('should report a failure instead of throwing when the demo clients are not declared', async () => {
    const state = await startDemo(true, { ...demo, secrets: new Map() });
    expect(state).toMatchObject({ kind: 'failed', error: expect.stringContaining('demo-sales') });
  });
});
