export { backoffDelayMs, parseRetryAfterMs, type RetryOptions } from './backoff.ts';
export {
  assertLessorUrl,
  declareLessorOrigins,
  EgressRefusedError,
  guardProcessEgress,
  httpUrlsIn,
  isEgressGuarded,
  isLessorUrl,
  lessorOrigins,
} from './egress.ts';
export {
  UPSTREAM_CIRCUIT_OPENS,
  UPSTREAM_REQUEST_DURATION,
  type CallOutcome,
  type UpstreamMetrics,
} from './metrics.ts';
export { ReferenceCache, type CachedReference, type ReferenceCacheOptions } from './reference-cache.ts';
export { createServiceClient } from './service-client.ts';
export type {
  BreakerState,
  CallOptions,
  HttpMethod,
  QueryParameters,
  ReferenceAnswer,
  ServiceClient,
  ServiceClientLogger,
  ServiceClientOptions,
  UpstreamRequest,
  UpstreamResponse,
} from './service-client.types.ts';
export {
  UpstreamResponseError,
  UpstreamUnavailableError,
  type UnavailableReason,
} from './upstream.errors.ts';
