import { createBreaker, breakerSettingsOf } from './breaker.ts';
import { sendCall, type CallContext } from './call.ts';
import { withinDeadline } from './deadline.ts';
import { assertLessorUrl } from './egress.ts';
import { buildUrl, parseBody } from './http-message.ts';
import type { CallOutcome } from './metrics.ts';
import { createNodeFetch, type FetchLike } from './node-fetch.ts';
import { ReferenceCache } from './reference-cache.ts';
import { createReferenceReader } from './reference-reader.ts';
import { retryPolicyOf } from './retry.ts';
import type {
  CallOptions,
  ServiceClient,
  ServiceClientOptions,
  UpstreamRequest,
  UpstreamResponse,
} from './service-client.types.ts';
import { createTokenSource } from './tokens.ts';
import { UpstreamResponseError, UpstreamUnavailableError } from './upstream.errors.ts';
import { requirePositive } from './validate.ts';

// The platform's budget per call between services (ARCHITECTURE.md §4).
const DEFAULT_DEADLINE_MS = 300;

/**
 * Creates a client of one Lessor service (ARCHITECTURE.md §1: a service keeps working when another is down).
 * Every call has one deadline for all its attempts; idempotent calls are retried with jittered backoff within
 * it; a circuit breaker stops calling a service that keeps failing; reference reads fall back to stale data.
 * Its base URL must be a Lessor service's (loopback or declared, see egress.ts): any other throws
 * `EgressRefusedError` here, before any connection; a call's path cannot change the host.
 */
export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { service, logger, metrics } = options;
  if (service === '') throw new TypeError('service is required');
  // Only Lessor's own services (ADR 26): loopback or an origin the kit declared from the configuration.
  assertLessorUrl(new URL(options.baseUrl), `the client of ${service}`);
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
  const defaultDeadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  requirePositive('deadlineMs', defaultDeadlineMs);
  const retry = retryPolicyOf(options.retry);
  const breakerSettings = breakerSettingsOf(options.breaker);

  const own = options.fetch === undefined ? createNodeFetch() : undefined;
  const breaker = createBreaker(breakerSettings, {
    onOpen() {
      metrics?.circuitOpens.inc({ upstream: service });
      logger?.warn(
        { upstream: service, ...breakerSettings },
        `circuit to ${service} opened: calls fail fast until a trial call succeeds`,
      );
    },
    onClose: () =>
      logger?.info?.({ upstream: service }, `circuit to ${service} closed: the trial call succeeded`),
  });
  const callsInFlight = new Set<AbortController>();
  let closed = false;
  const context: CallContext = {
    service,
    baseUrl,
    fetch: own?.fetch ?? (options.fetch as unknown as FetchLike),
    retry,
    breaker,
    tokens: createTokenSource(options.token),
    options,
    logger,
    isClosed: () => closed,
  };

  /** Sends a call and reads its answer, timed for the metrics whatever its end. */
  async function request<T>(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse<T>> {
    if (closed) throw new Error(`the client of ${service} is closed`);
    const deadlineMs = upstreamRequest.deadlineMs ?? defaultDeadlineMs;
    requirePositive('deadlineMs', deadlineMs);
    const url = buildUrl(baseUrl, upstreamRequest.path, upstreamRequest.query);
    const startedAt = performance.now();
    let outcome: CallOutcome = 'success';
    try {
      const answer = await withinDeadline(deadlineMs, upstreamRequest.signal, callsInFlight, (signal) =>
        sendCall(context, upstreamRequest, url, deadlineMs, signal),
      );
      return {
        status: answer.status,
        body: parseBody(service, upstreamRequest, answer) as T,
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

  async function get<T>(path: string, callOptions: CallOptions = {}): Promise<T> {
    return (await request<T>({ ...callOptions, method: 'GET', path })).body;
  }

  const cache = new ReferenceCache<unknown>(options.cache);
  const references = createReferenceReader({ service, cache, fetch: get, logger });

  return {
    request,
    get,
    getReference: (path, referenceOptions) => references.read(path, referenceOptions),
    get breakerState() {
      return breaker.state;
    },
    close() {
      closed = true;
      for (const controller of callsInFlight)
        controller.abort(new Error(`the client of ${service} is closed`));
      breaker.dispose();
      cache.clear();
      references.clear();
      own?.close();
    },
  };
}
