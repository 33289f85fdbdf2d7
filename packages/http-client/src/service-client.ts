import { setTimeout as sleep } from 'node:timers/promises';
import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isIsolatedCircuitError,
} from 'cockatiel';
import { holdLoopStallMeter, loopStalledMs } from './loop-stall.ts';
import { createNodeFetch, type FetchLike } from './node-fetch.ts';
import { backoffDelayMs, parseRetryAfterMs, type RetryOptions } from './backoff.ts';
import type { CallOutcome, UpstreamMetrics } from './metrics.ts';
import { ReferenceCache, type ReferenceCacheOptions } from './reference-cache.ts';
import {
  UpstreamResponseError,
  UpstreamUnavailableError,
  type UnavailableReason,
} from './upstream.errors.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query parameters; `undefined` ones are left out, so optional filters can be passed as they are. */
export type QueryParameters = Record<string, string | number | boolean | undefined>;

/** The pino-compatible subset a client logs through. It never logs a token, a body or a query string. */
export interface ServiceClientLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

/** Options of {@link createServiceClient}. */
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

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A typed, resilient client of one Lessor service. */
export interface ServiceClient {
  /**
   * Sends one call within its deadline, retrying idempotent ones on network errors, timeouts, 502/503/504 and
   * 429. Resolves with a 2xx or 3xx answer; rejects with {@link UpstreamResponseError} on another 4xx and
   * {@link UpstreamUnavailableError} when the service is down, slow, failing or shed by the breaker.
   */
  request<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>>;
  /** `GET path` and its body. */
  get<T = unknown>(path: string, options?: CallOptions): Promise<T>;
  /**
   * Reference data: answers from the cache when fresh; otherwise fetches; when the service is down (timeout,
   * refused, 5xx, breaker open) answers the last known value marked stale; with no value at all rethrows the
   * {@link UpstreamUnavailableError}. A 404 drops the cached value and rejects with {@link UpstreamResponseError}.
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

/** Why one attempt failed; thrown inside the breaker so that it can count the failures it is told to. */
class AttemptFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'unreachable' | 'server-error' | 'cancelled',
    readonly detail: {
      status?: number;
      cause?: unknown;
      retryAfterMs?: number;
      /** A timeout during which this process's own event loop was stalled for most of the wait (ms stalled). */
      callerStalledMs?: number;
    } = {},
  ) {
    super(kind, { cause: detail.cause });
  }

  /**
   * Unavailability opens the breaker; a caller giving up says nothing about the service, nor does a deadline
   * missed while the caller's own loop could not read the answer.
   */
  get countsAgainstBreaker(): boolean {
    return this.kind !== 'cancelled' && this.detail.callerStalledMs === undefined;
  }
}

