import { buildUrl } from './http-message.ts';
import type { ReferenceCache } from './reference-cache.ts';
import type {
  QueryParameters,
  ReferenceAnswer,
  ReferenceReadOptions,
  ServiceClientLogger,
} from './service-client.types.ts';
import { UpstreamResponseError, UpstreamUnavailableError } from './upstream.errors.ts';

/**
 * Reads of reference data through a {@link ReferenceCache}: fresh values without a call, one shared call per
 * key at a time, and the last known value, marked stale, when the service is unavailable.
 */
export interface ReferenceReader {
  /** The value at `path`, cached under `options.key` (default: the path and its query). */
  read<T>(path: string, options?: ReferenceReadOptions): Promise<ReferenceAnswer<T>>;
  /** Forgets the reads in flight (their callers still get their answers). */
  clear(): void;
}

/** How a reader fetches a value: the client's `get`. */
export type FetchReference = (
  path: string,
  options: { query?: QueryParameters; deadlineMs?: number },
) => Promise<unknown>;

export function createReferenceReader(settings: {
  service: string;
  cache: ReferenceCache<unknown>;
  fetch: FetchReference;
  logger?: ServiceClientLogger | undefined;
}): ReferenceReader {
  const { service, cache, logger } = settings;
  const inFlight = new Map<string, Promise<{ value: unknown; fetchedAt: number }>>();

  return {
    async read<T>(path: string, options: ReferenceReadOptions = {}): Promise<ReferenceAnswer<T>> {
      const key = options.key ?? buildUrl('', path, options.query);
      const cached = cache.get(key);
      if (cached?.fresh === true)
        return { value: cached.value as T, stale: false, fetchedAt: new Date(cached.fetchedAt) };

      // Concurrent reads of one key share a fetch, so a burst of requests costs the other service one call.
      let fetching = inFlight.get(key);
      if (fetching === undefined) {
        fetching = settings
          .fetch(path, {
            ...(options.query ? { query: options.query } : {}),
            ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
          })
          .then((value) => {
            cache.set(key, value);
            return { value, fetchedAt: Date.now() };
          })
          .finally(() => inFlight.delete(key));
        inFlight.set(key, fetching);
      }
      try {
        const { value, fetchedAt } = await fetching;
        return { value: value as T, stale: false, fetchedAt: new Date(fetchedAt) };
      } catch (error) {
        // The service says the thing is gone: serving the old copy would keep a deleted party alive.
        if (error instanceof UpstreamResponseError && error.status === 404) cache.delete(key);
        // Any other refusal (403…) is a configuration error that must not hide behind old data.
        if (!(error instanceof UpstreamUnavailableError)) throw error;
        const fallback = cache.get(key);
        if (fallback === undefined) throw error;
        const fetchedAt = new Date(fallback.fetchedAt);
        logger?.warn(
          { upstream: service, path, reason: error.reason, fetchedAt: fetchedAt.toISOString() },
          `${service} is unavailable: answering ${path} from the cache, stale`,
        );
        return { value: fallback.value as T, stale: !fallback.fresh, fetchedAt };
      }
    },
    clear() {
      inFlight.clear();
    },
  };
}
