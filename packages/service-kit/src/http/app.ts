import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawServerDefault,
} from 'fastify';
import type { ValidatorFactory } from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { createTokenVerifier } from '@lessor/auth';
import { Type } from 'typebox';
import type { BaseConfig } from '../config.ts';
import { eventMigrations } from '@lessor/events';
import { migrate, type Database, type Migration } from '../db/index.ts';
import { registerEventRoutes } from '../events/events.routes.ts';
import { installRequestContext } from '../events/request-context.ts';
import { ServiceEvents, type ServiceEventsOptions } from '../events/service-events.ts';
import { kitErrors } from '../errors/kit.errors.ts';
import { createLogger } from './logger.ts';
import { registerHealth, type ReadinessCheck } from './health.ts';
import { installIdempotency } from './idempotency.ts';
import {
  AJV_OPTIONS,
  installNulGuard,
  pathRefusal,
  installStrictBodyParsers,
  partAwareValidator,
} from './input.ts';
import { createMetricsRegistry, instrumentRequests } from './metrics.ts';
import { handleError, sendProblem } from './problem-handler.ts';
import { installSecurity, type TokenVerifier } from './security.ts';
import { continueTrace, type TraceContext } from './trace.ts';

/** The Fastify instance every service builds on: TypeBox types from its schemas. */
export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    /** W3C trace context of this request; pass `trace.traceparent` on to the next hop. */
    trace: TraceContext;
  }
  interface FastifyInstance {
    /** The outbox (publish, publishChange), relay and consumer of the service, when it has events. */
    events: ServiceEvents | undefined;
    /** The service's own Prometheus registry (served at /metrics). */
    metrics: Registry;
    /** The service's database handle. */
    database: Database<unknown>;
  }
}

export interface ServiceAppOptions {
  /** Service name: schema, log field, metrics label, permission prefix (`sso`). */
  name: string;
  /** One line for the API docs. */
  title: string;
  description: string;
  version: string;
  config: BaseConfig;
  database: Database<unknown>;
  /** The service's own migrations; the kit's run first. */
  migrations: readonly Migration[];
  /** Token verification; by default the JWKS of sso from the config. */
  verifier?: TokenVerifier;
  /** A pino logger to use instead of one built from the config (tests pass a silent one). */
  logger?: Logger;
  readinessChecks?: Record<string, ReadinessCheck>;
  /**
   * The event backbone: the transport (RabbitMQ or the in-process bus, chosen by the runner) and what the
   * service consumes. Every service gets an outbox and a relay; a consumer when it subscribes to something.
   */
  events?: ServiceEventsOptions;
  /**
   * The permission `/metrics` needs; unset, it is public. A service's own port is scraped without a token
   * (Prometheus, per pod); the gateway's port is public, so the gateway sets one (ADR 13).
   */
  metricsPermission?: string;
  /**
   * Rewrites a request's URL before routing (Fastify's `rewriteUrl`; `request.originalUrl` keeps the one that
   * came). The gateway answers `/api/gateway/…` with its own routes this way, in one pass.
   */
  rewriteUrl?: (url: string) => string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACE = Symbol('lessor.trace');
type RawWithTrace = IncomingMessage & { [TRACE]?: TraceContext };

/**
 * Builds the HTTP app of a service the same way for all: migrations, logging with request id, trace id
 * and actor, problem+json errors, the security guard, idempotency keys, metrics, health and API docs.
 * The service then registers its own routes on the returned app; tests call `inject()` on it.
 */
export async function createServiceApp(options: ServiceAppOptions): Promise<ServiceApp> {
  const { config, database } = options;
  await migrate(database, [...eventMigrations, ...options.migrations]);

  const given = options.logger ?? createLogger(options.name, config.LOG_LEVEL);
  const logger = given.bindings().service === undefined ? given.child({ service: options.name }) : given;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // One line per request, written when it is answered (below), instead of Fastify's two (incoming, completed):
    // each JSON line costs ~0.08 ms of CPU and a request through the gateway is logged by every service on its way.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    // The trace is read here, before Fastify's first log line of the request, so every line carries it.
    childLoggerFactory: (parent, bindings, childOptions, rawRequest) => {
      const trace = continueTrace(rawRequest.headers.traceparent);
      (rawRequest as RawWithTrace)[TRACE] = trace;
      return parent.child({ ...bindings, traceId: trace.traceId }, childOptions);
    },
    ...(options.rewriteUrl
      ? { rewriteUrl: (request: IncomingMessage) => options.rewriteUrl!(request.url ?? '/') }
      : {}),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    return503OnClosing: true,
    requestTimeout: 30_000,
    // Fastify's 10 s default for a plugin to load was missed by @fastify/swagger-ui when eight services boot
    // at once on two busy cores; a plugin that never loads still fails the start, a minute later.
    pluginTimeout: 60_000,
    ajv: { customOptions: { ...AJV_OPTIONS } },
    schemaController: {
      compilersFactory: { buildValidator: partAwareValidator() as unknown as ValidatorFactory },
    },
    // A path Fastify cannot route (bad percent-encoding, a parameter over 100 characters) is refused as
    // problem+json like everything else, not with Fastify's own JSON.
    frameworkErrors: (error, request, reply) => {
      void handleError(pathRefusal(error), request, reply);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('database', database);
  app.addHook('onResponse', (request, reply, done) => {
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    done();
  });
  app.decorateRequest('trace', null as unknown as TraceContext);
  // The kit's hooks that never wait take Fastify's callback form: an async hook costs a promise and a
  // microtask turn on every request of every service (issue 13).
  app.addHook('onRequest', (request, reply, done) => {
    request.trace = (request.raw as RawWithTrace)[TRACE] ?? continueTrace(request.headers.traceparent);
    void reply.header('x-request-id', request.id);
    done();
  });

  app.setErrorHandler(handleError);
  installStrictBodyParsers(app);
  installNulGuard(app);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, kitErrors.create.ROUTE_NOT_FOUND(`${request.method} ${request.url.split('?')[0]}`)),
  );

