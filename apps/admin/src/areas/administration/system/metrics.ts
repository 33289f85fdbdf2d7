/** One sample of the Prometheus text format: `name{label="value",…} 12.5`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A cumulative histogram bucket: how many requests took at most `le` seconds. */
export interface Bucket {
  le: number;
  count: number;
}

/** What the system page reads from one service's `/metrics`. */
export interface ServiceMetrics {
  /** API requests answered since the process started (health probes left out). */
  requests: number;
  /** The request-duration histogram summed over routes, methods and statuses, by `le` ascending. */
  buckets: Bucket[];
  outboxPending: number | null;
  outboxOldestAgeSeconds: number | null;
  parked: number | null;
  /** Events waiting in the service's queue; null for a service that consumes none. */
  queueDepth: number | null;
  /** The consumer's lag histogram (event time → effect) summed over event types, by `le` ascending. */
  lagBuckets: Bucket[];
}

/**
 * `window`: what happened between the start of the page's window (up to `WINDOW_MS`, its oldest reading within
 * it) and the last reading — a null p99 there means no request (or event) came, nothing to judge; `since-start`:
 * the page has one reading so far, or the process restarted: counts since the process started, boot included,
 * shown but not judged.
 */
export type Basis = 'window' | 'since-start' | null;

/** Request rate, p99 latency and p99 consumer lag over a window of two scrapes, or since the process started. */
export interface Figures {
  requestsPerSecond: number | null;
  p99Seconds: number | null;
  basis: Basis;
  lagP99Seconds: number | null;
  lagBasis: Basis;
}

/** Parses the Prometheus text exposition format (comments skipped, timestamps ignored). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.search(/\s/);
    if (space < 0) continue;
    // Label values may hold spaces and braces: the labels end at the last `}`.
    const labelled = brace >= 0 && brace < space;
    const end = labelled ? line.lastIndexOf('}') : space;
    if (end < 0) continue;
    const name = line.slice(0, labelled ? brace : space);
    const value =
      line
        .slice(end + 1)
        .trim()
        .split(/\s/)[0] ?? '';
    samples.push({
      name,
      labels: labelled ? parseLabels(line.slice(brace + 1, end)) : {},
      value: parseValue(value),
    });
  }
  return samples;
}

/** `route="/v1/users/:id",le="0.3"` → `{ route: '/v1/users/:id', le: '0.3' }`, with `\"`, `\\` and `\n` unescaped. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const equals = text.indexOf('="', at);
    if (equals < 0) break;
    const key = text.slice(at, equals).replace(/^[\s,]+/, '');
    let value = '';
    let index = equals + 2;
    for (; index < text.length && text[index] !== '"'; index++) {
      if (text[index] === '\\' && index + 1 < text.length) {
        index++;
        value += text[index] === 'n' ? '\n' : text[index];
      } else {
        value += text[index];
      }
    }
    labels[key] = value;
    at = index + 1;
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/**
 * Health probes are left out of the rate and the latency: the gateway probes every service each time someone
 * opens this page, and those answers say nothing about the API's speed.
 */
function isProbe(route: string | undefined): boolean {
  return route !== undefined && route.startsWith('/health');
}

