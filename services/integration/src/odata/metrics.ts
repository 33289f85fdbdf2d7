import { Histogram, type Registry } from 'prom-client';
import type { ODataMetrics } from './types.ts';

/** Buckets for the outside world: slower than the 300 ms budget inside Lessor. */
const OUTBOUND_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** `lessor_integration_outbound_seconds{connector,operation,outcome}`, registered once per registry. */
export function createODataMetrics(registry: Registry): ODataMetrics {
  const name = 'lessor_integration_outbound_seconds';
  const existing = registry.getSingleMetric(name);
  if (existing) return { outboundSeconds: existing as Histogram<'connector' | 'operation' | 'outcome'> };
  return {
    outboundSeconds: new Histogram({
      name,
      help: 'Duration of calls to outside OData services, by connector, operation and outcome (ok, or the error code).',
      labelNames: ['connector', 'operation', 'outcome'] as const,
      buckets: OUTBOUND_BUCKETS_SECONDS,
      registers: [registry],
    }),
  };
}
