import type { Logger } from 'pino';
import { createServiceClient } from '@lessor/http-client';
import { readRemotePage, type RemotePage } from './remote-page.ts';

/** The outside system, as the sync sees it: pages of records after a cursor. */
export interface RemoteClient {
  page(after: string | null, limit: number): Promise<RemotePage>;
  close(): void;
}

/**
 * The client of the outside system: the kit's service client (a deadline per page, retries of these idempotent
 * GETs on network errors, timeouts, 429 and 5xx, a circuit breaker), without a Lessor token — the outside system
 * has its own credentials, added here when it needs them.
 */
export function createRemoteClient(options: {
  baseUrl: string;
  deadlineMs: number;
  log: Logger;
}): RemoteClient {
  const client = createServiceClient({
    service: 'remote',
    baseUrl: options.baseUrl,
    deadlineMs: options.deadlineMs,
    retry: { maxAttempts: 3, initialDelayMs: 50, maxDelayMs: 500 },
    logger: options.log,
  });
  return {
    async page(after, limit) {
      const body = await client.get('/records', { query: { limit, after: after ?? undefined } });
      return readRemotePage(body);
    },
    close: () => client.close(),
  };
}
