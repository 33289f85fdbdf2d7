import { describe, expect, it } from 'vitest';
import { ReferenceCache } from './reference-cache.ts';

function clock(start = 1_000_000) {
  const state = { now: start };
  return { state, now: () => state.now };
}

describe('ReferenceCache', () => {
  it('should answer a value as fresh when it is younger than freshMs', () => {
    const time = clock();
    const cache = new ReferenceCache<string>({ freshMs: 1000, staleMs: 5000, now: time.now });
    cache.set('party-1', 'ACME');
    time.state.now += 999;

    expect(cache.get('party-1')).toEqual({ value: 'ACME', fetchedAt: 1_000_000, fresh: true });
  });

  it('should answer a value as stale when it is past freshMs but within staleMs beyond it', () => {
    const time = clock();
    const cache = new ReferenceCache<string>({ freshMs: 1000, staleMs: 5000, now: time.now });
    cache.set('party-1', 'ACME');
    time.state.now += 5999;

    expect(cache.get('party-1')).toEqual({ value: 'ACME', fetchedAt: 1_000_000, fresh: false });
  });

  it('should drop a value when it is older than freshMs plus staleMs', () => {
    const time = clock();
    const cache = new ReferenceCache<string>({ freshMs: 1000, staleMs: 5000, now: time.now });
    cache.set('party-1', 'ACME');
    time.state.now += 6000;

    expect(cache.get('party-1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('should restart freshness when a value is set again', () => {
    const time = clock();
    const cache = new ReferenceCache<string>({ freshMs: 1000, now: time.now });
    cache.set('party-1', 'ACME');
    time.state.now += 2000;
    cache.set('party-1', 'ACME Ltd');

    expect(cache.get('party-1')).toEqual({ value: 'ACME Ltd', fetchedAt: 1_002_000, fresh: true });
  });

  it('should evict the least recently used entry when full', () => {
    const cache = new ReferenceCache<number>({ maxEntries: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a'); // a is now the most recently used
    cache.set('c', 3);

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.value).toBe(1);
    expect(cache.get('c')?.value).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('should forget an entry when it is deleted or the cache is cleared', () => {
    const cache = new ReferenceCache<number>();
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('a');

    expect(cache.get('a')).toBeUndefined();
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
  });

  it('should refuse bounds that cannot work when created', () => {
    expect(() => new ReferenceCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new ReferenceCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new ReferenceCache({ freshMs: -1 })).toThrow(RangeError);
    expect(() => new ReferenceCache({ staleMs: Number.NaN })).toThrow(RangeError);
  });
});
