import { describe, expect, it } from 'vitest';
import { EVENT_SERVICES, readableEventServices } from './eventServices.ts';

// Every service's committed spec, read at build time by Vite.
const specs = import.meta.glob<{ paths: Record<string, unknown> }>(
  '../../../../../../services/*/openapi.json',
  {
    eager: true,
    import: 'default',
  },
);

describe('EVENT_SERVICES', () => {
  it('should name exactly the services whose API has parked events', () => {
    const withParked = Object.entries(specs)
      .filter(([, spec]) => '/v1/events/parked' in spec.paths)
      .map(([path]) => /services\/([^/]+)\/openapi\.json$/.exec(path)?.[1])
      .sort();
    expect(withParked.length).toBeGreaterThan(0);
    expect([...EVENT_SERVICES].sort()).toEqual(withParked);
  });
});

describe('readableEventServices', () => {
  it('should offer the services whose events the permissions may read, wildcard grants included', () => {
    expect(readableEventServices(['billing:events:read', 'finance:events:write'])).toEqual(['billing']);
    expect(readableEventServices(['*:events:read'])).toEqual([...EVENT_SERVICES]);
    expect(readableEventServices(['parties:parties:read'])).toEqual([]);
  });
});
