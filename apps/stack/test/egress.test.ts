import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createInProcessTransport, type Transport } from '@lessor/events';
import {
  createServiceClient,
  EgressRefusedError,
  isEgressGuarded,
  type ServiceClient,
} from '@lessor/http-client';
import { startOutsideHost, type OutsideHost } from '@lessor/http-client/testing';
import {
  buildService,
  openDatabase,
  type AnyServiceDefinition,
  type Database,
  type ServiceApp,
} from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv } from '../src/system.ts';

/**
 * Issue 15 item 7, ADR 26: only integration talks to hosts outside Lessor. Every service of the system list is
 * built by the kit, as `npm start` builds it (wired to those before it), and then shown to refuse an outside
 * host — its own service clients, a new client, a plain `fetch` and node:http — before any connection, while
 * Lessor's services still answer. integration is built first: it installs no guard and reaches the outside
 * host. (The guard is process-wide and one-way, so from the first service without egress on, the process is
 * guarded, as the embedded stack is; integration's outside client carries its own dispatcher.)
 */

const withEgress = SYSTEM.filter(({ definition }) => definition.egress !== undefined);
const withoutEgress = SYSTEM.filter(({ definition }) => definition.egress === undefined);

let outside: OutsideHost;
let bus: TestDatabase<unknown>;
let transport: Transport;
const secrets = newClientSecrets();
const urls = new Map<string, string>();
const apps: ServiceApp[] = [];
const databases: Database<unknown>[] = [];
/** The clients the kit gave each service's build. */
const clientsOf = new Map<string, Record<string, ServiceClient>>();

/** Builds one service of the system list by the kit, wired to those before it, on a free port. */
async function start(definition: AnyServiceDefinition): Promise<string> {
  const database = await openDatabase<unknown>({ schema: definition.name, url: bus.url! });
  databases.push(database);
  // The same definition, its build seen on the way: what the kit constructed for it.
  const seen: AnyServiceDefinition = {
    ...definition,
    build: (context) => {
      clientsOf.set(definition.name, context.clients as Record<string, ServiceClient>);
      return definition.build(context);
    },
  };
  const app = await buildService(seen, {
    env: {
      LOG_LEVEL: 'silent',
      LESSOR_DATA_DIR: '/nonexistent',
      LESSOR_ADMIN_PASSWORD: 'egress-admin-password',
      ...wiringEnv(urls),
      ...clientEnv(definition.name, secrets),
      HOST: '127.0.0.1',
      PORT: '0',
    },
    database,
    transport: definition.withoutEvents ? undefined : transport,
    logger: pino({ level: 'silent' }),
  });
  apps.push(app);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  urls.set(definition.name, url);
  return url;
}

/** The EgressRefusedError behind a failure (`fetch failed` carries it as its cause). */
function refusalOf(error: unknown): EgressRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    if (current instanceof EgressRefusedError) return current;
    current = current.cause;
  }
  return undefined;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection, got an answer'),
    (error: unknown) => error,
  );
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  outside = await startOutsideHost();
  bus = await createTestDatabase<unknown>('postgres', { schema: 'lessor_bus' });
  transport = createInProcessTransport({ db: bus.db });
});

afterAll(async () => {
  for (const app of apps.reverse()) await app.close().catch(() => {});
  for (const database of databases) await database.close();
  await bus?.dispose();
  await outside?.close();
});

describe('egress (ADR 26)', () => {
  it('should have integration, and only integration, defined with egress', () => {
    expect(withEgress.map(({ name }) => name)).toEqual(['integration']);
  });

  it.each(withEgress.map(({ definition }) => [definition.name, definition] as const))(
    '%s: may reach an outside host — its build installs no guard',
    async (_name, definition) => {
      await start(definition);

      expect(isEgressGuarded()).toBe(false);
      if (!outside.reachable) return; // no non-loopback interface here: nothing outside to reach
      const response = await fetch(`${outside.origin}/`);
      expect(response.status).toBe(200);
      expect(outside.connections()).toBeGreaterThan(0);
    },
  );

  it.each(withoutEgress.map(({ definition }) => [definition.name, definition] as const))(
    '%s: refuses an outside host (its clients, a new client, fetch, node:http) before any connection',
    async (name, definition) => {
      const url = await start(definition);
      const before = outside.connections();

      expect(isEgressGuarded()).toBe(true);
      // Its own clients (one per called service): a path that names another host is egress.
      for (const [called, client] of Object.entries(clientsOf.get(name) ?? {})) {
        const error = await rejectionOf(client.get(`${outside.origin}/v1/${called}`));
        expect(error, `${name}'s client of ${called}`).toBeInstanceOf(EgressRefusedError);
      }
      const newClient = thrownBy(() => createServiceClient({ service: 'crm', baseUrl: outside.origin }));
      expect(newClient).toBeInstanceOf(EgressRefusedError);
      const viaFetch = await rejectionOf(fetch(`${outside.origin}/accounts`));
      expect(refusalOf(viaFetch)?.code).toBe('LESSOR_EGRESS_REFUSED');
      const viaHttp = await rejectionOf(httpGet(`${outside.origin}/accounts`));
      expect(refusalOf(viaHttp)?.caller).toBe('node:http');
      expect(outside.connections()).toBe(before);
      // Lessor's services still answer: itself, and every one before it in the system list.
      for (const lessor of urls.values()) expect((await fetch(`${lessor}/health/live`)).status).toBe(200);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    },
  );
});
