export { backoffDelayMs, parseRetryAfterMs, type RetryOptions } from './backoff.ts';
export {
  UPSTREAM_CIRCUIT_OPENS,
  UPSTREAM_REQUEST_DURATION,
  type CallOutcome,
  type UpstreamMetrics,
} from './metrics.ts';
export { ReferenceCache, type CachedReference, type ReferenceCacheOptions } from './reference-cache.ts';
export {
  createServiceClient,
  type BreakerState,
  type CallOptions,
  type HttpMethod,
  type QueryParameters,
  type ReferenceAnswer,
  type ServiceClient,
  type ServiceClientLogger,
  type ServiceClientOptions,
  type UpstreamRequest,
  type UpstreamResponse,
} from './service-client.ts';
export {
  UpstreamResponseError,
  UpstreamUnavailableError,
  type UnavailableReason,
} from './upstream.errors.ts';
