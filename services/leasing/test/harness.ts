import { pino } from 'pino';
import { createTestIssuer, serveKeySet, type ServedKeySet } from '@lessor/auth/testing';
import { createInProcessTransport, type EventEnvelope, type Transport } from '@lessor/events';
import { readOutbox } from '@lessor/events/testing';
import { openDatabase, type Database, type ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  serviceMigrations,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { buildApp as buildAssets, loadAssetsConfig } from '@lessor/assets';
import { buildApp as buildParties, loadPartiesConfig } from '@lessor/parties';
import { leasingMigrations } from '../migrations/index.ts';
import { buildApp, LEASING_CLIENT_SCOPES } from '../src/app.ts';
import { loadLeasingConfig } from '../src/config.ts';

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, unknown>;
}

type Caller = (
  method: string,
  url: string,
  token: string | undefined,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer>;

/**
 * leasing with the real parties and assets beside it, each in its own schema of one test database (as in
 * embedded mode), on real ports: leasing reaches them over HTTP with its own service token, as in production.
 */
export interface LeasingWorld {
  leasing: ServiceApp;
  database: TestDatabase<unknown>;
  call: Caller;
  parties: Caller;
  assets: Caller;
  /** An author with every leasing permission, and a second person who may approve. */
  author: string;
  approver: string;
  /** A user with one permission set, for 403 checks. */
  token(permissions: string[], userId?: string): Promise<string>;
  /** Another person with every leasing permission and a name in the token (`name` claim). */
  person(userId: string, name: string): Promise<string>;
  /** Stops parties (its port refuses from then on). */
  stopParties(): Promise<void>;
  stopAssets(): Promise<void>;
  outbox(type?: string): Promise<EventEnvelope[]>;
  /** Makes a product, a party (KYC verified unless told) and an available asset; returns their ids. */
  seed(options?: { kyc?: string }): Promise<{ productId: string; partyId: string; assetId: string }>;
  setToday(date: string): void;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });
const everything = ['leasing:*:*', 'parties:*:*', 'assets:*:*'];

