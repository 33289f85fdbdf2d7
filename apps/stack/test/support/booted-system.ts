import { consumingServices } from '@lessor/event-catalog';
import { createInProcessTransport, createRabbitTransport, type Transport } from '@lessor/events';
import { deleteTestNamespace, testAmqpUrl } from '@lessor/events/testing';
import { openDatabase, type Database } from '@lessor/service-kit';
import {
  createTestDatabase,
  testBackends,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { pino } from 'pino';
import { bootSystem, type BootedSystem } from '../../src/boot.ts';
import { systemSchemas } from './system-schemas.ts';

export const ADMIN_PASSWORD = 'booted-admin-password';

export interface Setup {
  backend: Backend;
  broker: 'in-process' | 'rabbitmq';
}

/** On PostgreSQL: embedded (the in-process bus) always; distributed (RabbitMQ) when it answers. */
export function systemSetups(): Setup[] {
  const amqpUrl = testAmqpUrl();
  const setups: Setup[] = [];
  for (const backend of testBackends()) {
    setups.push({ backend, broker: 'in-process' });
    if (amqpUrl) setups.push({ backend, broker: 'rabbitmq' });
  }
  return setups;
}

export interface Answer {
  status: number;
  body: any;
}

/** The whole system booted in this process for a test, driven through the gateway. */
export interface BootedForTest {
  system: BootedSystem;
  database: TestDatabase<unknown>;
  /** A call through the gateway, JSON in and out. */
  api(method: string, path: string, token?: string, body?: unknown): Promise<Answer>;
  login(username: string, password: string): Promise<string>;
  /** A user with a role of these permissions; answers their token and id. */
  user(username: string, permissions: string[], admin: string): Promise<{ token: string; id: string }>;
  close(): Promise<void>;
}

/**
 * Boots every service of SYSTEM as `npm start` does (bootSystem), on a test database (a schema per service)
 * and the setup's transport, with generous deadlines: these tests are about what happens, not how fast.
 */
export async function bootForTest(
  setup: Setup,
  envFor: Record<string, Record<string, string>> = {},
): Promise<BootedForTest> {
  const amqpUrl = testAmqpUrl();
  const namespace = `test-sys-${Date.now().toString(36)}`;
  const database = await createTestDatabase<unknown>(setup.backend, {
    schema: 'lessor_bus',
    alsoMigrated: systemSchemas(),
  });
  const opened: Database<unknown>[] = [];
  const transports: Transport[] = [];
  const bus = setup.broker === 'in-process' ? createInProcessTransport({ db: database.db }) : undefined;
  if (bus) transports.push(bus);
  const defaults: Record<string, Record<string, string>> = {
    leasing: { UPSTREAM_DEADLINE_MS: '3000', REFERENCE_FRESH_MS: '0' },
    gateway: { GATEWAY_COMPOSE_DEADLINE_MS: '3000' },
  };
  const system = await bootSystem({
    databaseFor: async (schema) => {
      const db = await openDatabase<unknown>({ schema, url: database.url });
      opened.push(db);
      return db;
    },
    transportFor: (service) => {
      if (bus) return bus;
      const transport = createRabbitTransport({ url: amqpUrl!, namespace, connectionName: service });
      transports.push(transport);
      return transport;
    },
    portFor: () => 0,
    env: { LOG_LEVEL: 'silent', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD, LESSOR_DATA_DIR: '/nonexistent' },
    envFor: (service) => ({ ...defaults[service], ...envFor[service] }),
    logger: () => pino({ level: 'silent' }),
  });
  const gateway = system.urls.get('gateway')!;

  const api: BootedForTest['api'] = async (method, path, token, body) => {
    const response = await fetch(`${gateway}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and other text answers stay text
    }
    return { status: response.status, body: parsed };
  };
  const login: BootedForTest['login'] = async (username, password) => {
    const answer = await api('POST', '/api/sso/v1/auth/login', undefined, { username, password });
    if (answer.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(answer.body)}`);
    return answer.body.accessToken;
  };
  return {
    system,
    database,
    api,
    login,
    async user(username, permissions, admin) {
      const role = await api('POST', '/api/sso/v1/roles', admin, { name: `${username} role`, permissions });
      if (role.status !== 201) throw new Error(`role: ${JSON.stringify(role.body)}`);
      const password = `${username}-password-123`;
      const user = await api('POST', '/api/sso/v1/users', admin, {
        username,
        fullName: username,
        password,
        roleIds: [role.body.id],
      });
      if (user.status !== 201) throw new Error(`user: ${JSON.stringify(user.body)}`);
      return { token: await login(username, password), id: user.body.id };
    },
    async close() {
      await system.stop();
      for (const transport of transports) await transport.close();
      for (const db of opened) await db.close();
      await database.dispose();
      if (setup.broker === 'rabbitmq') await deleteTestNamespace(amqpUrl!, namespace, consumingServices());
    },
  };
}
