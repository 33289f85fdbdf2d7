import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { Counter, Histogram } from 'prom-client';
import { createServiceTokenProvider } from '@lessor/auth';
import type { EventDefinition } from '@lessor/event-catalog';
import type { EventHandler, Transport } from '@lessor/events';
import {
  createServiceClient,
  declareLessorOrigins,
  guardProcessEgress,
  httpUrlsIn,
  UPSTREAM_CIRCUIT_OPENS,
  UPSTREAM_REQUEST_DURATION,
  type ServiceClient,
} from '@lessor/http-client';
import { loadConfig, urlVariableOf, type BaseConfig, type CallerConfig } from '../config.ts';
import type { Database } from '../db/index.ts';
import { createServiceApp, type ServiceApp } from '../http/app.ts';
import type { TokenVerifier } from '../http/security.ts';
import { currentRequest } from '../events/request-context.ts';
import {
  bindingsOf,
  ServiceDefinitionError,
  type AnyServiceDefinition,
  type Built,
  type ServiceDefinition,
} from './define-service.ts';

/** What a runner (main.ts, the stack, the test runner) hands a definition to build it. */
export interface BuildServiceInputs<Options> {
  /** The environment to read the configuration from (validated by the definition's schema). */
  env: Record<string, string | undefined>;
  database: Database<unknown>;
  /** RabbitMQ or the in-process bus, chosen by the runner; none for a service defined `withoutEvents`. */
  transport: Transport | undefined;
  logger?: Logger;
  /** The definition's own options (a business date, a callback…). */
  options?: Partial<Options>;
  /** Token verification other than sso's JWKS from the configuration. */
  verifier?: TokenVerifier;
  /** The token of the service's calls, instead of its service client's from sso (tests). */
  clientToken?: () => Promise<string>;
  /** Delays before retrying a failed event, overriding the definition's (tests make them short). */
  eventRetryDelaysMs?: readonly number[];
}

/**
 * Builds a defined service: its configuration from the environment, the app with the kit's parts, its
 * clients; then its own `build`, whose event handlers are subscribed before the consumer starts (when the
 * app is ready). A consumed type without a handler fails here, at start, not at the first event.
 */
export async function buildService<Config extends BaseConfig, Tables, Calls extends string, Options>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: ServiceDefinition<Config, Tables, any, Calls, Options>,
  inputs: BuildServiceInputs<Options>,
): Promise<ServiceApp> {
  const config = loadConfig(definition.config, { PORT: String(definition.port), ...inputs.env }) as Config;
  guardEgress(definition, config);
  const eventSettings = definition.eventSettings(config);
  const retryDelaysMs = inputs.eventRetryDelaysMs ?? eventSettings.retryDelaysMs;
  const verifier =
    inputs.verifier ?? definition.verifier?.({ db: inputs.database.db as Kysely<Tables>, config });
  const app = await createServiceApp({
    name: definition.name,
    title: definition.title,
    description: definition.description,
    version: definition.version,
    config,
    database: inputs.database,
    migrations: definition.migrations,
    ...(inputs.logger ? { logger: inputs.logger } : {}),
    ...(verifier ? { verifier } : {}),
    ...(definition.metricsPermission ? { metricsPermission: definition.metricsPermission } : {}),
    ...(definition.rewriteUrl ? { rewriteUrl: definition.rewriteUrl } : {}),
    // A service without events gets no relay (it would poll an outbox that stays empty, and again after every
    // write it forwards) and no event routes; its runner opens no transport for it.
    ...(definition.withoutEvents
      ? {}
      : {
          events: {
            transport: transportOf(definition, inputs.transport),
            consumes: definition.consumes !== undefined,
            ...(eventSettings.prefetch ? { prefetch: eventSettings.prefetch } : {}),
            ...(retryDelaysMs ? { retryDelaysMs: [...retryDelaysMs] } : {}),
          },
        }),
  });
  const clients = createClients(definition, config, app, inputs.clientToken);
  const built: Built<readonly EventDefinition[]> =
    (await definition.build({
      app,
      config,
      db: inputs.database.db as never,
      database: inputs.database as Database<Tables>,
      ...(app.events ? { events: app.events } : {}),
      clients: clients as Record<Calls, ServiceClient>,
      log: app.log as Logger,
      options: inputs.options ?? {},
    })) ?? {};
  subscribe(definition, app, built);
  return app;
}

/**
 * Egress (ADR 26): the Lessor services this one reaches are those its configuration names — every http(s) URL
 * in it (`<NAME>_URL`, `SSO_JWKS_URL`, `SSO_TOKEN_URL`, the gateway's routes) — and loopback; its clients refuse
 * any other. A service without `egress` also makes its process refuse them on the global `fetch` dispatcher and
 * node:http(s) agents. A service with egress declares only its calls and sso's URLs: the outside hosts it
 * reaches stay its own (its outside client has its own dispatcher), never allowed to the rest of the process.
 */