/** `; this process's event loop was stalled …` when a timeout was the caller's own, else nothing. */
function callerStallNote(failure: unknown): string {
  const stalled = failure instanceof AttemptFailure ? failure.detail.callerStalledMs : undefined;
  return stalled === undefined
    ? ''
    : `; this process's event loop was stalled ${Math.round(stalled)} ms of it, so the circuit breaker did not count it`;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const DEFAULT_DEADLINE_MS = 300;
// Below this, an attempt cannot do a round trip on a loaded host; waiting to send it only makes the caller later.
const MIN_ATTEMPT_MS = 10;
// A timed-out attempt during which the caller's own event loop was stalled for at least this share of the wait is
// the caller's fault, not the service's (see loop-stall.ts). A loop that merely runs busy stalls a few ms per
// 10 ms tick, well below half; one that takes tens of ms per turn, or is blocked, stalls most of the wait.
const CALLER_STALL_SHARE = 0.5;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const PROBLEM_TEXT_LIMIT = 1000;

/**
 * Creates a client of one Lessor service (ARCHITECTURE.md §1: a service keeps working when another is down).
 * Every call has one deadline for all its attempts; idempotent calls are retried with jittered backoff within
 * it; a circuit breaker stops calling a service that keeps failing; reference reads fall back to stale data.
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { service, logger, metrics } = options;
  if (service === '') throw new TypeError('service is required');
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
  const own = options.fetch === undefined ? createNodeFetch() : undefined;
  const fetchImpl: FetchLike = own?.fetch ?? (options.fetch as unknown as FetchLike);
  const defaultDeadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const retry = {
    maxAttempts: options.retry?.maxAttempts ?? 3,
    initialDelayMs: options.retry?.initialDelayMs ?? 25,
    maxDelayMs: options.retry?.maxDelayMs ?? 100,
    attemptTimeoutMs: options.retry?.attemptTimeoutMs,
  };
  const consecutiveFailures = options.breaker?.consecutiveFailures ?? 5;
  const halfOpenAfterMs = options.breaker?.halfOpenAfterMs ?? 5000;
  requirePositive('deadlineMs', defaultDeadlineMs);
  requirePositive('retry.initialDelayMs', retry.initialDelayMs, true);
  requirePositive('retry.maxDelayMs', retry.maxDelayMs, true);
  if (retry.attemptTimeoutMs !== undefined) requirePositive('retry.attemptTimeoutMs', retry.attemptTimeoutMs);
  requirePositive('halfOpenAfterMs', halfOpenAfterMs, true);
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1)
    throw new RangeError('retry.maxAttempts must be a positive integer');
  if (!Number.isInteger(consecutiveFailures) || consecutiveFailures < 1)
    throw new RangeError('breaker.consecutiveFailures must be a positive integer');

  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof AttemptFailure && error.countsAgainstBreaker),
    { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(consecutiveFailures) },
  );
  let openedAt = 0;
  const subscriptions = [
    breaker.onBreak(() => {
      openedAt = Date.now();
      metrics?.circuitOpens.inc({ upstream: service });
      logger?.warn(
        { upstream: service, consecutiveFailures, halfOpenAfterMs },
        `circuit to ${service} opened: calls fail fast until a trial call succeeds`,
      );
    }),
    breaker.onReset(() =>
      logger?.info?.({ upstream: service }, `circuit to ${service} closed: the trial call succeeded`),
    ),
  ];
  const cache = new ReferenceCache<unknown>(options.cache);
  const referencesInFlight = new Map<string, Promise<{ value: unknown; fetchedAt: number }>>();
  const callsInFlight = new Set<AbortController>();
  let closed = false;
  // The tokens this client sent lately, to strip from any text it puts in an error (a service may echo them).
  const tokensSent: string[] = [];

  const redact = (text: string) =>
    tokensSent.reduce((result, token) => result.replaceAll(token, '[redacted]'), text);

  async function getToken(signal: AbortSignal): Promise<string | undefined> {
    if (options.token === undefined) return undefined;
    const token = await untilAborted(options.token(), signal);
    if (!tokensSent.includes(token)) {
      tokensSent.push(token);
      if (tokensSent.length > 2) tokensSent.shift();
    }
    return token;
  }

  async function attempt(
    url: string,
    init: { method: string; headers: Headers; body: string | undefined },
    signal: AbortSignal,
    cancelled: () => boolean,
  ) {
    const releaseMeter = holdLoopStallMeter();
    const startedAt = performance.now();
    const stalledAtStart = loopStalledMs();
    try {
      const response = await fetchImpl(url, {
        ...init,
        signal,
        redirect: 'manual',
      } as Parameters<FetchLike>[1]);
      // The body is read under the same signal: a service that stalls mid-answer still times out.
      const answer: Answer = {
        status: response.status,
        headers: response.headers,
        text: await response.text(),
      };
      if (answer.status >= 500) {
        throw new AttemptFailure('server-error', {
          status: answer.status,
          retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')),
        });
      }
      return answer;
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (cancelled()) throw new AttemptFailure('cancelled', { cause: error });
      if (!signal.aborted) throw new AttemptFailure('unreachable', { cause: error });
      const stalledMs = loopStalledMs() - stalledAtStart;
      const waitedMs = performance.now() - startedAt;
      throw new AttemptFailure('timeout', {
        cause: error,
        ...(stalledMs >= waitedMs * CALLER_STALL_SHARE ? { callerStalledMs: stalledMs } : {}),
      });
    } finally {
      releaseMeter();
    }
  }

  /**
   * Runs `send` under one signal for the whole call: the deadline, the caller's signal and `close()` abort it.
   * Built by hand rather than with `AbortSignal.any` over a client-wide signal: Node versions still in use
   * leak every signal combined with a long-lived one (nodejs/node#55351).
   */
  async function withinDeadline<T>(
    deadlineMs: number,
    callerSignal: AbortSignal | undefined,
    send: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException('the call deadline passed', 'TimeoutError')),
      deadlineMs,
    );
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted === true) onCallerAbort();
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    callsInFlight.add(controller);
    try {
      return await send(controller.signal);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      callsInFlight.delete(controller);
    }
  }

  async function call(request: UpstreamRequest, url: string, callSignal: AbortSignal): Promise<Answer> {
    const { method, path } = request;
    const deadlineMs = request.deadlineMs ?? defaultDeadlineMs;
    const deadlineAt = performance.now() + deadlineMs;
    const cancelled = () => closed || request.signal?.aborted === true;
    const retryable =
      method === 'GET' ||
      method === 'HEAD' ||
      method === 'PUT' ||
      method === 'DELETE' ||
      request.idempotencyKey !== undefined;
    const describe = `${method} ${path}`;

    const unavailable = (reason: UnavailableReason, message: string, status?: number, cause?: unknown) =>
      new UpstreamUnavailableError(service, reason, redact(`${describe} ${message}`), {
        ...(status === undefined ? {} : { status }),
        cause,
      });
    const stop = (cause: unknown): never => {
      if (closed) throw new Error(`the client of ${service} is closed`, { cause });
      if (request.signal?.aborted) throw request.signal.reason;
      throw unavailable(
        'timeout',
        `got no answer within its deadline of ${deadlineMs} ms${callerStallNote(cause)}`,
        undefined,
        cause,
      );
    };

    const headers = new Headers(options.headers?.());
    for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
    headers.set('accept', 'application/json, application/problem+json');
    if (request.body !== undefined) headers.set('content-type', 'application/json');
    const traceparent = options.traceparent?.();
    if (traceparent !== undefined) headers.set('traceparent', traceparent);
    if (request.idempotencyKey !== undefined) headers.set('idempotency-key', request.idempotencyKey);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);

    let accessToken: string | undefined;
    try {
      accessToken = await getToken(callSignal);
    } catch (error) {
      if (callSignal.aborted) stop(error);
      // Without a token the call cannot be made: to the caller that is the service being unusable, not a bug.
      throw unavailable('unreachable', 'was not sent: no service token could be obtained', undefined, error);
    }
    let renewedToken = false;

    for (let attemptNo = 1; ; attemptNo++) {
      // One trial call at a time while half-open; the others fail fast instead of queueing behind it.
      if (breaker.state === CircuitState.HalfOpen)
        throw unavailable('circuit-open', 'was not sent: a trial call is under way after the circuit opened');
      if (accessToken !== undefined) headers.set('authorization', `Bearer ${accessToken}`);
      const remainingMs = deadlineAt - performance.now();
      const attemptSignal =
        retry.attemptTimeoutMs === undefined || retry.attemptTimeoutMs >= remainingMs
          ? callSignal
          : AbortSignal.any([callSignal, AbortSignal.timeout(retry.attemptTimeoutMs)]);

      let failure: AttemptFailure;
      try {
        const answer = await breaker.execute(() =>
          attempt(url, { method, headers, body }, attemptSignal, cancelled),
        );
        if (answer.status === 401 && accessToken !== undefined && !renewedToken) {
          // The token expired or its key rotated: a 401 means nothing was done, so one retry is safe for any method.
          renewedToken = true;
          options.onUnauthorized?.();
          try {
            accessToken = await getToken(callSignal);
          } catch (error) {
            if (callSignal.aborted) stop(error);
            throw unavailable(
              'unreachable',
              'got 401 and no new service token could be obtained',
              401,
              error,
            );
          }
          attemptNo--;
          continue;
        }
        if (answer.status !== 429) {
          if (answer.status < 400) return answer;
          throw new UpstreamResponseError(
            service,
            answer.status,
            redact(`${service} refused ${describe}: ${answer.status}${problemSummary(answer)}`),
            parseProblem(answer),
          );
        }
        failure = new AttemptFailure('server-error', {
          status: 429,
          retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')),
        });
      } catch (error) {
        if (isBrokenCircuitError(error) || isIsolatedCircuitError(error))
          throw unavailable('circuit-open', 'was not sent: the circuit is open after consecutive failures');
        if (!(error instanceof AttemptFailure)) throw error;
        if (error.kind === 'cancelled' || callSignal.aborted) stop(error);
        failure = error;
      }

      const { status, retryAfterMs } = failure.detail;
      const retryableFailure =
        failure.kind !== 'server-error' || status === 429 || RETRYABLE_STATUSES.has(status ?? 0);
      const delayMs = retryAfterMs ?? backoffDelayMs(attemptNo, retry);
      const fitsDeadline = delayMs + MIN_ATTEMPT_MS < deadlineAt - performance.now();
      if (!retryable || !retryableFailure || attemptNo >= retry.maxAttempts || !fitsDeadline) {
        const attempts = attemptNo === 1 ? '' : ` (${attemptNo} attempts)`;
        if (status === 429)
          throw unavailable('rate-limited', `was answered 429 Too Many Requests${attempts}`, 429, failure);
        if (failure.kind === 'server-error')
          throw unavailable('server-error', `was answered ${status ?? '5xx'}${attempts}`, status, failure);
        if (failure.kind === 'timeout')
          throw unavailable(
            'timeout',
            `got no answer within ${retry.attemptTimeoutMs ?? deadlineMs} ms${attempts}${callerStallNote(failure)}`,
          );
        const code = networkErrorCode(failure.cause);
        throw unavailable(
          'unreachable',
          `could not reach ${new URL(baseUrl).host}${code === undefined ? '' : ` (${code})`}${attempts}`,
          undefined,
          failure.cause,
        );
      }
      logger?.debug?.(
        { upstream: service, method, path, attempt: attemptNo, failure: failure.kind, status, delayMs },
        `retrying ${describe} on ${service}`,
      );
      try {
        await sleep(delayMs, undefined, { signal: callSignal });
      } catch (error) {
        stop(error);
      }
    }
  }

  /** Sends a call and reads its answer, timed for the metrics whatever its end. */
  async function request<T>(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse<T>> {
    if (closed) throw new Error(`the client of ${service} is closed`);
    const deadlineMs = upstreamRequest.deadlineMs ?? defaultDeadlineMs;
    requirePositive('deadlineMs', deadlineMs);
    const url = buildUrl(baseUrl, upstreamRequest.path, upstreamRequest.query);
    const startedAt = performance.now();
    let outcome: CallOutcome = 'success';
    try {
      const answer = await withinDeadline(deadlineMs, upstreamRequest.signal, (signal) =>
        call(upstreamRequest, url, signal),
      );
      return {
        status: answer.status,
        body: parseBody(upstreamRequest, answer) as T,
        headers: answer.headers,
      };
    } catch (error) {
      outcome =
        error instanceof UpstreamUnavailableError
          ? error.reason
          : error instanceof UpstreamResponseError
            ? 'refused'
            : 'cancelled';
      throw error;
    } finally {
      metrics?.requestDuration.observe(
        { upstream: service, method: upstreamRequest.method, outcome },
        (performance.now() - startedAt) / 1000,
      );
    }
  }

  function parseBody(upstreamRequest: UpstreamRequest, answer: Answer): unknown {
    if (upstreamRequest.method === 'HEAD' || answer.text === '') return undefined;
    if (!isJson(answer.headers)) return answer.text;
    try {
      return JSON.parse(answer.text) as unknown;
    } catch (error) {
      throw new UpstreamUnavailableError(
        service,
        'server-error',
        `${upstreamRequest.method} ${upstreamRequest.path} was answered ${answer.status} with a body that is not JSON`,
        { status: answer.status, cause: error },
      );
    }
  }

  async function get<T>(path: string, callOptions: CallOptions = {}): Promise<T> {
    return (await request<T>({ ...callOptions, method: 'GET', path })).body;
  }

  return {
    request,
    get,

    async getReference<T>(
      path: string,
      referenceOptions: { key?: string; query?: QueryParameters; deadlineMs?: number } = {},
    ): Promise<ReferenceAnswer<T>> {
      const key = referenceOptions.key ?? buildUrl('', path, referenceOptions.query);
      const cached = cache.get(key);
      if (cached?.fresh === true)
        return { value: cached.value as T, stale: false, fetchedAt: new Date(cached.fetchedAt) };

      // Concurrent reads of one key share a fetch, so a burst of requests costs the other service one call.
      let fetching = referencesInFlight.get(key);
      if (fetching === undefined) {
        fetching = get(path, {
          ...(referenceOptions.query ? { query: referenceOptions.query } : {}),
          ...(referenceOptions.deadlineMs === undefined ? {} : { deadlineMs: referenceOptions.deadlineMs }),
        })
          .then((value) => {
            cache.set(key, value);
            return { value, fetchedAt: Date.now() };
          })
          .finally(() => referencesInFlight.delete(key));
        referencesInFlight.set(key, fetching);
      }
      try {
        const { value, fetchedAt } = await fetching;
        return { value: value as T, stale: false, fetchedAt: new Date(fetchedAt) };
      } catch (error) {
        // The service says the thing is gone: serving the old copy would keep a deleted party alive.
        if (error instanceof UpstreamResponseError && error.status === 404) cache.delete(key);
        if (!(error instanceof UpstreamUnavailableError)) throw error;
        const fallback = cache.get(key);
        if (fallback === undefined) throw error;
        const fetchedAt = new Date(fallback.fetchedAt);
        logger?.warn(
          { upstream: service, path, reason: error.reason, fetchedAt: fetchedAt.toISOString() },
          `${service} is unavailable: answering ${path} from the cache, stale`,
        );
        return { value: fallback.value as T, stale: !fallback.fresh, fetchedAt };
      }
    },

    get breakerState(): BreakerState {
      switch (breaker.state) {
        case CircuitState.Closed:
          return 'closed';
        case CircuitState.HalfOpen:
          return 'half-open';
        default:
          // cockatiel moves to half-open only when a call arrives; by then the next call is the trial.
          return breaker.state === CircuitState.Open && Date.now() - openedAt >= halfOpenAfterMs
            ? 'half-open'
            : 'open';
      }
    },

    close() {
      closed = true;
      for (const controller of callsInFlight)
        controller.abort(new Error(`the client of ${service} is closed`));
      for (const subscription of subscriptions) subscription.dispose();
      cache.clear();
      referencesInFlight.clear();
      own?.close();
    },
  };
}

