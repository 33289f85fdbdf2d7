import { describe, expect, it } from 'vitest';
import { figures, parsePrometheus, quantile, serviceMetrics, windowStart } from './metrics.ts';

/** A service's /metrics as the kit writes it, with `counts` requests per bucket edge (cumulative). */
function exposition(counts: Record<string, number>, extra = ''): string {
  const total = counts['+Inf'] ?? 0;
  const buckets = Object.entries(counts)
    .map(
      ([le, count]) =>
        `http_request_duration_seconds_bucket{le="${le}",service="billing",route="/v1/invoices",method="GET",status="200"} ${count}`,
    )
    .join('\n');
  return `# HELP http_requests_total HTTP requests answered, by route template, method and status.
# TYPE http_requests_total counter
http_requests_total{route="/v1/invoices",method="GET",status="200",service="billing"} ${total}
http_requests_total{route="/health/ready",method="GET",status="200",service="billing"} 500
# TYPE http_request_duration_seconds histogram
${buckets}
http_request_duration_seconds_bucket{le="+Inf",service="billing",route="/health/ready",method="GET",status="200"} 500
http_request_duration_seconds_bucket{le="0.005",service="billing",route="/health/ready",method="GET",status="200"} 500
lessor_outbox_pending{service="billing"} 7
lessor_outbox_oldest_pending_age_seconds{service="billing"} 2.5
lessor_parked_events{service="billing"} 1
${extra}`;
}

describe('parsePrometheus', () => {
  it('should read names, labels with escapes, and values', () => {
    const samples = parsePrometheus(
      '# comment\nup 1\nx{a="q\\"uote",b="back\\\\slash",c="line\\nbreak"} +Inf\ny{route="/v1/{id}"} 2.5e-3 1700000000\n',
    );
    expect(samples).toEqual([
      { name: 'up', labels: {}, value: 1 },
      {
        name: 'x',
        labels: { a: 'q"uote', b: 'back\\slash', c: 'line\nbreak' },
        value: Number.POSITIVE_INFINITY,
      },
      { name: 'y', labels: { route: '/v1/{id}' }, value: 0.0025 },
    ]);
  });
});

