import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { gatewayService } from '../src/gateway.service.ts';

const backends = testBackends();

/** A plain HTTP server standing in for a service: echoes what reached it, or answers slowly. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.each(backends)('gateway on %s', (backend) => {
  let gateway: TestServices & TestService;
  let gatewayUrl: string;
  let echo: Server;
  let slow: Server;
  let token: string;

  beforeAll(async () => {
    const echoed = await listen((request, response) => {
      let size = 0;
      request.on('data', (chunk: Buffer) => (size += chunk.length));
      request.on('end', () => {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({ url: request.url, method: request.method, headers: request.headers, size }),
        );
      });
    });
    echo = echoed.server;
    const slowed = await listen((_request, response) => {
      const timer = setTimeout(() => response.end('{}'), 5000);
      response.on('close', () => clearTimeout(timer));
    });
    slow = slowed.server;
    // A port that was free a moment ago: nothing listens there, as with a stopped service.
    const stopped = await listen(() => {});
    const deadUrl = stopped.url;
    await new Promise((resolve) => stopped.server.close(resolve));

    // The test issuer's keys stand in for sso's (the whole sign-in path through the gateway is tested in apps/stack).
    gateway = await startTestService(gatewayService, {
      setup: { backend, broker: 'in-process' },
      listen: true,
      env: {
        GATEWAY_SERVICES: `echo=${echoed.url},slow=${slowed.url},stopped=${deadUrl}`,
        GATEWAY_UPSTREAM_TIMEOUT_MS: '500',
        // Far from both: echo answers at once, slow after 5 s (300 ms let echo miss it on a loaded machine).
        GATEWAY_READINESS_TIMEOUT_MS: '2000',
        GATEWAY_BODY_LIMIT_BYTES: '65536',
      },
    });
    if (!gateway.url) throw new Error('the gateway was started listening');
    gatewayUrl = gateway.url;
    token = await gateway.token(['*:*:*'], undefined, 'Admin');
  });

  afterAll(async () => {
    await gateway?.close();
    echo?.close();
    slow?.closeAllConnections();
    slow?.close();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('should list every service with its readiness for an admin, and refuse without a token', async () => {
    const response = await fetch(`${gatewayUrl}/api/gateway/v1/services`, { headers: auth() });
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { name: string; ready: boolean }[] };
    const readiness = Object.fromEntries(items.map((item) => [item.name, item.ready]));
    expect(readiness).toEqual({ echo: true, slow: false, stopped: false });
    expect((await fetch(`${gatewayUrl}/api/gateway/v1/services`)).status).toBe(401);
  });

  it('should answer its own routes under /api/gateway in one pass, not as a second request (issue 13)', async () => {
    const proxied = async () => {
      const counter = gateway.app.metrics.getSingleMetric('http_requests_total') as unknown as {
        get(): Promise<{ values: { labels: Record<string, string>; value: number }[] }>;
      };
      const { values } = await counter.get();
      return values
        .filter((entry) => entry.labels.route === '/api/:service/*')
        .reduce((sum, entry) => sum + entry.value, 0);
    };
    const before = await proxied();

    const response = await fetch(`${gatewayUrl}/api/gateway/v1/services?x=1`, {
      headers: { ...auth(), 'x-request-id': 'own-route-1' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('own-route-1');
    expect(await proxied()).toBe(before);
    const missing = await fetch(`${gatewayUrl}/api/gateway/v1/nothing-here`, { headers: auth() });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toContain('GET /v1/nothing-here');
  });

  it('should answer 503 problem+json at once when a service is stopped', async () => {
    const response = await fetch(`${gatewayUrl}/api/stopped/v1/anything`, { headers: auth() });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });

  it('should answer 504 problem+json at the deadline when a service is slow', async () => {
    const response = await fetch(`${gatewayUrl}/api/slow/v1/anything`, {
      headers: auth(),
      signal: AbortSignal.timeout(4000),
    });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
  });

  it('should pass on the request id, a traceparent of the same trace and forwarding headers', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const response = await fetch(`${gatewayUrl}/api/echo/v1/things?x=1`, {
      headers: { ...auth(), 'x-request-id': 'gw-req-42', traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const seen = (await response.json()) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/v1/things?x=1');
    expect(seen.headers['x-request-id']).toBe('gw-req-42');
    expect(seen.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(seen.headers.traceparent).not.toContain('b7ad6b7169203331');
    expect(seen.headers['x-forwarded-for']).toContain('127.0.0.1');
    expect(seen.headers.authorization).toBe(`Bearer ${token}`);
    expect(response.headers.get('x-request-id')).toBe('gw-req-42');
  });

  it('should forward only the address it saw, never an X-Forwarded-For its client made up', async () => {
    const response = await fetch(`${gatewayUrl}/api/echo/v1/things`, {
      headers: { ...auth(), 'x-forwarded-for': '6.6.6.6' },
    });
    const seen = (await response.json()) as { headers: Record<string, string> };
    // sso throttles sign-ins by this address: a client choosing it would escape its throttle (ADR 14).
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('should forward the path as it came, escapes kept (a %3F never becomes a query)', async () => {
    const response = await fetch(`${gatewayUrl}/api/echo/v1/things/a%2Fb%3Fc?x=1`, { headers: auth() });
    expect(((await response.json()) as { url: string }).url).toBe('/v1/things/a%2Fb%3Fc?x=1');
  });

  it('should set security headers on every answer', async () => {
    const response = await fetch(`${gatewayUrl}/api/echo/v1/things`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-frame-options')).toBeTruthy();
    for (const name of [
      'cross-origin-opener-policy',
      'cross-origin-resource-policy',
      'origin-agent-cluster',
      'referrer-policy',
      'x-dns-prefetch-control',
      'x-download-options',
      'x-permitted-cross-domain-policies',
      'x-xss-protection',
    ])
      expect(response.headers.get(name), name).toBeTruthy();
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;connect-src 'self'",
    );
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const missing = await fetch(`${gatewayUrl}/api/gateway/v1/no-such-route`);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('should refuse a body over the size limit with 413 problem+json', async () => {
    const response = await fetch(`${gatewayUrl}/api/echo/v1/upload`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(70_000),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const small = await fetch(`${gatewayUrl}/api/echo/v1/upload`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1000),
    });
    expect(((await small.json()) as { size: number }).size).toBe(1000);
  });

  it('should answer 404 problem+json for an unknown service', async () => {
    const response = await fetch(`${gatewayUrl}/api/nonexistent/v1/x`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'UNKNOWN_SERVICE' });
  });

  it('should pass a form-encoded body through untouched', async () => {
    const response = await fetch(`${gatewayUrl}/api/echo/v1/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=a',
    });
    const seen = (await response.json()) as { method: string; size: number; headers: Record<string, string> };
    expect(seen.method).toBe('POST');
    expect(seen.size).toBe('grant_type=client_credentials&client_id=a'.length);
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('should have no outbox nor event routes when defined without events', async () => {
    // No relay polls an outbox that stays empty (and again after every write it forwards).
    const outbox = await fetch(`${gatewayUrl}/api/gateway/v1/events/outbox`, { headers: auth() });
    expect(outbox.status).toBe(404);
    expect((await fetch(`${gatewayUrl}/api/gateway/asyncapi.json`, { headers: auth() })).status).toBe(404);
    expect(gateway.app.events).toBeUndefined();
  });

  it('should serve its own API docs at /api/gateway only with a token', async () => {
    expect((await fetch(`${gatewayUrl}/api/gateway/openapi.json`)).status).toBe(401);
    const spec = await fetch(`${gatewayUrl}/api/gateway/openapi.json`, { headers: auth() });
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/v1/services');
    expect((await fetch(`${gatewayUrl}/api/gateway/docs/`, { headers: auth() })).status).toBe(200);
  });
});
