import type { Kysely } from 'kysely';
import { pino } from 'pino';
import type { ServiceApp } from '@lessor/service-kit';
import { createInProcessTransport, type EventEnvelope, type Transport } from '@lessor/events';
import { readOutbox } from '@lessor/events/testing';
import { validateEvent } from '@lessor/event-catalog';
import { createTestDatabase, serviceMigrations, type Backend } from '@lessor/service-kit/testing';
import { ssoMigrations } from '../migrations/index.ts';
import { buildApp } from '../src/app.ts';
import { loadSsoConfig } from '../src/config.ts';
import type { SsoDatabase } from '../src/database.ts';

export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

export interface SsoHarness {
  app: ServiceApp;
  /** sso's own database, for what a test must set up or read past the API. */
  db: Kysely<SsoDatabase>;
  transport: Transport;
  close(): Promise<void>;
  login(
    username: string,
    password: string,
    address?: string,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  adminToken(): Promise<string>;
  /** What sso's outbox took (what audit keeps), each checked against the event catalogue. */
  outbox(type?: string): Promise<EventEnvelope[]>;
  call(
    method: string,
    url: string,
    token: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
}

/** sso on a fresh database of the given backend, with small limits so tests can reach them. */
export async function startSso(
  backend: Backend,
  env: Record<string, string> = {},
  logLines?: string[],
): Promise<SsoHarness> {
  const database = await createTestDatabase(backend, {
    schema: 'sso',
    migrations: serviceMigrations(ssoMigrations),
  });
  const config = loadSsoConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SSO_KEY_PUBLISH_AHEAD_SECONDS: '0',
    SSO_LOGIN_ATTEMPTS_PER_ADDRESS: '1000',
    ...env,
  });
  const logger = logLines
    ? pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) })
    : pino({ level: 'silent' });
  const transport = createInProcessTransport({ db: database.db });
  const app = await buildApp({ config, database, logger, transport });
  await app.ready();
  const call: SsoHarness['call'] = async (method, url, token, payload, headers = {}) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: response.statusCode,
      body: response.body ? safeJson(response.body) : undefined,
      headers: response.headers,
    };
  };
  const login: SsoHarness['login'] = async (username, password, address = '192.0.2.10') => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      remoteAddress: address,
      payload: { username, password },
    });
    return { status: response.statusCode, body: safeJson(response.body), headers: response.headers };
  };
  return {
    app,
    db: database.db as Kysely<SsoDatabase>,
    transport,
    call,
    login,
    async adminToken() {
      const response = await login('admin', ADMIN_PASSWORD, '192.0.2.1');
      if (response.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(response.body)}`);
      return response.body.accessToken as string;
    },
    async outbox(type) {
      const events = await readOutbox(database.db, type === undefined ? {} : { type });
      for (const event of events) {
        const validation = validateEvent(event);
        if (!validation.ok)
          throw new Error(`${event.type} does not fit the catalogue: ${JSON.stringify(validation)}`);
      }
      return events;
    },
    async close() {
      await app.close();
      await transport.close();
      await database.dispose();
    },
  };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