describe('serviceMetrics', () => {
  it('should sum the API requests and their histogram, leave out health probes, and read the event gauges', () => {
    const metrics = serviceMetrics(
      parsePrometheus(exposition({ '0.1': 90, '0.3': 98, '1': 100, '+Inf': 100 })),
    );
    expect(metrics.requests).toBe(100);
    expect(metrics.buckets).toEqual([
      { le: 0.1, count: 90 },
      { le: 0.3, count: 98 },
      { le: 1, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ]);
    expect(metrics).toMatchObject({ outboxPending: 7, outboxOldestAgeSeconds: 2.5, parked: 1 });
  });

  it('should answer null for the event figures of a service without events (the gateway)', () => {
    const metrics = serviceMetrics(parsePrometheus('http_requests_total{route="/v1/services"} 3'));
    expect(metrics).toMatchObject({ requests: 3, outboxPending: null, parked: null, queueDepth: null });
    expect(metrics.lagBuckets).toEqual([]);
  });

  it('should read the queue depth and sum the lag histogram over event types', () => {
    const metrics = serviceMetrics(
      parsePrometheus(
        exposition(
          { '+Inf': 0 },
          [
            'lessor_consumer_queue_depth{service="billing"} 12',
            'lessor_event_lag_seconds_bucket{le="1",type="lessor.leasing.contract.activated.v1"} 3',
            'lessor_event_lag_seconds_bucket{le="+Inf",type="lessor.leasing.contract.activated.v1"} 4',
            'lessor_event_lag_seconds_bucket{le="1",type="lessor.parties.party.created.v1"} 5',
            'lessor_event_lag_seconds_bucket{le="+Inf",type="lessor.parties.party.created.v1"} 5',
            'lessor_event_lag_seconds_sum{type="lessor.parties.party.created.v1"} 0.4',
          ].join('\n'),
        ),
      ),
    );
    expect(metrics.queueDepth).toBe(12);
    expect(metrics.lagBuckets).toEqual([
      { le: 1, count: 8 },
      { le: Number.POSITIVE_INFINITY, count: 9 },
    ]);
  });
});

describe('quantile', () => {
  it('should put the p99 above 0.3 s exactly when fewer than 99 % were within 0.3 s', () => {
    const within = [
      { le: 0.3, count: 99 },
      { le: 1, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    expect(quantile(0.99, within)).toBeLessThanOrEqual(0.3);
    const over = [
      { le: 0.3, count: 98 },
      { le: 1, count: 100 },
      { le: Number.POSITIVE_INFINITY, count: 100 },
    ];
    // Rank 99 of 100 lies halfway between 98 (0.3 s) and 100 (1 s): 0.65 s.
    expect(quantile(0.99, over)).toBeCloseTo(0.65, 10);
  });

  it('should answer the highest finite edge when the rank falls in +Inf, and null when empty', () => {
    expect(
      quantile(0.99, [
        { le: 10, count: 1 },
        { le: Number.POSITIVE_INFINITY, count: 100 },
      ]),
    ).toBe(10);
    expect(quantile(0.99, [{ le: Number.POSITIVE_INFINITY, count: 0 }])).toBeNull();
  });
});

describe('figures', () => {
  const at = (counts: Record<string, number>) => serviceMetrics(parsePrometheus(exposition(counts)));

  it('should measure rate and p99 over the window between two readings', () => {
    const before = at({ '0.1': 100, '0.3': 100, '1': 100, '+Inf': 100 });
    const after = at({ '0.1': 100, '0.3': 140, '1': 250, '+Inf': 250 });
    const result = figures(before, after, 15);
    expect(result.basis).toBe('window');
    expect(result.requestsPerSecond).toBeCloseTo(10, 10);
    // 150 requests in the window, 40 within 0.3 s: the p99 is near 1 s, far over the budget.
    expect(result.p99Seconds).toBeGreaterThan(0.3);
    // Since the start, 140 of 250 within 0.3 s: the window, not the whole history, decides.
    expect(figures(undefined, after, 0)).toMatchObject({ basis: 'since-start', requestsPerSecond: null });
  });

  it('should fall back to the p99 since the start after a restart, and judge nothing in a window without requests', () => {
    const before = at({ '0.1': 500, '0.3': 500, '1': 500, '+Inf': 500 });
    const restarted = at({ '0.1': 3, '0.3': 3, '1': 3, '+Inf': 3 });
    expect(figures(before, restarted, 15)).toMatchObject({ basis: 'since-start', requestsPerSecond: null });
    // Idle: no request in the window, so no p99 of it — not the boot's p99 since the start.
    const slowBoot = at({ '0.1': 0, '0.3': 10, '1': 100, '+Inf': 100 });
    expect(figures(slowBoot, slowBoot, 15)).toEqual({
      requestsPerSecond: 0,
      p99Seconds: null,
      basis: 'window',
      lagP99Seconds: null,
      lagBasis: 'window',
    });
  });

  it('should measure the consumer lag p99 over the window, and none in a window without events', () => {
    const lagged = (buckets: [number, number, number]) => ({
      ...at({ '0.1': 10, '+Inf': 10 }),
      lagBuckets: [
        { le: 1, count: buckets[0] },
        { le: 60, count: buckets[1] },
        { le: Number.POSITIVE_INFINITY, count: buckets[2] },
      ],
    });
    // Long ago 1,000 events within a second; in the window, 10 more, all later than a minute.
    const before = lagged([1000, 1000, 1000]);
    const after = lagged([1000, 1000, 1010]);
    expect(figures(before, after, 15)).toMatchObject({ lagBasis: 'window', lagP99Seconds: 60 });
    // Since the start the late ten are under 1 %: the history hides what the window shows.
    expect(figures(undefined, after, 0).lagP99Seconds).toBeLessThanOrEqual(1);
    expect(figures(after, after, 15)).toMatchObject({ lagBasis: 'window', lagP99Seconds: null });
    expect(figures(undefined, at({ '+Inf': 0 }), 0)).toMatchObject({ lagBasis: null, lagP99Seconds: null });
  });
});

describe('windowStart', () => {
  const reading = (seconds: number) => ({ at: seconds * 1000 });
  it('should start the window at the oldest reading within it, so a burst older than the window drops out', () => {
    const window = 300_000;
    const readings = [reading(0), reading(60), reading(290), reading(400), reading(415)];
    // At 415 s the readings of 0 s and 60 s are more than five minutes old: the window starts at 290 s.
    expect(windowStart(readings, reading(415), window)).toEqual(reading(290));
    expect(windowStart(readings, reading(60), window)).toEqual(reading(0));
    // The first reading has no window yet.
    expect(windowStart(readings, reading(0), window)).toBeUndefined();
    // Readings far apart (the page was in the background): the last one before, however old.
    expect(windowStart([reading(0), reading(1000)], reading(1000), window)).toEqual(reading(0));
  });
});
