import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceClient, UpstreamUnavailableError, type ServiceClient } from '../src/index.ts';
import { rejectionOf, startUpstreamServer, type UpstreamServer } from './upstream-server.ts';

/**
 * A deadline missed because the CALLER's own event loop could not run (a long synchronous task, a saturated
 * process) says nothing about the service called: it answered at once, and the answer sat unread. Issue 13 saw
 * the gateway's circuit to leasing open that way with every service on one loop. The service here runs in a
 * worker thread — its own event loop — so it answers while the test blocks the caller's.
 */
const FAST_SERVICE = `
  const { createServer } = require('node:http');
  const { parentPort } = require('node:worker_threads');
  // Answers after 20 ms: fast, well within the deadline, and never before the caller's loop is blocked.
  const server = createServer((request, response) => {
    setTimeout(() => {
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    }, 20);
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.on('message', () => server.close(() => process.exit(0)));
`;

let worker: Worker;
let fastUrl = '';

beforeAll(async () => {
  worker = new Worker(FAST_SERVICE, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  fastUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  worker.postMessage('stop');
  await new Promise((resolve) => worker.once('exit', resolve));
});

/** Keeps this thread's event loop from running for `ms`, as a long synchronous task would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy: nothing else of this thread runs
  }
}

// The platform's own deadline (300 ms, the client's default).
function clientOf(baseUrl: string): ServiceClient {
  return createServiceClient({
    service: 'leasing',
    baseUrl,
    retry: { maxAttempts: 1 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
  });
}

describe('circuit breaker and the caller’s own event loop', () => {
  it('should not open the circuit when the calls timed out because the caller’s event loop was blocked while the service answered at once', async () => {
    const client = clientOf(fastUrl);
    try {
      // A first call opens the connection (with time to spare on a loaded machine).
      await expect(client.get('/v1/contracts/1', { deadlineMs: 5000 })).resolves.toEqual({ ok: true });

      const calls = Array.from({ length: 5 }, (_, index) =>
        rejectionOf(client.get(`/v1/contracts/${index}`)),
      );
      // The calls are sent (their attempts have begun); 5 ms later the loop is blocked past their deadline, while
      // the service answers after 20 ms. Blocked in the check phase, as a loop busy with other work would be: its
      // next turn runs the expired deadline timers before it reads the answers waiting in the sockets.
      setTimeout(() => setImmediate(() => blockEventLoop(500)), 5);
      const errors = await Promise.all(calls);

      expect(client.breakerState).toBe('closed');
      for (const error of errors) {
        // The calls themselves did miss their deadline: the caller gets its timeout all the same, told why.
        expect(error).toBeInstanceOf(UpstreamUnavailableError);
        expect((error as UpstreamUnavailableError).reason).toBe('timeout');
        expect((error as Error).message).toMatch(/this process's event loop was stalled/);
      }
      await expect(client.get('/v1/contracts/1', { deadlineMs: 5000 })).resolves.toEqual({ ok: true });
    } finally {
      client.close();
    }
  });

  it('should still open the circuit when the service itself is too slow and the caller is idle', async () => {
    const server: UpstreamServer = await startUpstreamServer();
    const client = clientOf(server.baseUrl);
    try {
      // Five calls for the three failures that open it: on a loaded machine one wait may happen to find this
      // process descheduled for most of it, and that one is (rightly) not counted.
      for (let i = 0; i < 5 && client.breakerState === 'closed'; i++) {
        const error = await rejectionOf(client.get('/v1/slow'));
        expect((error as UpstreamUnavailableError).reason).toBe('timeout');
      }
      expect(client.breakerState).toBe('open');
    } finally {
      client.close();
      await server.close();
    }
  });
});