function requirePositive(name: string, value: number, zeroAllowed = false): void {
  if (!(zeroAllowed ? value >= 0 : value > 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} finite number`);
}

function buildUrl(baseUrl: string, path: string, query: QueryParameters | undefined): string {
  // A path like `//evil.example/x` would replace the host once resolved; only absolute paths are accepted.
  if (!path.startsWith('/') || path.startsWith('//'))
    throw new TypeError(`path must start with one "/": ${path}`);
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) parameters.append(name, String(value));
  }
  const search = parameters.toString();
  return `${baseUrl}${path}${search === '' ? '' : `${path.includes('?') ? '&' : '?'}${search}`}`;
}

function isJson(headers: Headers): boolean {
  const type = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function parseProblem(answer: Answer): unknown {
  if (answer.text === '') return undefined;
  if (isJson(answer.headers)) {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      // An unparsable problem is still worth showing as text.
    }
  }
  return answer.text.slice(0, PROBLEM_TEXT_LIMIT);
}

/** ` Title: detail` of a problem+json answer, for an error message. */
function problemSummary(answer: Answer): string {
  const problem = parseProblem(answer);
  if (typeof problem !== 'object' || problem === null) return '';
  const { title, detail } = problem as Record<string, unknown>;
  const parts = [title, detail].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? '' : ` ${parts.join(': ').slice(0, 300)}`;
}

/** The system error code behind a failed fetch (`ECONNREFUSED`, `ENOTFOUND`…), for the message. */
function networkErrorCode(error: unknown): string | undefined {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 3;
    current = current.cause, depth++
  ) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Waits for `promise` unless `signal` aborts first. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
