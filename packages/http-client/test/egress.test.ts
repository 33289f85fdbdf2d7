import http from 'node:http';
import https from 'node:https';
import { Agent, request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createServiceClient,
  declareLessorOrigins,
  EgressRefusedError,
  guardProcessEgress,
  isEgressGuarded,
  isLessorUrl,
} from '../src/index.ts';
import { startOutsideHost, type OutsideHost } from '../src/testing.ts';
import { startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

/**
 * ADR 26: a Lessor service client refuses a host that is not a Lessor service, and a guarded process refuses
 * it on the global fetch dispatcher and node:http(s) agents — before any connection. The guard is process-wide
 * and cannot be taken back, so the tests that need an unguarded process run first.
 */

let outside: OutsideHost;
let lessor: UpstreamServer;

beforeAll(async () => {
  outside = await startOutsideHost();
  lessor = await startUpstreamServer();
});

afterAll(async () => {
  await outside.close();
  await lessor.close();
});

/** The error a promise rejects with. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

/** The EgressRefusedError behind a failure, through `fetch failed`'s cause. */
function refusalOf(error: unknown): EgressRefusedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    if (current instanceof EgressRefusedError) return current;
    current = current.cause;
  }
  return undefined;
}

/** `node:http(s).get` through the global agent, settling with its status or its error. */
function getThroughGlobalAgent(module: typeof http | typeof https, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    module
      .get(url, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('isLessorUrl', () => {
  it('should take loopback on any port as a Lessor service and an undeclared host as outside', () => {
    expect(isLessorUrl('http://127.0.0.1:8103/v1/parties')).toBe(true);
    expect(isLessorUrl('http://localhost:1/')).toBe(true);
    expect(isLessorUrl('http://[::1]:8101/')).toBe(true);
    expect(isLessorUrl('https://crm.example.com/api/data/v9.2/')).toBe(false);
    expect(isLessorUrl('ftp://127.0.0.1/')).toBe(false);
    expect(isLessorUrl('not a url')).toBe(false);
  });

  it('should take a declared origin as a Lessor service, on its origin only', () => {
    declareLessorOrigins(['http://parties.lessor.svc:8103', 'postgres://db:5432/lessor']);

    expect(isLessorUrl('http://parties.lessor.svc:8103/v1/parties/1')).toBe(true);
    expect(isLessorUrl('http://parties.lessor.svc:8104/')).toBe(false);
    expect(isLessorUrl('https://parties.lessor.svc:8103/')).toBe(false);
  });
});

describe('a service client', () => {
  it('should refuse a base URL that is not a Lessor service before any connection', () => {
    const error = (() => {
      try {
        createServiceClient({ service: 'crm', baseUrl: outside.origin });
      } catch (thrown) {
        return thrown;
      }
    })();

    expect(error).toBeInstanceOf(EgressRefusedError);
    expect((error as EgressRefusedError).message).toMatch(/the client of crm may not reach http:\/\//);
    expect(outside.connections()).toBe(0);
  });

  it('should refuse an absolute or host-relative request URL to an outside host', async () => {
    const client = createServiceClient({ service: 'parties', baseUrl: lessor.baseUrl });
    try {
      const absolute = await rejectionOf(client.get(`${outside.origin}/v1/parties`));
      const hostRelative = await rejectionOf(client.get(`//${new URL(outside.origin).host}/v1/parties`));

      expect(absolute).toBeInstanceOf(EgressRefusedError);
      expect(hostRelative).toBeInstanceOf(EgressRefusedError);
      expect(outside.connections()).toBe(0);
    } finally {
      client.close();
    }
  });

  it('should call a Lessor service on loopback as before', async () => {
    const client = createServiceClient({ service: 'parties', baseUrl: lessor.baseUrl });
    try {
      await expect(client.get('/v1/parties/0190')).resolves.toBeDefined();
    } finally {
      client.close();
    }
  });
});

describe('a process before its guard', () => {
  it('should reach an outside host with a plain fetch', async () => {
    expect(isEgressGuarded()).toBe(false);
    if (!outside.reachable) return; // no non-loopback interface: nothing outside to reach

    const response = await fetch(`${outside.origin}/`);

    expect(response.status).toBe(200);
    expect(outside.connections()).toBe(1);
  });
});

describe('a guarded process', () => {
  beforeAll(() => {
    guardProcessEgress();
    guardProcessEgress(); // idempotent: one guard, not two
  });

  it('should refuse a plain fetch to an outside host before any connection', async () => {
    const before = outside.connections();

    const error = await rejectionOf(fetch(`${outside.origin}/`));

    expect(refusalOf(error)?.code).toBe('LESSOR_EGRESS_REFUSED');
    expect(refusalOf(error)?.origin).toBe(outside.origin);
    expect(outside.connections()).toBe(before);
  });

  it('should refuse undici’s request through the global dispatcher', async () => {
    const before = outside.connections();

    const error = await rejectionOf(undiciRequest(`${outside.origin}/`));

    expect(refusalOf(error)).toBeInstanceOf(EgressRefusedError);
    expect(outside.connections()).toBe(before);
  });

  it('should refuse node:http and node:https through their global agents', async () => {
    const before = outside.connections();
    const secureOrigin = outside.origin.replace('http:', 'https:');

    const plain = await rejectionOf(getThroughGlobalAgent(http, `${outside.origin}/`));
    const secure = await rejectionOf(getThroughGlobalAgent(https, `${secureOrigin}/`));

    expect(refusalOf(plain)?.caller).toBe('node:http');
    expect(refusalOf(secure)?.caller).toBe('node:https');
    expect(outside.connections()).toBe(before);
  });

  it('should let an outside client with its own dispatcher through (integration’s, ADR 26)', async () => {
    if (!outside.reachable) return;
    const own = new Agent();
    try {
      const response = await undiciRequest(`${outside.origin}/`, { dispatcher: own });
      await response.body.dump();

      expect(response.statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('should still reach Lessor services: loopback and declared origins', async () => {
    const viaFetch = await fetch(`${lessor.baseUrl}/v1/parties/0190`);
    const viaHttp = await getThroughGlobalAgent(http, `${lessor.baseUrl}/v1/parties/0190`);

    expect(viaFetch.status).toBe(200);
    expect(viaHttp).toBe(200);
    if (!outside.reachable) return;
    declareLessorOrigins([outside.origin]);
    expect((await fetch(`${outside.origin}/`)).status).toBe(200);
  });
});