function guardEgress(definition: AnyServiceDefinition, config: BaseConfig): void {
  const settings = config as unknown as Record<string, unknown>;
  const lessorSettings = definition.egress
    ? [...definition.calls.map(urlVariableOf), 'SSO_JWKS_URL', 'SSO_TOKEN_URL']
    : Object.keys(settings);
  const urls = lessorSettings.flatMap((name) => {
    const value = settings[name];
    return typeof value === 'string' ? httpUrlsIn(value) : [];
  });
  declareLessorOrigins(urls);
  if (!definition.egress) guardProcessEgress();
}

/** The runner's transport, which a service with events cannot do without. */
function transportOf(definition: AnyServiceDefinition, transport: Transport | undefined): Transport {
  if (!transport)
    throw new ServiceDefinitionError(definition.name, 'has events, so its runner must give it a transport');
  return transport;
}

/** The handlers `build` returned, each under its type; patterns to `any`. */
function subscribe(
  definition: AnyServiceDefinition,
  app: ServiceApp,
  built: Built<readonly EventDefinition[]>,
) {
  const consumes = definition.consumes;
  if (!consumes || !app.events) return;
  const handlers = (built.handlers ?? {}) as Record<string, EventHandler | undefined>;
  const types: string[] = consumes.events.map((event: EventDefinition) => event.type);
  for (const type of types) {
    if (!handlers[type] && !built.any)
      throw new ServiceDefinitionError(definition.name, `consumes ${type} but build gave no handler for it`);
  }
  const patterns = consumes.patterns ?? [];
  if (patterns.length > 0 && !built.any)
    throw new ServiceDefinitionError(definition.name, 'consumes patterns but build gave no `any` handler');
  const dispatch: EventHandler = async (event, context) => {
    const handler = handlers[event.type] ?? built.any;
    // A type the queue is bound to always has one (checked above); this guards a binding left by an old version.
    if (!handler) throw new Error(`${definition.name} has no handler for ${event.type}`);
    await handler(event, context);
  };
  const handleBatch = built.handleBatch;
  app.events.subscribe({
    types: bindingsOf(definition),
    handler: dispatch,
    ...(handleBatch ? { handleBatch } : {}),
  });
}

/**
 * A client per called service: its base URL from `<SERVICE>_URL`, the platform's deadline (`UPSTREAM_DEADLINE_MS`,
 * 300 ms by default) with retries inside it, the caller's trace and request id passed on, and the service's own
 * token (its service client's, from sso: `SSO_TOKEN_URL`, `LESSOR_CLIENT_ID`, `LESSOR_CLIENT_SECRET`).
 */
function createClients(
  definition: AnyServiceDefinition,
  config: BaseConfig,
  app: ServiceApp,
  clientToken: (() => Promise<string>) | undefined,
): Record<string, ServiceClient> {
  const calls: readonly string[] = definition.calls;
  if (calls.length === 0) return {};
  const settings = config as BaseConfig & Partial<CallerConfig> & Record<string, unknown>;
  const token = clientToken ?? serviceToken(definition, settings);
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
  const clients: Record<string, ServiceClient> = {};
  for (const service of calls) {
    const variable = urlVariableOf(service);
    const baseUrl = settings[variable];
    if (typeof baseUrl !== 'string')
      throw new ServiceDefinitionError(definition.name, `calls ${service}, so its config needs ${variable}`);
    clients[service] = createServiceClient({
      service,
      baseUrl,
      deadlineMs: settings.UPSTREAM_DEADLINE_MS ?? 300,
      traceparent: () => currentRequest()?.traceparent,
      headers: () => {
        const requestId = currentRequest()?.requestId;
        return requestId ? { 'x-request-id': requestId } : ({} as Record<string, string>);
      },
      logger: app.log,
      metrics,
      ...(token ? { token } : {}),
    });
  }
  app.addHook('onClose', async () => {
    for (const client of Object.values(clients)) client.close();
  });
  return clients;
}

/** The service-client token from sso, when its token URL and the client's secret are configured. */
function serviceToken(
  definition: AnyServiceDefinition,
  config: Partial<CallerConfig>,
): (() => Promise<string>) | undefined {
  if (!config.SSO_TOKEN_URL || !config.LESSOR_CLIENT_SECRET) return undefined;
  const provider = createServiceTokenProvider({
    tokenUrl: config.SSO_TOKEN_URL,
    clientId: config.LESSOR_CLIENT_ID ?? definition.name,
    clientSecret: config.LESSOR_CLIENT_SECRET,
    scopes: [...definition.clientScopes],
  });
  return () => provider.getToken();
}
