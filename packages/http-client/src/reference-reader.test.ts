import { describe, expect, it, vi } from 'vitest';
import { ReferenceCache } from './reference-cache.ts';
import { createReferenceReader, type FetchReference } from './reference-reader.ts';
import { UpstreamResponseError, UpstreamUnavailableError } from './upstream.errors.ts';

const down = () => new UpstreamUnavailableError('parties', 'timeout', 'GET /v1/parties/p1 got no answer');

function readerOf(fetch: FetchReference) {
  const state = { now: 1_000_000 };
  const cache = new ReferenceCache<unknown>({ freshMs: 1000, staleMs: 10_000, now: () => state.now });
  const logger = { warn: vi.fn() };
  const reader = createReferenceReader({ service: 'parties', cache, fetch: vi.fn(fetch), logger });
  return { reader, cache, state, logger };
}

describe('createReferenceReader', () => {
  it('should answer a fresh value from the cache without a call', async () => {
    const fetch = vi.fn<FetchReference>(() => Promise.resolve({ name: 'ACME' }));
    const { reader } = readerOf(fetch);
    await reader.read('/v1/parties/p1');

    await expect(reader.read('/v1/parties/p1')).resolves.toMatchObject({
      value: { name: 'ACME' },
      stale: false,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('should share one call when concurrent reads of one key miss the cache', async () => {
    let answer = (_value: unknown) => {};
    const fetch = vi.fn<FetchReference>(() => new Promise((resolve) => (answer = resolve)));
    const { reader } = readerOf(fetch);
    const reads = [reader.read('/v1/parties/p1'), reader.read('/v1/parties/p1')];
    answer({ name: 'ACME' });

    const [first, second] = await Promise.all(reads);
    expect(first?.value).toEqual({ name: 'ACME' });
    expect(second?.value).toEqual({ name: 'ACME' });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('should key by path and query unless given a key, and pass the query and deadline on', async () => {
    const fetch = vi.fn<FetchReference>(() => Promise.resolve('x'));
    const { reader, cache } = readerOf(fetch);
    await reader.read('/v1/assets', { query: { model: 'A4', page: undefined }, deadlineMs: 150 });
    await reader.read('/v1/assets/a1', { key: 'asset:a1' });

    expect(fetch).toHaveBeenCalledWith('/v1/assets', {
      query: { model: 'A4', page: undefined },
      deadlineMs: 150,
    });
    expect(cache.get('/v1/assets?model=A4')?.value).toBe('x');
    expect(cache.get('asset:a1')?.value).toBe('x');
  });

  it('should answer the last value marked stale and log a warning when the service is unavailable', async () => {
    const fetch = vi.fn<FetchReference>().mockResolvedValueOnce({ name: 'ACME' }).mockRejectedValue(down());
    const { reader, state, logger } = readerOf(fetch);
    await reader.read('/v1/parties/p1');
    state.now += 5000;

    const answer = await reader.read('/v1/parties/p1');

    expect(answer).toMatchObject({ value: { name: 'ACME' }, stale: true });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({ upstream: 'parties', path: '/v1/parties/p1', reason: 'timeout' }),
      'parties is unavailable: answering /v1/parties/p1 from the cache, stale',
    );
  });

  it('should rethrow the unavailability when there is no value to fall back on', async () => {
    const { reader } = readerOf(() => Promise.reject(down()));

    await expect(reader.read('/v1/parties/p1')).rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('should drop the cached value and rethrow when the service answers 404', async () => {
    const gone = new UpstreamResponseError('parties', 404, 'parties refused GET: 404', undefined);
    const fetch = vi.fn<FetchReference>().mockResolvedValueOnce({ name: 'ACME' }).mockRejectedValue(gone);
    const { reader, cache, state } = readerOf(fetch);
    await reader.read('/v1/parties/p1');
    state.now += 5000;

    await expect(reader.read('/v1/parties/p1')).rejects.toBe(gone);
    expect(cache.get('/v1/parties/p1')).toBeUndefined();
  });

  it('should rethrow another refusal rather than hide it behind old data', async () => {
    const forbidden = new UpstreamResponseError('parties', 403, 'parties refused GET: 403', undefined);
    const fetch = vi
      .fn<FetchReference>()
      .mockResolvedValueOnce({ name: 'ACME' })
      .mockRejectedValue(forbidden);
    const { reader, cache, state } = readerOf(fetch);
    await reader.read('/v1/parties/p1');
    state.now += 5000;

    await expect(reader.read('/v1/parties/p1')).rejects.toBe(forbidden);
    expect(cache.get('/v1/parties/p1')?.value).toEqual({ name: 'ACME' });
  });
});
