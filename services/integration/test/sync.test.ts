import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import type { IntegrationDatabase } from '../src/database.ts';
import { integrationService } from '../src/integration.service.ts';

/**
 * The outside system, for real: a small HTTP server speaking its protocol (`GET /records?after=&limit=` → a page
 * and the next cursor) started by the test. `answer` decides, request by request, what it does.
 */
interface OutsideSystem {
  url: string;
  records: { id: string; name: string; updatedAt: string }[];
  /** Each request the server got, as `after` (empty for the first page). */
  asked: string[];
  answer: (request: IncomingMessage, response: ServerResponse) => 'page' | 'handled';
  close(): Promise<void>;
}

async function startOutsideSystem(): Promise<OutsideSystem> {
  const outside: OutsideSystem = {
    url: '',
    records: Array.from({ length: 5 }, (_, index) => ({
      id: `r-${index + 1}`,
      name: `Record ${index + 1}`,
      updatedAt: `2026-12-0${index + 1}T08:00:00.000Z`,
    })),
    asked: [],
    answer: () => 'page',
    close: async () => {},
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://outside.test');
    outside.asked.push(url.searchParams.get('after') ?? '');
    if (outside.answer(request, response) === 'handled') return;
    const after = url.searchParams.get('after');
    const limit = Number(url.searchParams.get('limit'));
    const start = after ? outside.records.findIndex((record) => record.id === after) + 1 : 0;
    const records = outside.records.slice(start, start + limit);
    const next = start + limit < outside.records.length ? (records.at(-1)?.id ?? null) : null;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ records, next }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  outside.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  outside.close = () => new Promise((resolve) => server.close(() => resolve()));
  return outside;
}

describe('integration: syncs the records of an outside system', () => {
  let outside: OutsideSystem;
  let service: TestServices & TestService;
  let operator: string;

  beforeAll(async () => {
    outside = await startOutsideSystem();
    service = await startTestService(integrationService, {
      env: { INTEGRATION_REMOTE_URL: outside.url, INTEGRATION_PAGE_SIZE: '2' },
    });
    operator = await service.token(['integration:sync:read', 'integration:sync:write']);
  });
  afterAll(async () => {
    await service.close();
    await outside.close();
  });

  /** Starts a run and waits until it has ended; the run as GET /v1/sync shows it then. */
  async function syncRun() {
    const started = await service.call('POST', '/v1/sync', operator, undefined);
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('running');
    return service.until(async () => {
      const state = await service.call('GET', '/v1/sync', operator);
      return state.body.latest?.id === started.body.id && state.body.status !== 'running'
        ? state.body.latest
        : undefined;
    }, 'the sync run ended');
  }
  const storedRecords = () =>
    service.db<IntegrationDatabase>().selectFrom('remoteRecords').selectAll().execute();

  it('should page through the outside system, keep its records and publish sync.completed', async () => {
    expect((await service.call('GET', '/v1/sync', operator)).body).toEqual({
      status: 'never-run',
      latest: null,
    });
    const run = await syncRun();
    expect(run).toMatchObject({ status: 'completed', pages: 3, records: 5, cursor: 'r-4', error: null });
    expect(outside.asked).toEqual(['', 'r-2', 'r-4']);
    expect((await storedRecords()).map((record) => record.remoteId).sort()).toEqual([
      'r-1',
      'r-2',
      'r-3',
      'r-4',
      'r-5',
    ]);
    const [completed] = await service.outbox('lessor.integration.sync.completed.v1');
    expect(completed!.data).toEqual({ runId: run.id, pages: 3, records: 5, cursor: 'r-4' });
  });

  it('should retry a page the outside system failed once (503), and go on from the last cursor', async () => {
    outside.records.push({ id: 'r-6', name: 'Record 6', updatedAt: '2026-12-06T08:00:00.000Z' });
    outside.asked = [];
    let failed = false;
    outside.answer = (_, response) => {
      if (failed) return 'page';
      failed = true;
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"busy"}');
      return 'handled';
    };
    const run = await syncRun();
    // The last page has no next cursor: it is read again by the next run (r-5 again, and r-6 now).
    expect(run).toMatchObject({ status: 'completed', pages: 1, records: 2, cursor: 'r-4' });
    expect(outside.asked).toEqual(['r-4', 'r-4']);
    expect(await storedRecords()).toHaveLength(6);
  });

  it('should end the run failed with the reason, and write nothing, when the outside system is down', async () => {
    const before = await service.outbox('lessor.integration.sync.completed.v1');
    outside.answer = (request) => {
      request.socket.destroy();
      return 'handled';
    };
    const run = await syncRun();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/remote is unavailable/);
    expect(run).toMatchObject({ pages: 0, records: 0, cursor: 'r-4' });
    expect(await storedRecords()).toHaveLength(6);
    expect(await service.outbox('lessor.integration.sync.completed.v1')).toHaveLength(before.length);
  });

  it('should refuse a second run while one is under way (409), and the reader’s start (403)', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    outside.answer = (_, response) => {
      void held.then(() =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"records":[],"next":null}'),
      );
      return 'handled';
    };
    const first = await service.call('POST', '/v1/sync', operator, undefined);
    expect(first.status).toBe(202);
    const second = await service.call('POST', '/v1/sync', operator, undefined);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('INTEGRATION_SYNC_RUNNING');
    release();
    await service.until(
      async () => (await service.call('GET', '/v1/sync', operator)).body.status === 'completed',
    );

    const reader = await service.token(['integration:sync:read']);
    expect((await service.call('POST', '/v1/sync', reader, undefined)).status).toBe(403);
  });
});
