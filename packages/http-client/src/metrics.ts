/** How a call to another service ended, as the `outcome` label of its duration. */
export type CallOutcome =
  | 'success'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'circuit-open'
  | 'server-error'
  | 'rate-limited'
  | 'cancelled';

/**
 * Where a client reports its calls. The shape is the part of prom-client's `Histogram` and `Counter` it uses,
 * so a service passes those directly (built from {@link UPSTREAM_REQUEST_DURATION} and
 * {@link UPSTREAM_CIRCUIT_OPENS}) and this package needs no prom-client of its own. Create them once per
 * registry and share them between the clients of a service: a registry refuses a second metric of one name.
 * The called service is the `upstream` label, not `service`: service-kit's registry sets `service` as a
 * default label naming the caller, and a metric's own label would silently replace it.
 */
export interface UpstreamMetrics {
  /** Whole-call duration in seconds, retries included: what the caller waited. */
  requestDuration: {
    observe(labels: { upstream: string; method: string; outcome: CallOutcome }, seconds: number): void;
  };
  /** Incremented each time a client's breaker opens. */
  circuitOpens: { inc(labels: { upstream: string }): void };
}

/**
 * The histogram of calls between services. 0.3 s is the platform's budget per call (ARCHITECTURE.md §4), so
 * it is a bucket edge: `le="0.3"` counts the calls within budget. Same buckets as service-kit's server side.
 */
export const UPSTREAM_REQUEST_DURATION: {
  name: string;
  help: string;
  labelNames: readonly ('upstream' | 'method' | 'outcome')[];
  buckets: number[];
} = {
  name: 'lessor_upstream_request_duration_seconds',
  help: 'Duration of calls to other Lessor services, retries included, by service called (upstream), method and outcome.',
  labelNames: ['upstream', 'method', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
};

/** The counter of circuit breaker openings, by service called (upstream). */
export const UPSTREAM_CIRCUIT_OPENS: { name: string; help: string; labelNames: readonly 'upstream'[] } = {
  name: 'lessor_upstream_circuit_opens_total',
  help: 'Times the circuit breaker towards another Lessor service opened.',
  labelNames: ['upstream'],
};