  const verifier =
    options.verifier ??
    createTokenVerifier({
      jwksUrl: config.SSO_JWKS_URL,
      issuer: config.SSO_ISSUER,
      audience: config.TOKEN_AUDIENCE,
    });
  installSecurity(app, { service: options.name, verifier });
  loadKeysAhead(app, verifier);
  installRequestContext(app);
  installIdempotency(app, database);
  documentProblems(app);

  // Registered before any route, so the document lists every one of them (health included).
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: false },
    uiHooks: {
      // Without its trailing slash the page loads its assets from `/docs/static/…`, an absolute path the gateway
      // does not route. A relative redirect keeps the prefix: `/api/<service>/docs` → `/api/<service>/docs/`.
      // A pre-handler, so only a caller allowed to read the docs gets it.
      preHandler: (request, reply, done) => {
        const [path, query] = request.url.split('?', 2);
        if (path !== '/docs') return done();
        void reply.redirect(query === undefined ? 'docs/' : `docs/?${query}`);
      },
    },
  });

  const registry = createMetricsRegistry(options.name);
  app.decorate('metrics', registry);
  instrumentRequests(app, registry);
  const metricsAccess: { permission?: string; public?: boolean } = options.metricsPermission
    ? { permission: options.metricsPermission }
    : { public: true };
  app.get('/metrics', { config: metricsAccess, schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );

  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // A request still in flight when shutdown begins gets its answer, then its keep-alive connection ends,
  // so the server's close is not held up by an idle socket.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    // The relay's last batch needs the database: stop it first.
    await app.events?.relay.stop();
    await database.close();
  });
  registerHealth(app, { database: () => database.ping(), ...options.readinessChecks }, () => closing);

  const events = options.events
    ? new ServiceEvents(options.name, database.db, options.events, logger, registry)
    : undefined;
  app.decorate('events', events);
  if (events) {
    registerEventRoutes(app, options.name, events);
    app.addHook('onReady', async () => events.start());
    // Consumers stop before the server does; the relay stops after the last request (onClose above).
    app.addHook('preClose', async () => events.consumer?.stop());
    // A request's transaction has committed when its answer is sent: its events can go out now.
    app.addHook('onResponse', (request, _reply, done) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') events.relay.wake();
      done();
    });
  }

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String({ description: 'A code from docs/errors.md' }),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** Every route's docs show the problem+json answers it can give, so clients generated from them know the shape. */
function documentProblems(app: ServiceApp): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide) return;
    const response = { ...((route.schema?.response as Record<string, unknown> | undefined) ?? {}) };
    response['4XX'] ??= { ...ProblemSchema, description: 'Refused: see `code`' };
    response['5XX'] ??= { ...ProblemSchema, description: 'Failed or unavailable' };
    route.schema = { ...route.schema, response };
  });
}

/**
 * Loads sso's signing keys once the service is ready, so the first requests do not all wait for that fetch and
 * then verify at once (the first cards after a start took seconds for it). sso may start after this service:
 * a failed load is tried again every 2 s for a minute, then left to the first token (which fetches anyway).
 */
function loadKeysAhead(app: FastifyInstance, verifier: TokenVerifier): void {
  if (!verifier.loadKeys) return;
  let timer: NodeJS.Timeout | undefined;
  let tries = 0;
  let stopped = false;
  const attempt = () => {
    timer = undefined;
    verifier.loadKeys!().catch((error: unknown) => {
      tries += 1;
      if (tries < KEY_LOAD_TRIES && !stopped) timer = setTimeout(attempt, KEY_LOAD_RETRY_MS).unref();
      else app.log.debug({ err: error }, 'signing keys not loaded ahead; the first token will fetch them');
    });
  };
  app.addHook('onReady', (done) => {
    attempt();
    done();
  });
  app.addHook('onClose', (_app, done) => {
    stopped = true;
    clearTimeout(timer);
    done();
  });
}

const KEY_LOAD_TRIES = 30;
const KEY_LOAD_RETRY_MS = 2_000;
