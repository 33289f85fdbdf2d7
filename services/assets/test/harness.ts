import { pino } from 'pino';
import { createTestIssuer, serveKeySet, type TestIssuer } from '@lessor/auth/testing';
import { createInProcessTransport, type EventEnvelope, type Transport } from '@lessor/events';
import { readOutbox } from '@lessor/events/testing';
import type { ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  serviceMigrations,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { assetsMigrations } from '../migrations/index.ts';
import { buildApp } from '../src/app.ts';
import { loadAssetsConfig } from '../src/config.ts';

/** The day the tests live on: insurance cover and the latest model year (2027) are judged from it. */
export const TODAY = new Date('2026-06-15T10:00:00.000Z');

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

export interface AssetsHarness {
  app: ServiceApp;
  database: TestDatabase<unknown>;
  issuer: TestIssuer;
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
  /** The events in assets' outbox, in publication order, optionally of one type. */
  outbox(type?: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** The transport to consume from (default: an in-process bus in the test database). */
  transport?: Transport;
  database?: TestDatabase<unknown>;
  eventRetryDelaysMs?: number[];
}

/** assets on a fresh database of the given backend, trusting the keys of a test issuer served over HTTP. */
export async function startAssets(backend: Backend, options: StartOptions = {}): Promise<AssetsHarness> {
  const database =
    options.database ??
    (await createTestDatabase<unknown>(backend, {
      schema: 'assets',
      migrations: serviceMigrations(assetsMigrations),
    }));
  const issuer = await createTestIssuer();
  // The keys a real sso would publish: assets verifies tokens against them as in production.
  const keys = await serveKeySet(issuer);
  const config = loadAssetsConfig({ PORT: '0', LOG_LEVEL: 'silent', SSO_JWKS_URL: keys.jwksUrl });
  const ownTransport = options.transport ? undefined : createInProcessTransport({ db: database.db });
  const app = await buildApp({
    config,
    database,
    transport: options.transport ?? ownTransport!,
    logger: pino({ level: 'silent' }),
    clock: () => TODAY,
    ...(options.eventRetryDelaysMs ? { eventRetryDelaysMs: options.eventRetryDelaysMs } : {}),
  });
  await app.ready();

  return {
    app,
    database,
    issuer,
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
      await ownTransport?.close();
      await keys.close();
      if (!options.database) await database.dispose();
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

/** A car that passes every rule; tests change one field at a time. */
export function aCar(overrides: Record<string, unknown> = {}) {
  return {
    type: 'car',
    make: 'Volkswagen',
    model: 'Golf 1.5 TSI',
    vin: uniqueVin(),
    year: 2025,
    price: { amount: '28990.00', currency: 'EUR' },
    locationText: 'Depot Berlin-Spandau',
    ...overrides,
  };
}

let vinCounter = 0;
/** A fresh valid VIN per call (ISO 3779 alphabet), so tests do not collide on the unique index. */
export function uniqueVin(): string {
  vinCounter += 1;
  return `WVWZZZ1KZAW${String(vinCounter).padStart(6, '0')}`;
}

/** A fresh serial number per call. */
export function uniqueSerial(): string {
  vinCounter += 1;
  return `SN-${Date.now().toString(36).toUpperCase()}-${vinCounter}`;
}
