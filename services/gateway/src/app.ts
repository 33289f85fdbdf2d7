import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceContext } from '@lessor/service-kit';
import type { GatewayConfig } from './config.ts';
import { registerAdminUiRoutes } from './admin/admin-ui.routes.ts';
import { registerContractCardRoutes } from './cards/contract-card.routes.ts';
import { registerProxyRoutes } from './routing/proxy.routes.ts';
import { parseServiceList, ServiceRegistry } from './registry/service-registry.ts';
import { registerServiceRoutes } from './registry/services.routes.ts';

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

/** What the gateway is built from: everything constructed by the kit (`gatewayService` in gateway.service.ts). */
export type GatewayContext = Omit<ServiceContext<GatewayConfig, unknown, never, object>, 'events'>;

/** Builds the gateway: the one public entry, routing /api/<service>/… and listing the services. */
export async function buildGateway({ app, config }: GatewayContext): Promise<void> {
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
}
