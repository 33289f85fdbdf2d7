/// <reference types="node" />
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { session } from '../auth/session.ts';

/** A call the page made to the API: `path` as the gateway sees it (`/api/audit/v1/records`). */
export interface ApiCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The request's headers, names in lower case (`if-match`). */
  headers: Record<string, string | undefined>;
}

/** What the server answers a call: its status (200 unless said) and JSON body. */
export interface ApiAnswer {
  status?: number;
  body?: unknown;
  /** Headers besides the content type, e.g. a file's `content-disposition`. */
  headers?: Record<string, string>;
  /** A body sent as it is (a CSV file) instead of `body` as JSON; give its content type in `headers`. */
  text?: string;
}

/** The API for one test: a real HTTP server answering what the test tells it to, and nothing else (404). */
export interface TestApi {
  /** Answers `route` (`'GET /api/audit/v1/records'`) from now on with what `reply` returns for each call. */
  answer(route: string, reply: (call: ApiCall) => ApiAnswer): void;
  /** Every call the page made, in order. */
  readonly calls: ApiCall[];
  /** Signs the app's session in as a user holding `permissions` (sso's login and `/v1/me`, answered here). */
  signInAs(permissions: readonly string[]): Promise<void>;
  /** Signs out and stops the server. */
  close(): Promise<void>;
}

let origin: string | null = null;

/** Where the page's own origin is served while a test's API runs (testing/setup.ts sends fetch there). */
export function testApiOrigin(): string | null {
  return origin;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * Starts the API a component test talks to, in place of the gateway: a real HTTP server on a free port. The
 * app's clients call the page's origin; testing/setup.ts sends those calls here while the server runs.
 */
export async function serveApi(): Promise<TestApi> {
  const routes = new Map<string, (call: ApiCall) => ApiAnswer>();
  const calls: ApiCall[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://api.test');
      const call: ApiCall = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body: await readBody(request),
        headers: Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : value,
          ]),
        ),
      };
      calls.push(call);
      const reply = routes.get(`${call.method} ${call.path}`);
      const answer = reply
        ? reply(call)
        : { status: 404, body: { title: 'Not answered by the test', status: 404, detail: call.path } };
      const status = answer.status ?? 200;
      response.writeHead(status, {
        'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
        ...answer.headers,
      });
      response.end(answer.text ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: TestApi = {
    answer: (route, reply) => routes.set(route, reply),
    calls,
    async signInAs(permissions) {
      api.answer('POST /api/sso/v1/auth/login', () => ({
        body: {
          accessToken: 'test-access',
          refreshToken: 'test-refresh',
          expiresIn: 3600,
          tokenType: 'Bearer',
        },
      }));
      api.answer('POST /api/sso/v1/auth/logout', () => ({ status: 204 }));
      api.answer('GET /api/sso/v1/me', () => ({
        body: {
          id: '01a2121c-0d46-73c8-8906-818e447dc3f7',
          kind: 'user',
          username: 'tester',
          fullName: 'Test User',
          email: null,
          roles: ['test'],
          permissions: [...permissions],
          tokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      }));
      await session.signIn('tester', 'not checked');
    },
    async close() {
      if (session.snapshot.status === 'signed-in') await session.signOut();
      origin = null;
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
  return api;
}
