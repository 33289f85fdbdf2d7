/** How a `SubjectBatchQueue` forms and runs its batches. */
export interface SubjectBatchQueueOptions<T> {
  /** Items in one batch at most. */
  maxBatchSize: number;
  /** Batches running at once at most. */
  maxBatchesInFlight: number;
  /** How long a batch smaller than `maxBatchSize` may wait for more items before it starts (0: never waits). */
  maxWaitMs: number;
  /** The key whose items must be handled one after another, in arrival order (the event's subject). */
  keyOf(item: T): string;
  /** Handles one batch; its keys are free again when it settles. It should not reject (a rejection is dropped). */
  run(batch: T[]): Promise<void>;
}

interface Waiting<T> {
  item: T;
  key: string;
  /** When it arrived (`performance.now()`). */
  at: number;
}

/**
 * Collects items into batches and runs them, at most `maxBatchesInFlight` at a time. Items of one key keep
 * their arrival order: within a batch they come in that order, and a key that is in a running batch (or has an
 * earlier item still waiting) is left out of new batches until that batch has settled. Items that arrive in
 * the same turn of the event loop start in one batch; when every slot is busy, items wait and the next free
 * slot takes up to `maxBatchSize` of them, so batches grow with the load and stay single under a light one.
 */
export class SubjectBatchQueue<T> {
  readonly #options: SubjectBatchQueueOptions<T>;
  /** Waiting items in arrival order, with when they arrived (for `maxWaitMs`). */
  #waiting: Waiting<T>[] = [];
  /** Keys of the items in running batches. */
  readonly #busy = new Set<string>();
  readonly #running = new Set<Promise<void>>();
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SubjectBatchQueueOptions<T>) {
    if (!Number.isInteger(options.maxBatchSize) || options.maxBatchSize < 1)
      throw new Error('batch size must be a positive integer');
    if (!Number.isInteger(options.maxBatchesInFlight) || options.maxBatchesInFlight < 1)
      throw new Error('batches in flight must be a positive integer');
    if (!(options.maxWaitMs >= 0)) throw new Error('batch wait must be a number of milliseconds, 0 or more');
    this.#options = options;
  }

  /** Queues an item; it starts in a batch on a later turn of the event loop at the earliest. */
  add(item: T): void {
    this.#waiting.push({ item, key: this.#options.keyOf(item), at: performance.now() });
    if (!this.#scheduled) {
      this.#scheduled = true;
      // Not at once: deliveries that arrive together (one fetch, one socket read) go into one batch.
      setImmediate(() => {
        this.#scheduled = false;
        this.#dispatch();
      });
    }
  }

  /** Resolves when no item waits and no batch runs. */
  async idle(): Promise<void> {
    while (this.#running.size > 0 || this.#waiting.length > 0) {
      if (this.#running.size > 0) await Promise.all([...this.#running]);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  #dispatch(): void {
    const { maxBatchSize, maxBatchesInFlight, maxWaitMs } = this.#options;
    while (this.#running.size < maxBatchesInFlight && this.#waiting.length > 0) {
      const { taken, kept } = this.#plan(maxBatchSize);
      if (taken.length === 0) return; // every waiting key is busy: a settling batch dispatches again
      if (taken.length < maxBatchSize && maxWaitMs > 0) {
        const waited = performance.now() - Math.min(...taken.map((entry) => entry.at));
        if (waited < maxWaitMs) {
          if (this.#timer === undefined) {
            this.#timer = setTimeout(() => {
              this.#timer = undefined;
              this.#dispatch();
            }, maxWaitMs - waited);
          }
          return;
        }
      }
      this.#waiting = kept;
      this.#start(taken);
    }
  }

  /** Up to `size` waiting items, in order, whose key is neither busy nor behind an item left waiting. */
  #plan(size: number): { taken: Waiting<T>[]; kept: Waiting<T>[] } {
    const taken: Waiting<T>[] = [];
    const kept: Waiting<T>[] = [];
    const blocked = new Set(this.#busy);
    for (const entry of this.#waiting) {
      if (taken.length < size && !blocked.has(entry.key)) {
        taken.push(entry);
      } else {
        kept.push(entry);
        blocked.add(entry.key); // a later item of this key must not overtake this one
      }
    }
    return { taken, kept };
  }

  #start(batch: Waiting<T>[]): void {
    const keys = new Set(batch.map((entry) => entry.key));
    for (const key of keys) this.#busy.add(key);
    const running: Promise<void> = this.#options
      .run(batch.map((entry) => entry.item))
      .catch(() => undefined)
      .finally(() => {
        for (const key of keys) this.#busy.delete(key);
        this.#running.delete(running);
        this.#dispatch();
      });
    this.#running.add(running);
  }
}
