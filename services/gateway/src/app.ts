import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createServiceApp, type Database, type ServiceApp } from '@lessor/service-kit';
import type { GatewayConfig } from './config.ts';
import { registerAdminUiRoutes } from './admin/admin-ui.routes.ts';
import { registerContractCardRoutes } from './cards/contract-card.routes.ts';
import { METRICS_PERMISSION, ownPath, registerProxyRoutes } from './routing/proxy.routes.ts';
import { parseServiceList, ServiceRegistry } from './registry/service-registry.ts';
import { registerServiceRoutes } from './registry/services.routes.ts';

export const GATEWAY_VERSION = '0.1.0';

type HelmetMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: Error | null) => void,
) => void;
/** The `helmet` that @fastify/helmet depends on (the same version as before, not a second copy). */
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as (
  options: object,
) => HelmetMiddleware;

/** The gateway's security headers (its port is the public one). */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
};

export interface GatewayDeps {
  config: GatewayConfig;
  database: Database<unknown>;
  logger?: Logger;
}

/** Builds the gateway: the one public entry, routing /api/<service>/… and listing the services. */
export async function buildApp(deps: GatewayDeps): Promise<ServiceApp> {
  const { config } = deps;
  const app = await createServiceApp({
    name: 'gateway',
    title: 'Lessor gateway',
    description: 'The single public entry: routes /api/<service>/… to each service and lists them.',
    version: GATEWAY_VERSION,
    config: { ...config, BODY_LIMIT_BYTES: config.GATEWAY_BODY_LIMIT_BYTES },
    database: deps.database,
    migrations: [],
    // Its port is the public one: its own figures need a token too (ADR 13).
    metricsPermission: METRICS_PERMISSION,
    // `/api/gateway/…` is routed straight to the gateway's own routes (no second request through inject).
    rewriteUrl: ownPath,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  // helmet's headers on every answer. Built once: @fastify/helmet calls `helmet(options)` on every request,
  // re-parsing the CSP each time (~0.05 ms of CPU per request, issue 13); the middleware it builds is reusable.
  const securityHeaders = helmet(SECURITY_HEADERS);
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error) => done(error ?? undefined));
  });
  const registry = new ServiceRegistry(
    parseServiceList(config.GATEWAY_SERVICES),
    config.GATEWAY_READINESS_TIMEOUT_MS,
  );
  registerServiceRoutes(app, registry);
  registerContractCardRoutes(app, registry, { deadlineMs: config.GATEWAY_COMPOSE_DEADLINE_MS });
  await registerProxyRoutes(app, {
    registry,
    timeoutMs: config.GATEWAY_UPSTREAM_TIMEOUT_MS,
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
  });
  if (config.GATEWAY_ADMIN_DIR !== '') await registerAdminUiRoutes(app, { dir: config.GATEWAY_ADMIN_DIR });
  return app;
}
