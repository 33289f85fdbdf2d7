import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createTestIssuer } from '@lessor/auth/testing';
import { createInProcessTransport, type EventEnvelope } from '@lessor/events';
import { readOutbox } from '@lessor/events/testing';
import type { ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  serviceMigrations,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { partiesMigrations } from '../migrations/index.ts';
import { buildApp } from '../src/app.ts';
import { loadPartiesConfig } from '../src/config.ts';

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface PartiesHarness {
  app: ServiceApp;
  database: TestDatabase<unknown>;
  /** A token of a user with these permissions (and this id, when given). */
  token(permissions: string[], userId?: string): Promise<string>;
  /** An HTTP call through inject(); no token when `token` is undefined. */
  call(
    method: string,
    url: string,
    token: string | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** The events in parties' outbox, in publication order, optionally of one type. */
  outbox(type?: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

/** parties on a fresh database of the given backend, trusting the keys of a test issuer served over HTTP. */
export async function startParties(backend: Backend): Promise<PartiesHarness> {
  const database = await createTestDatabase<unknown>(backend, {
    schema: 'parties',
    migrations: serviceMigrations(partiesMigrations),
  });
  const issuer = await createTestIssuer();
  // The keys a real sso would publish: parties verifies tokens against them as in production.
  const jwks: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(issuer.jwks()));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const config = loadPartiesConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    SSO_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
  });
  const transport = createInProcessTransport({ db: database.db });
  const app = await buildApp({ config, database, transport, logger: pino({ level: 'silent' }) });
  await app.ready();

  return {
    app,
    database,
    token: (permissions, userId) =>
      issuer.sign({ permissions, name: 'Test User', ...(userId ? { sub: userId } : {}) }),
    async call(method, url, token, payload, headers = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return {
        status: response.statusCode,
        body: response.body ? safeJson(response.body) : undefined,
        headers: response.headers,
      };
    },
    outbox: (type) => readOutbox(database.db, type === undefined ? {} : { type }),
    async close() {
      await app.close();
      await transport.close();
      await new Promise((resolve) => jwks.close(resolve));
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
