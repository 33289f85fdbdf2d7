/** Bounds of the reference-data cache of a service client. */
export interface ReferenceCacheOptions {
  /** Entries kept at most; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** An entry younger than this is answered without a call. Default 30 s. */
  freshMs?: number;
  /** How long past `freshMs` an entry still serves as the stale fallback when the service is down. Default 24 h. */
  staleMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A cached value, with its age told as freshness. */
export interface CachedReference<V> {
  value: V;
  /** When the value was fetched (epoch ms). */
  fetchedAt: number;
  /** Younger than `freshMs`: good to answer without asking the service. */
  fresh: boolean;
}

/**
 * A bounded map of reference data (a party's name, an asset's model) kept as the fallback for when the
 * owning service is down (ARCHITECTURE.md §1: reads degrade to cached data, marked stale). Recency of use
 * orders eviction, so the entries a service keeps reading survive a burst of one-off lookups.
 */
export class ReferenceCache<V> {
  readonly #entries = new Map<string, { value: V; fetchedAt: number }>();
  readonly #maxEntries: number;
  readonly #freshMs: number;
  readonly #staleMs: number;
  readonly #now: () => number;

  constructor(options: ReferenceCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#freshMs = options.freshMs ?? 30_000;
    this.#staleMs = options.staleMs ?? 24 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1)
      throw new RangeError('cache.maxEntries must be a positive integer');
    for (const [name, value] of [
      ['freshMs', this.#freshMs],
      ['staleMs', this.#staleMs],
    ] as const) {
      if (!(value >= 0)) throw new RangeError(`cache.${name} must be a non-negative number`);
    }
  }

  /** The entry under `key`, fresh or stale; `undefined` when there is none or it is too old to serve. */
  get(key: string): CachedReference<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const age = this.#now() - entry.fetchedAt;
    if (age >= this.#freshMs + this.#staleMs) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return { value: entry.value, fetchedAt: entry.fetchedAt, fresh: age < this.#freshMs };
  }

  /** Stores a value fetched now, evicting the least recently used entry when full. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, fetchedAt: this.#now() });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