/** The figures of one service from its samples (the kit's `http_*` series and the events package's gauges). */
export function serviceMetrics(samples: readonly Sample[]): ServiceMetrics {
  let requests = 0;
  const byLe = new Map<number, number>();
  const lagByLe = new Map<number, number>();
  const gauge = (name: string) => {
    const found = samples.filter((sample) => sample.name === name);
    return found.length === 0 ? null : found.reduce((sum, sample) => sum + sample.value, 0);
  };
  for (const sample of samples) {
    if (isProbe(sample.labels.route)) continue;
    if (sample.name === 'http_requests_total') requests += sample.value;
    if (sample.name === 'http_request_duration_seconds_bucket' && sample.labels.le !== undefined) {
      const le = parseValue(sample.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + sample.value);
    }
    if (sample.name === 'lessor_event_lag_seconds_bucket' && sample.labels.le !== undefined) {
      const le = parseValue(sample.labels.le);
      lagByLe.set(le, (lagByLe.get(le) ?? 0) + sample.value);
    }
  }
  const ascending = (counts: Map<number, number>) =>
    [...counts.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
  return {
    requests,
    buckets: ascending(byLe),
    outboxPending: gauge('lessor_outbox_pending'),
    outboxOldestAgeSeconds: gauge('lessor_outbox_oldest_pending_age_seconds'),
    parked: gauge('lessor_parked_events'),
    queueDepth: gauge('lessor_consumer_queue_depth'),
    lagBuckets: ascending(lagByLe),
  };
}

/**
 * The q-quantile of a cumulative histogram, as Prometheus' `histogram_quantile` estimates it: linear within
 * the bucket the rank falls in. A rank in the `+Inf` bucket answers the highest finite edge (the true value is
 * above it). Null for an empty histogram. Exact at the edges: with 0.3 s an edge, "p99 above 300 ms" is
 * decided by the counts alone.
 */
export function quantile(q: number, buckets: readonly Bucket[]): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lowerEdge = 0;
  let lowerCount = 0;
  for (const bucket of buckets) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return lowerEdge;
      if (bucket.count === lowerCount) return bucket.le;
      return lowerEdge + ((bucket.le - lowerEdge) * (rank - lowerCount)) / (bucket.count - lowerCount);
    }
    lowerEdge = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerEdge;
}

/** What a histogram gained between two scrapes; null after a restart (a count went down). */
function gained(previous: readonly Bucket[], current: readonly Bucket[]): Bucket[] | null {
  const delta = current.map((bucket) => ({
    le: bucket.le,
    count: bucket.count - (previous.find((old) => old.le === bucket.le)?.count ?? 0),
  }));
  return delta.some((bucket) => bucket.count < 0) ? null : delta;
}

/**
 * The p99 of what a histogram gained in the window: null when nothing came in it (idle is not slow). Since the
 * start only without a window (the first reading) or after a restart (a count went down).
 */
function windowP99(
  previous: readonly Bucket[] | undefined,
  current: readonly Bucket[],
): { p99: number | null; basis: Basis } {
  const delta = previous ? gained(previous, current) : null;
  if (delta) return { p99: quantile(0.99, delta), basis: 'window' };
  return {
    p99: quantile(0.99, current),
    basis: (current.at(-1)?.count ?? 0) > 0 ? 'since-start' : null,
  };
}

/**
 * Where the window of `current` starts among the page's `readings`: the oldest one at most `windowMs` before
 * it, else (readings far apart, a page long in the background) the last one before it; undefined for the
 * first reading. A burst older than the window thus stops counting once the window has moved past it.
 */
export function windowStart<Reading extends { at: number }>(
  readings: readonly Reading[],
  current: Reading,
  windowMs: number,
): Reading | undefined {
  const before = readings.filter((reading) => reading.at < current.at);
  return before.find((reading) => current.at - reading.at <= windowMs) ?? before.at(-1);
}

/**
 * Rate, p99 latency and p99 consumer lag between two scrapes `seconds` apart (the window); without a previous
 * scrape, or after a restart (a counter went down), each p99 is the one since the process started. A window
 * without requests (or events) has no p99: an idle system is not a slow one.
 */
export function figures(
  previous: ServiceMetrics | undefined,
  current: ServiceMetrics,
  seconds: number,
): Figures {
  const before = previous && seconds > 0 ? previous : undefined;
  const lag = windowP99(before?.lagBuckets, current.lagBuckets);
  const latency = windowP99(before?.buckets, current.buckets);
  const requests = before ? current.requests - before.requests : -1;
  const restarted =
    requests < 0 || (before !== undefined && gained(before.buckets, current.buckets) === null);
  return {
    requestsPerSecond: before && !restarted ? requests / seconds : null,
    p99Seconds: latency.p99,
    basis: latency.basis,
    lagP99Seconds: lag.p99,
    lagBasis: lag.basis,
  };
}