export async function startLeasingWorld(backend: Backend): Promise<LeasingWorld> {
  const database = await createTestDatabase<unknown>(backend, {
    schema: 'leasing',
    migrations: serviceMigrations(leasingMigrations),
  });
  const other = (schema: string): Promise<Database<unknown>> =>
    openDatabase<unknown>({ schema, url: database.url });
  const issuer = await createTestIssuer();
  const keys: ServedKeySet = await serveKeySet(issuer);
  // One bus for the three services, as `npm start` has: contract events reach assets through it.
  const bus: Transport = createInProcessTransport({ db: database.db });
  const transport = (_db: Database<unknown>) => bus;
  const base = { PORT: '0', LOG_LEVEL: 'silent', SSO_JWKS_URL: keys.jwksUrl };

  const partiesDb = await other('parties');
  const assetsDb = await other('assets');
  let parties: ServiceApp | undefined = await buildParties({
    config: loadPartiesConfig(base),
    database: partiesDb,
    transport: transport(partiesDb),
    logger: silent,
  });
  const partiesUrl = await parties.listen({ host: '127.0.0.1', port: 0 });
  let assets: ServiceApp | undefined = await buildAssets({
    config: loadAssetsConfig(base),
    database: assetsDb,
    transport: transport(assetsDb),
    logger: silent,
  });
  const assetsUrl = await assets.listen({ host: '127.0.0.1', port: 0 });

  let today = '2026-01-15';
  const leasing = await buildApp({
    config: loadLeasingConfig({
      ...base,
      PARTIES_URL: partiesUrl,
      ASSETS_URL: assetsUrl,
      // Generous for a shared 2-core machine: a test must not fail on a slow first call.
      UPSTREAM_DEADLINE_MS: '3000',
    }),
    database,
    transport: transport(database),
    logger: silent,
    upstreamToken: () =>
      issuer.sign({ sub: 'leasing', client_id: 'leasing', permissions: LEASING_CLIENT_SCOPES } as never),
    today: () => today,
  });
  await leasing.ready();

  const caller =
    (app: () => ServiceApp | undefined): Caller =>
    async (method, url, token, payload, headers = {}) => {
      const target = app();
      if (!target) throw new Error('that service was stopped');
      const response = await target.inject({
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
    };
  const author = await issuer.sign({ sub: 'user-author', name: 'Anna Author', permissions: everything });
  const approver = await issuer.sign({
    sub: 'user-approver',
    name: 'Paul Approver',
    permissions: everything,
  });
  const call = caller(() => leasing);
  const partiesCall = caller(() => parties);
  const assetsCall = caller(() => assets);
  let sequence = 0;

  return {
    leasing,
    database,
    call,
    parties: partiesCall,
    assets: assetsCall,
    author,
    approver,
    token: (permissions, userId) => issuer.sign({ permissions, ...(userId ? { sub: userId } : {}) }),
    person: (userId, name) => issuer.sign({ sub: userId, name, permissions: everything }),
    async stopParties() {
      await parties?.close();
      parties = undefined;
    },
    async stopAssets() {
      await assets?.close();
      assets = undefined;
    },
    outbox: (type) => readOutbox(database.db, type === undefined ? {} : { type }),
    setToday(date) {
      today = date;
    },
    async seed(options = {}) {
      sequence += 1;
      const product = await call('POST', '/v1/products', author, {
        code: `CAR-${Date.now().toString(36).toUpperCase()}-${sequence}`,
        name: 'Cars, standard',
        currencies: ['EUR', 'USD', 'JPY'],
        scheduleTypes: ['annuity', 'differentiated', 'seasonal'],
        minTermMonths: 12,
        maxTermMonths: 84,
        minRate: '2',
        maxRate: '15',
        maxResidualPercent: '40',
      });
      if (product.status !== 201) throw new Error(`product: ${JSON.stringify(product.body)}`);
      const party = await partiesCall('POST', '/v1/parties', author, {
        kind: 'company',
        name: `Muster Logistik ${sequence} GmbH`,
        legalForm: 'GmbH',
        country: 'DE',
      });
      if (party.status !== 201) throw new Error(`party: ${JSON.stringify(party.body)}`);
      const kyc = options.kyc ?? 'verified';
      if (kyc !== 'pending') {
        const changed = await partiesCall('POST', `/v1/parties/${party.body.id}/kyc`, author, {
          status: kyc,
          reason: 'documents checked',
        });
        if (changed.status !== 200) throw new Error(`kyc: ${JSON.stringify(changed.body)}`);
      }
      const asset = await assetsCall('POST', '/v1/assets', author, {
        type: 'car',
        make: 'Volkswagen',
        model: 'ID.4',
        vin: vinFor(sequence),
        year: 2025,
        price: { amount: '48000.00', currency: 'EUR' },
      });
      if (asset.status !== 201) throw new Error(`asset: ${JSON.stringify(asset.body)}`);
      return { productId: product.body.id, partyId: party.body.id, assetId: asset.body.id };
    },
    async close() {
      await leasing.close();
      await parties?.close();
      await assets?.close();
      await bus.close();
      await keys.close();
      await partiesDb.close();
      await assetsDb.close();
      await database.dispose();
    },
  };
}

/** A VIN of the right alphabet and length, distinct per call. */
function vinFor(sequence: number): string {
  const stamp = `${Date.now().toString(36).toUpperCase()}${sequence}`.replace(/[IOQ]/g, 'X');
  return `WVW${stamp}`.padEnd(17, '7').slice(0, 17);
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The calculation request of ISSUE 4's example, on a product when given. */
export function exampleCalculation(productId?: string) {
  return {
    ...(productId ? { productId } : {}),
    assetPrice: { amount: '120000.00', currency: 'EUR' },
    advance: { percent: '20' },
    termMonths: 36,
    annualRate: '9.5',
    scheduleType: 'annuity',
    residualValue: { amount: '10000.00', currency: 'EUR' },
    startDate: '2026-01-31',
    vatRate: '20',
  };
}
