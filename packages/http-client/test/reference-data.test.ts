import { Writable } from 'node:stream';
import { createServiceTokenProvider } from '@lessor/auth';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createServiceClient,
  UpstreamResponseError,
  UpstreamUnavailableError,
  type ServiceClient,
  type ServiceClientOptions,
} from '../src/index.ts';
import { recordingLogger, rejectionOf, startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

let server: UpstreamServer;
const clients: ServiceClient[] = [];

beforeEach(async () => {
  server = await startUpstreamServer();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.close();
});

function clientOf(options: Partial<ServiceClientOptions> = {}): ServiceClient {
  const client = createServiceClient({
    service: 'parties',
    baseUrl: server.baseUrl,
    deadlineMs: 2000,
    ...options,
  });
  clients.push(client);
  return client;
}

interface Party {
  id: string;
  name: string;
  answer: number;
}

describe('getReference', () => {
  it('should answer from the cache without a call when the value is fresh', async () => {
    const client = clientOf({ cache: { freshMs: 60_000 } });

    const first = await client.getReference<Party>('/v1/parties/p1');
    const second = await client.getReference<Party>('/v1/parties/p1');

    expect(first).toMatchObject({ value: { id: 'p1', name: 'Party p1', answer: 1 }, stale: false });
    expect(second).toEqual(first);
    expect(server.seen('/v1/parties/:id')).toHaveLength(1);
  });

  it('should fetch again when the cached value is no longer fresh', async () => {
    const client = clientOf({ cache: { freshMs: 0 } });

    await client.getReference<Party>('/v1/parties/p1');
    const second = await client.getReference<Party>('/v1/parties/p1');

    expect(second).toMatchObject({ value: { answer: 2 }, stale: false });
    expect(server.seen('/v1/parties/:id')).toHaveLength(2);
  });

  it('should answer the last value marked stale when the service is stopped', async () => {
    const { lines, logger } = recordingLogger();
    const client = clientOf({ cache: { freshMs: 0 }, logger });
    const first = await client.getReference<Party>('/v1/parties/p1');

    await server.close();
    const second = await client.getReference<Party>('/v1/parties/p1');

    expect(second).toEqual({ value: first.value, stale: true, fetchedAt: first.fetchedAt });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        obj: expect.objectContaining({ upstream: 'parties', path: '/v1/parties/p1', reason: 'unreachable' }),
      }),
    );
  });

  it('should answer the last value marked stale without a call when the circuit is open', async () => {
    const client = clientOf({
      cache: { freshMs: 0 },
      retry: { maxAttempts: 1 },
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 60_000 },
    });
    await client.getReference<Party>('/v1/parties/p1');
    server.healthy = false;
    await rejectionOf(client.get('/v1/toggle'));
    expect(client.breakerState).toBe('open');

    const answer = await client.getReference<Party>('/v1/parties/p1');

    expect(answer).toMatchObject({ value: { id: 'p1', answer: 1 }, stale: true });
    expect(server.seen('/v1/parties/:id')).toHaveLength(1);
  });

  it('should throw UpstreamUnavailableError when the service is down and the value was never fetched', async () => {
    const client = clientOf();
    await server.close();

    const error = await rejectionOf(client.getReference('/v1/parties/p1'));

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ service: 'parties', reason: 'unreachable' });
  });

  it('should throw UpstreamResponseError and forget the value when the service answers 404', async () => {
    const client = clientOf({ cache: { freshMs: 0 } });
    await client.getReference('/v1/parties/p1');
    server.deletedParties.add('p1');

    const gone = await rejectionOf(client.getReference('/v1/parties/p1'));
    expect(gone).toBeInstanceOf(UpstreamResponseError);
    expect(gone).toMatchObject({ status: 404 });

    // No stale copy of a deleted party survives: once the service is down too, there is nothing to answer.
    await server.close();
    expect(await rejectionOf(client.getReference('/v1/parties/p1'))).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('should keep one entry per key when given a key and a query', async () => {
    const client = clientOf({ cache: { freshMs: 60_000 } });

    await client.getReference('/v1/echo', { query: { id: 'a' } });
    await client.getReference('/v1/echo', { query: { id: 'b' } });
    const again = await client.getReference<{ url: string }>('/v1/echo', { query: { id: 'a' } });
    const keyed = await client.getReference<{ url: string }>('/v1/echo', {
      key: 'echo-c',
      query: { id: 'c' },
    });

    expect(again.value.url).toBe('/v1/echo?id=a');
    expect(keyed.value.url).toBe('/v1/echo?id=c');
    expect(server.seen('/v1/echo')).toHaveLength(3);
  });

  it('should share one call when concurrent reads miss the cache', async () => {
    const client = clientOf();

    const answers = await Promise.all(
      Array.from({ length: 5 }, () => client.getReference<Party>('/v1/parties/p1')),
    );

    expect(new Set(answers.map((answer) => answer.value.answer))).toEqual(new Set([1]));
    expect(server.seen('/v1/parties/:id')).toHaveLength(1);
  });

  it('should never write the token to a pino log line when serving stale data', async () => {
    let output = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const provider = createServiceTokenProvider({
      tokenUrl: `${server.baseUrl}/oauth/token`,
      clientId: 'leasing',
      clientSecret: 'leasing-secret',
    });
    const client = clientOf({
      token: provider.getToken,
      logger: pino({ level: 'debug' }, sink),
      cache: { freshMs: 0 },
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 1 },
    });
    await client.getReference('/v1/protected');

    await server.close();
    const answer = await client.getReference('/v1/protected');

    expect(answer.stale).toBe(true);
    expect(output).toContain('answering /v1/protected from the cache, stale');
    expect(output).toContain('retrying GET /v1/protected');
    expect(output).not.toContain('token-1');
  });
});
