/**
 * Counts unconfirmed publishes and makes the next one wait when `size` are in flight. Waiting for every
 * confirm is ~20x slower than keeping a window open (STACK.md); an unbounded window would hold a whole
 * outbox backlog in memory and in the socket buffer.
 */
export class ConfirmWindow {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`publisherConfirmsInFlight must be a positive integer, got ${size}`);
  }

  /** Takes a slot: undefined when one is free (no promise per message on the fast path), else a promise of one. */
  acquire(): Promise<void> | undefined {
    if (this.inFlight < this.size) {
      this.inFlight++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a slot back, handing it straight to the oldest waiter so order is kept. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}
