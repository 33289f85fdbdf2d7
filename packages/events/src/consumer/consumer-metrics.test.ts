import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../envelope.ts';
import { createConsumerMetrics, lagSeconds, metricType } from './consumer-metrics.ts';
import type { ConsumerGaugeSources } from './consumer-metrics.ts';

const PLACED = 'lessor.orders.order.placed.v1';
const quiet = pino({ level: 'silent' });

function sources(changes: Partial<ConsumerGaugeSources> = {}): ConsumerGaugeSources {
  return { countParked: async () => 0, queueDepth: async () => 0, logger: quiet, ...changes };
}

/** The value of one series in the registry's text output, or undefined when it is not there. */
async function valueOf(registry: Registry, series: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((text) => text.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('createConsumerMetrics', () => {
  it('should count settled deliveries by type and outcome, and parked events and batch fallbacks', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics(registry, sources());
    metrics.settled(PLACED, 'handled');
    metrics.settled(PLACED, 'handled');
    metrics.settled(PLACED, 'parked');
    metrics.parked(PLACED);
    metrics.batchFellBack();
    expect(await valueOf(registry, `lessor_events_consumed_total{type="${PLACED}",outcome="handled"}`)).toBe(
      2,
    );
    expect(await valueOf(registry, `lessor_events_consumed_total{type="${PLACED}",outcome="parked"}`)).toBe(
      1,
    );
    expect(await valueOf(registry, `lessor_events_parked_total{type="${PLACED}"}`)).toBe(1);
    expect(await valueOf(registry, 'lessor_event_batch_fallbacks_total')).toBe(1);
  });

  it('should share the series when two consumers use one registry', async () => {
    const registry = new Registry();
    createConsumerMetrics(registry, sources()).settled(PLACED, 'duplicate');
    createConsumerMetrics(registry, sources()).settled(PLACED, 'duplicate');
    expect(
      await valueOf(registry, `lessor_events_consumed_total{type="${PLACED}",outcome="duplicate"}`),
    ).toBe(2);
  });

  it('should time a handling when it throws as when it resolves', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics(registry, sources());
    expect(await metrics.timed(PLACED, async () => 'applied')).toBe('applied');
    await expect(
      metrics.timed(PLACED, async () => {
        throw new Error('no price list');
      }),
    ).rejects.toThrow('no price list');
    metrics.handled(PLACED, 2_000_000_000n);
    expect(await valueOf(registry, `lessor_event_handler_duration_seconds_count{type="${PLACED}"}`)).toBe(3);
    expect(
      await valueOf(registry, `lessor_event_handler_duration_seconds_bucket{le="1",type="${PLACED}"}`),
    ).toBe(2);
  });

  it('should record the lag of an applied event from its time, and none when the time is unreadable', async () => {
    const registry = new Registry();
    const metrics = createConsumerMetrics(registry, sources());
    metrics.applied({ type: PLACED, time: new Date(Date.now() - 120_000).toISOString() } as EventEnvelope);
    metrics.applied({ type: PLACED, time: 'whenever' } as EventEnvelope);
    expect(await valueOf(registry, `lessor_event_lag_seconds_count{type="${PLACED}"}`)).toBe(1);
    expect(await valueOf(registry, `lessor_event_lag_seconds_bucket{le="60",type="${PLACED}"}`)).toBe(0);
    expect(await valueOf(registry, `lessor_event_lag_seconds_bucket{le="300",type="${PLACED}"}`)).toBe(1);
  });

  it('should read the parked count and the queue depth when scraped', async () => {
    const registry = new Registry();
    createConsumerMetrics(registry, sources({ countParked: async () => 3, queueDepth: async () => 17 }));
    expect(await valueOf(registry, 'lessor_parked_events')).toBe(3);
    expect(await valueOf(registry, 'lessor_consumer_queue_depth')).toBe(17);
  });

  it('should log and still answer the scrape when a gauge cannot be read', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const registry = new Registry();
    createConsumerMetrics(
      registry,
      sources({
        logger,
        countParked: async () => {
          throw new Error('the database is down');
        },
      }),
    );
    expect(await registry.metrics()).toContain('lessor_consumer_queue_depth 0');
    expect(lines.join('')).toContain('could not count parked events for metrics');
  });

  it('should record nothing and still run the timed handling when no registry is given', async () => {
    const metrics = createConsumerMetrics(undefined, sources());
    metrics.settled(PLACED, 'handled');
    metrics.applied({ type: PLACED, time: new Date().toISOString() } as EventEnvelope);
    expect(await metrics.timed(PLACED, async () => 'duplicate')).toBe('duplicate');
  });
});

describe('lagSeconds', () => {
  it('should count an event from the future as no lag, for the clocks of publisher and consumer differ', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(lagSeconds('2026-12-07T11:59:58.500Z', now)).toBe(1.5);
    expect(lagSeconds('2026-12-07T12:00:03Z', now)).toBe(0);
    expect(lagSeconds('not a time', now)).toBeUndefined();
  });
});

describe('metricType', () => {
  it('should keep an event type, and label anything else invalid so the label set stays bounded', () => {
    expect(metricType(PLACED)).toBe(PLACED);
    expect(metricType('unknown')).toBe('unknown');
    expect(metricType('Robert"); drop table')).toBe('invalid');
    expect(metricType('x'.repeat(201))).toBe('invalid');
  });
});
