import { describe, expect, it } from 'vitest';
import { continueTrace } from './trace.ts';

describe('continueTrace', () => {
  it('should keep the trace id and make a new span when the header is valid', () => {
    const trace = continueTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(trace.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(trace.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  });

  it('should start a new trace when the header is missing, malformed or all zeros', () => {
    for (const header of [undefined, 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01']) {
      const trace = continueTrace(header);
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.traceId).not.toBe('0'.repeat(32));
    }
  });
});

describe('continueTrace ids (issue 13: random bytes drawn in batches)', () => {
  it('should give distinct well-formed ids across many more traces than one batch holds', () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const trace = continueTrace(undefined);
      expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(trace.spanId).not.toBe('0'.repeat(16));
      traces.add(trace.traceId);
      spans.add(trace.spanId);
    }
    expect(traces.size).toBe(2000);
    expect(spans.size).toBe(2000);
  });
});
