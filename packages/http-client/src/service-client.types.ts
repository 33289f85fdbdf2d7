import type { RetryOptions } from './backoff.ts';
import type { UpstreamMetrics } from './metrics.ts';
import type { ReferenceCacheOptions } from './reference-cache.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query parameters; `undefined` ones are left out, so optional filters can be passed as they are. */
export type QueryParameters = Record<string, string | number | boolean | undefined>;

/** The pino-compatible subset a client logs through. It never logs a token, a body or a query string. */
export interface ServiceClientLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

/** Options of `createServiceClient`. */
export interface ServiceClientOptions {
  /** The service called, e.g. `parties`: named in errors, log lines and metric labels. */
  service: string;
  /** Where it answers, e.g. `http://127.0.0.1:8103`; a path prefix (`…/api/parties`) is kept. */
  baseUrl: string;
  /** A service-client access token, e.g. `serviceTokenProvider.getToken`; sent as `Authorization: Bearer`. */
  token?: () => Promise<string>;
  /** Called when the service answered 401 to the token (e.g. `serviceTokenProvider.invalidate`), before one retry with a new token. */
  onUnauthorized?: () => void;
  /** The trace to continue, e.g. `() => currentRequest()?.traceparent`; sent as the `traceparent` header. */
  traceparent?: () => string | undefined;
  /** Extra headers for every call, e.g. `x-request-id`. */
  headers?: () => Record<string, string>;
  /** Budget of a whole call, retries included. Default 300 ms, the platform's budget per call between services. */
  deadlineMs?: number;
  /** Retries of idempotent calls. `attemptTimeoutMs` caps one attempt (default: none, an attempt may use all the time left). */
  retry?: RetryOptions & { attemptTimeoutMs?: number };
  /** Circuit breaker: opens after `consecutiveFailures` (default 5) failed attempts, lets a trial call through after `halfOpenAfterMs` (default 5000). */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  /** The reference-data cache of {@link ServiceClient.getReference}. */
  cache?: Omit<ReferenceCacheOptions, 'now'>;
  /** The HTTP implementation; default a keep-alive node:http client of this client's own (see node-fetch.ts). */
  fetch?: typeof fetch;
  logger?: ServiceClientLogger;
  /** prom-client metrics to report to; see `UPSTREAM_REQUEST_DURATION` and `UPSTREAM_CIRCUIT_OPENS`. */
  metrics?: UpstreamMetrics;
}

/** What can be said about one call. */
export interface CallOptions {
  query?: QueryParameters;
  /** This call's budget instead of the client's. */
  deadlineMs?: number;
  headers?: Record<string, string>;
  /** Aborts the call, e.g. when the request that needs it was abandoned. */
  signal?: AbortSignal;
}

/** One call to the service. */
export interface UpstreamRequest extends CallOptions {
  method: HttpMethod;
  /** Starts with `/`, e.g. `/v1/parties/0190…`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as `Idempotency-Key`; makes a POST or PATCH safe to retry, since the service applies it once. */
  idempotencyKey?: string;
}

/** A 2xx or 3xx answer. `body` is the parsed JSON, the text of another media type, or `undefined` when empty. */
export interface UpstreamResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A reference-data answer; `stale` when it is the last known value because the service is down. */
export interface ReferenceAnswer<T> {
  value: T;
  stale: boolean;
  fetchedAt: Date;
}

/** Options of one reference read: its cache key (default: path and query), query and deadline. */
export interface ReferenceReadOptions {
  key?: string;
  query?: QueryParameters;
  deadlineMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A typed, resilient client of one Lessor service. */
export interface ServiceClient {
  /**
   * Sends one call within its deadline, retrying idempotent ones on network errors, timeouts, 502/503/504 and
   * 429. Resolves with a 2xx or 3xx answer; rejects with `UpstreamResponseError` on another 4xx and
   * `UpstreamUnavailableError` when the service is down, slow, failing or shed by the breaker.
   */
  request<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>>;
  /** `GET path` and its body. */
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  /**
   * Reference data: answers from the cache when fresh; otherwise fetches; when the service is down (timeout,
   * refused, 5xx, breaker open) answers the last known value marked stale; with no value at all rethrows the
   * `UpstreamUnavailableError`. A 404 drops the cached value and rejects with `UpstreamResponseError`.
   */
  getReference<T = unknown>(
    path: string,
    options?: { key?: string; query?: QueryParameters; deadlineMs?: number },
  ): Promise<ReferenceAnswer<T>>;
  /** `half-open` once the break has lasted `halfOpenAfterMs`: the next call goes through as a trial. */
  readonly breakerState: BreakerState;
  /** Aborts calls in flight, refuses new ones and empties the cache. */
  close(): void;
}
