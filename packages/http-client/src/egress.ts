import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import http from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import https from 'node:https';
import { isIPv4 } from 'node:net';
import type { Duplex } from 'node:stream';
import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';

/**
 * Egress (ADR 26): only the integration service talks to the world outside Lessor. Every other process reaches
 * Lessor's own services only — loopback, and the origins its configuration names (`PARTIES_URL`, sso's URLs,
 * the gateway's routes), declared here by the kit when it builds a service. A service client refuses any other
 * base URL at construction; a process without egress also refuses, before connecting, any `fetch`, undici or
 * node:http(s) request through the global dispatcher and agents to another host.
 */

/** A call to a host that is not a Lessor service, refused before any connection. */
export class EgressRefusedError extends Error {
  readonly code = 'LESSOR_EGRESS_REFUSED';

  constructor(
    /** The origin refused, e.g. `https://api.example.com`. */
    readonly origin: string,
    /** Who asked: `the client of parties`, `fetch`, `node:https`. */
    readonly caller: string,
  ) {
    super(
      `${caller} may not reach ${origin}: it is not a Lessor service, and only the integration service talks to ` +
        `outside hosts (ADR 26). A Lessor service's address comes from the configuration (<NAME>_URL).`,
    );
    this.name = 'EgressRefusedError';
  }
}

const declaredOrigins = new Set<string>();

/**
 * Declares where Lessor's services answer in this process: the origin of each http(s) URL given (others are
 * ignored, e.g. `postgres://`). Called by the kit with the URLs of a service's configuration; additive.
 */
export function declareLessorOrigins(urls: Iterable<string>): void {
  for (const url of urls) {
    const origin = httpOriginOf(url);
    if (origin !== undefined) declaredOrigins.add(origin);
  }
}

/** The origins declared so far, sorted (for messages and tests). */
export function lessorOrigins(): string[] {
  return [...declaredOrigins].sort();
}

/** Every http(s) URL in a text: a URL setting, or a list like the gateway's `sso=http://…,parties=http://…`. */
export function httpUrlsIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s,;"']+/g) ?? [];
}

/** Whether `url` is on a Lessor service: loopback (any port) or a declared origin. */
export function isLessorUrl(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return isLoopback(parsed.hostname) || declaredOrigins.has(parsed.origin);
}

/** Refuses (EgressRefusedError) a URL that is not on a Lessor service; see {@link isLessorUrl}. */
export function assertLessorUrl(url: string | URL, caller: string): void {
  if (!isLessorUrl(url)) throw new EgressRefusedError(originForMessage(url), caller);
}

let guarded = false;

/** Whether this process refuses outside hosts on its global dispatcher and agents. */
export function isEgressGuarded(): boolean {
  return guarded;
}

/**
 * Makes this process refuse, before any connection, every request to a host that is not a Lessor service
 * through the global `fetch` dispatcher (undici's, shared by the built-in `fetch` and the `undici` package) and
 * node:http(s)'s global agents. Idempotent. The kit calls it when it builds a service defined without `egress`;
 * the integration service's outside client brings its own dispatcher, the one way past it (ADR 26).
 */
export function guardProcessEgress(): void {
  if (guarded) return;
  guarded = true;
  const refuseOutside: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) => {
    const origin = String(options.origin ?? '');
    if (isLessorUrl(origin)) return dispatch(options, handler);
    refuse(handler, new EgressRefusedError(originForMessage(origin), 'fetch'));
    return true;
  };
  setGlobalDispatcher(getGlobalDispatcher().compose(refuseOutside));
  http.globalAgent = guardedAgent(HttpAgent, 'http:', optionsOf(http.globalAgent));
  https.globalAgent = guardedAgent(HttpsAgent, 'https:', optionsOf(https.globalAgent)) as HttpsAgent;
}

/** Fails a dispatch through whichever handler interface the caller's undici speaks. */
function refuse(handler: Dispatcher.DispatchHandler, error: Error): void {
  const current = handler as { onResponseError?: (controller: unknown, error: Error) => void };
  if (typeof current.onResponseError === 'function') current.onResponseError(null, error);
  else (handler as { onError?: (error: Error) => void }).onError?.(error);
}

type AgentClass = typeof HttpAgent | typeof HttpsAgent;

/** An agent of `Base` that refuses to open a connection to a host that is not a Lessor service. */
function guardedAgent(Base: AgentClass, protocol: 'http:' | 'https:', options: AgentOptions): HttpAgent {
  // `createConnection` is where an agent opens a socket; a refusal through its callback fails the request.
  class GuardedAgent extends (Base as typeof HttpAgent) {
    override createConnection(
      connection: { host?: string; port?: number | string },
      callback?: (error: Error | null, socket: Duplex) => void,
    ): Duplex | undefined {
      const host = connection.host ?? 'localhost';
      const origin = `${protocol}//${host.includes(':') ? `[${host}]` : host}:${String(connection.port ?? '')}`;
      if (!isLessorUrl(origin)) {
        callback?.(
          new EgressRefusedError(originForMessage(origin), `node:${protocol.slice(0, -1)}`),
          undefined as never,
        );
        return undefined;
      }
      return (super.createConnection as (...args: unknown[]) => Duplex | undefined)(connection, callback);
    }
  }
  return new GuardedAgent(options);
}

/** The options a global agent was made with (keep-alive and its timeout), kept by its guarded successor. */
function optionsOf(agent: HttpAgent): AgentOptions {
  return (agent as HttpAgent & { options?: AgentOptions }).options ?? {};
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

function httpOriginOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

function originForMessage(url: string | URL): string {
  try {
    return new URL(url).origin;
  } catch {
    return String(url).slice(0, 200);
  }
}
