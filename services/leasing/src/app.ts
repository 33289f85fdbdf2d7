import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { createServiceTokenProvider } from '@lessor/auth';
import { typesConsumedBy } from '@lessor/event-catalog';
import type { Transport } from '@lessor/events';
import {
  createServiceClient,
  UPSTREAM_CIRCUIT_OPENS,
  UPSTREAM_REQUEST_DURATION,
  type ServiceClient,
} from '@lessor/http-client';
import { Counter, Histogram } from 'prom-client';
import { createServiceApp, currentRequest, type Database, type ServiceApp } from '@lessor/service-kit';
import { leasingMigrations } from '../migrations/index.ts';
import { registerCalculationRoutes } from './calculations/calculation.routes.ts';
import { CalculationService } from './calculations/calculation.service.ts';
import type { LeasingConfig } from './config.ts';
import { registerContractRoutes } from './contracts/contract.routes.ts';
import { ContractService } from './contracts/contract.service.ts';
import type { LeasingDatabase } from './database.ts';
import { onReferenceUpdated } from './event-handlers/on-reference-updated.handler.ts';
import { LeasingEvents } from './leasing.events.ts';
import { registerProductRoutes } from './products/product.routes.ts';
import { ProductService } from './products/product.service.ts';
import { References } from './references/references.ts';

export const LEASING_VERSION = '0.1.0';

/** What leasing asks of sso for its own calls: reading parties and assets, nothing else. */
export const LEASING_CLIENT_SCOPES = ['parties:parties:read', 'assets:assets:read'];

export interface LeasingDeps {
  config: LeasingConfig;
  database: Database<unknown>;
  transport: Transport;
  logger?: Logger;
  /** The access token of leasing's calls to parties and assets; by default its service client's, from sso. */
  upstreamToken?: () => Promise<string>;
  /** Today's business date; tests move it. */
  today?: () => string;
}

/**
 * Builds leasing: products, calculations and contracts. Reads answer from leasing's own copy of party and
 * asset names (kept by their events); only writes that need a fresh check call parties or assets (http-client:
 * deadlines, breaker). It publishes every change and status transition.
 */
export async function buildApp(deps: LeasingDeps): Promise<ServiceApp> {
  const { config } = deps;
  const db = deps.database.db as Kysely<LeasingDatabase>;
  const app = await createServiceApp({
    name: 'leasing',
    title: 'Lessor leasing',
    description: 'Lease products, calculations (quotes) and contracts through their life.',
    version: LEASING_VERSION,
    config,
    database: deps.database,
    migrations: leasingMigrations,
    ...(deps.logger ? { logger: deps.logger } : {}),
    events: {
      transport: deps.transport,
      subscriptions: [
        {
          types: typesConsumedBy('leasing'),
          // In the consumer's transaction with the inbox insert: applied exactly once.
          handler: (event, { trx }) => onReferenceUpdated(event, trx as Kysely<LeasingDatabase>),
        },
      ],
    },
  });
  const events = new LeasingEvents(app.events!);
  const token = deps.upstreamToken ?? serviceToken(config);
  const metrics = {
    requestDuration: new Histogram({
      ...UPSTREAM_REQUEST_DURATION,
      labelNames: [...UPSTREAM_REQUEST_DURATION.labelNames],
      registers: [app.metrics],
    }),
    circuitOpens: new Counter({
      ...UPSTREAM_CIRCUIT_OPENS,
      labelNames: [...UPSTREAM_CIRCUIT_OPENS.labelNames],
      registers: [app.metrics],
    }),
  };
  const client = (service: string, baseUrl: string): ServiceClient =>
    createServiceClient({
      service,
      baseUrl,
      deadlineMs: config.UPSTREAM_DEADLINE_MS,
      traceparent: () => currentRequest()?.traceparent,
      headers: () => {
        const requestId = currentRequest()?.requestId;
        return requestId ? { 'x-request-id': requestId } : ({} as Record<string, string>);
      },
      logger: app.log,
      metrics,
      ...(token ? { token } : {}),
    });
  const parties = client('parties', config.PARTIES_URL);
  const assets = client('assets', config.ASSETS_URL);
  app.addHook('onClose', async () => {
    parties.close();
    assets.close();
  });
  const references = new References(parties, assets);

  registerProductRoutes(app, new ProductService(db, events));
  registerCalculationRoutes(app, new CalculationService(db, events));
  registerContractRoutes(
    app,
    new ContractService(db, events, references, {
      legalEntity: config.LEASING_LEGAL_ENTITY,
      quoteValidDays: config.LEASING_QUOTE_VALID_DAYS,
      ...(deps.today ? { today: deps.today } : {}),
    }),
  );
  return app;
}

/** leasing's service-client token from sso, when sso's token URL and the client secret are configured. */
function serviceToken(config: LeasingConfig): (() => Promise<string>) | undefined {
  if (!config.SSO_TOKEN_URL || !config.LESSOR_CLIENT_SECRET) return undefined;
  const provider = createServiceTokenProvider({
    tokenUrl: config.SSO_TOKEN_URL,
    clientId: config.LESSOR_CLIENT_ID,
    clientSecret: config.LESSOR_CLIENT_SECRET,
    scopes: LEASING_CLIENT_SCOPES,
  });
  return () => provider.getToken();
}
