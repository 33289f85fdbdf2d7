import replyFrom from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { kitErrors, sendProblem, type ServiceApp } from '@lessor/service-kit';
import { gatewayErrors } from '../gateway.errors.ts';
import type { ServiceRegistry } from '../registry/service-registry.ts';
import { METRICS_PERMISSION, readsAsMetrics, SELF, upstreamPath } from './paths.ts';

/** Response headers that describe one hop's connection, not the answer: never copied across. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);

/**
 * `/api/<service>/<path>` → `<service base URL>/<path>`. The gateway checks no token itself: it forwards
 * the Authorization header and every service verifies it and its permission (ARCHITECTURE.md §4), so a
 * route is never open just because it was reached through the gateway. A down service answers 503 and a
 * slow one 504, both problem+json, within the upstream deadline.
 */
export async function registerProxyRoutes(
  app: ServiceApp,
  options: { registry: ServiceRegistry; timeoutMs: number; bodyLimit: number },
): Promise<void> {
  await app.register(async (proxy) => {
    // Bodies pass through untouched, whatever their type (JSON, form, files): the service parses them.
    proxy.removeAllContentTypeParsers();
    proxy.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: options.bodyLimit },
      (_request, body, done) => done(null, body),
    );
    await proxy.register(replyFrom, { undici: { connections: 128, pipelining: 1 } });

    const forward = async (request: FastifyRequest, reply: FastifyReply) => {
      const { service } = request.params as { service: string };
      const path = upstreamPath(request.url);
      if (service === SELF) return forwardToSelf(app, request, reply, path);
      const target = options.registry.find(service);
      if (!target) throw gatewayErrors.create.UNKNOWN_SERVICE(`No service named ${service}`);
      // Only `/api/<service>/metrics` (below, with its permission) reaches a service's public metrics.
      if (readsAsMetrics(path)) {
        throw kitErrors.create.ROUTE_NOT_FOUND(`${request.method} ${request.url.split('?')[0]}`);
      }
      // The raw bytes go on as they came (reply-from would re-encode a JSON body it had not parsed).
      const body = Buffer.isBuffer(request.body)
        ? { body: request.body, contentType: request.headers['content-type'] ?? 'application/octet-stream' }
        : {};
      return reply.from(`${target.baseUrl}${path}`, {
        ...body,
        timeout: options.timeoutMs,
        rewriteRequestHeaders: (_original, headers) => ({
          ...headers,
          'x-request-id': request.id,
          traceparent: request.trace.traceparent,
          // The gateway is the edge: only the address it saw (request.ip, which follows the gateway's own
          // TRUST_PROXY) goes on. A client's own X-Forwarded-For would let it choose the address sso
          // throttles its sign-ins by (ADR 14).
          'x-forwarded-for': request.ip,
          'x-forwarded-proto': request.protocol,
          'x-forwarded-host': request.host,
          'x-forwarded-prefix': `/api/${service}`,
        }),
        onError: (failedReply, { error }) => {
          const code = (error as { code?: string }).code ?? '';
          const timedOut = /TIMEOUT/.test(code) || (error as { statusCode?: number }).statusCode === 504;
          request.log.warn({ service, code }, 'upstream call failed');
          const problem = timedOut
            ? kitErrors.create.UPSTREAM_TIMEOUT(`${service} did not answer within ${options.timeoutMs} ms`)
            : kitErrors.create.SERVICE_UNAVAILABLE(`${service} is unavailable`, {
                headers: { 'retry-after': '5' },
              });
          void sendProblem(failedReply as unknown as FastifyReply, problem, request.url.split('?')[0]);
        },
      });
    };

    // A service's metrics: public on its own port (Prometheus scrapes it there), a token and
    // `gateway:metrics:read` through the gateway (ADR 13). The gateway's own are the kit's /metrics route.
    proxy.get(
      '/api/:service/metrics',
      { config: { permission: METRICS_PERMISSION }, schema: { hide: true } },
      async (request, reply) => {
        const { service } = request.params as { service: string };
        if (service === SELF) {
          return reply.type(app.metrics.contentType).send(await app.metrics.metrics());
        }
        const target = options.registry.find(service);
        if (!target) throw gatewayErrors.create.UNKNOWN_SERVICE(`No service named ${service}`);
        return reply.from(`${target.baseUrl}/metrics`, {
          timeout: options.timeoutMs,
          // The service's metrics need no token on its own port; the caller's goes no further.
          rewriteRequestHeaders: (_original, headers) => {
            const { authorization: _token, cookie: _cookie, ...rest } = headers;
            return { ...rest, 'x-request-id': request.id, traceparent: request.trace.traceparent };
          },
          onError: (failedReply) => {
            const problem = kitErrors.create.SERVICE_UNAVAILABLE(`${service} is unavailable`, {
              headers: { 'retry-after': '5' },
            });
            void sendProblem(failedReply as unknown as FastifyReply, problem, request.url.split('?')[0]);
          },
        });
      },
    );

    for (const url of ['/api/:service', '/api/:service/*']) {
      proxy.route({
        method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        url,
        exposeHeadRoute: false,
        config: { public: true },
        schema: { hide: true },
        handler: forward,
      });
    }
  });
}

/** The gateway's own routes answer in-process, through the same request path as any service's. */
async function forwardToSelf(app: ServiceApp, request: FastifyRequest, reply: FastifyReply, path: string) {
  const headers = { ...request.headers, 'x-request-id': request.id, traceparent: request.trace.traceparent };
  delete headers['content-length'];
  const response = await app.inject({
    method: request.method as 'GET',
    url: path,
    headers,
    ...(Buffer.isBuffer(request.body) ? { payload: request.body } : {}),
  });
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !HOP_HEADERS.has(name)) void reply.header(name, value);
  }
  return reply.code(response.statusCode).send(response.rawPayload);
}
