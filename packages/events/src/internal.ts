import { pino } from 'pino';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** A logger that writes nothing, for callers that gave none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The message of anything thrown, for `last_error` and parking reasons (never a stack: it is shown to admins). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

const TRACEPARENT = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The trace id of a W3C `traceparent`, or undefined when there is none or it is malformed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  return TRACEPARENT.exec(traceparent.trim().toLowerCase())?.[1];
}

/**
 * A wake-up call for a polling loop: `wait(ms)` resolves after `ms` or at the next `wake()`, whichever is first.
 * A `wake()` that comes while nobody waits is kept, so a signal sent between two waits is never lost.
 */
export class Wakeup {
  #pending = false;
  #resolve: (() => void) | undefined;

  wake(): void {
    if (this.#resolve) {
      const resolve = this.#resolve;
      this.#resolve = undefined;
      resolve();
    } else {
      this.#pending = true;
    }
  }

  /** Forgets a wake-up that came while nobody waited (a back-off must not be cut short by it). */
  clear(): void {
    this.#pending = false;
  }

  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.#resolve === done) this.#resolve = undefined;
        resolve();
      };
      // unref: a background poller must not keep a process alive that has nothing else to do.
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#resolve = done;
    });
  }
}

/** Sleeps `ms` without keeping the process alive. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// Several relays or consumers may share a service's registry (tests; a restart in one process): they share
// the series instead of failing on "already registered".
/** The counter of this name in `registry`, made once. */
export function counterIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[] = [],
): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** The histogram of this name in `registry`, made once. */
export function histogramIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

/**
 * A gauge of this name in `registry` whose value is read at scrape time from `read` (the latest registration
 * wins: the newest relay of a registry is the one that reports). A failing read keeps the last value, so a
 * database hiccup does not fail the whole `/metrics` answer.
 */
export function collectedGaugeIn(
  registry: Registry,
  name: string,
  help: string,
  read: () => Promise<number>,
  onError: (error: unknown) => void,
): void {
  const holder = gaugeReaders.get(registry) ?? new Map<string, () => Promise<number>>();
  gaugeReaders.set(registry, holder);
  holder.set(name, read);
  if (registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      const current = gaugeReaders.get(registry)?.get(name);
      if (!current) return;
      try {
        this.set(await current());
      } catch (error) {
        onError(error);
      }
    },
  });
}

const gaugeReaders = new WeakMap<Registry, Map<string, () => Promise<number>>>();

/** Buckets of the handler-duration histogram; 0.3 s is the budget of a call between services (ARCHITECTURE.md §4). */
export const HANDLER_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];

/** From an event's occurrence to its effect: milliseconds when healthy, minutes to hours behind an outage. */
export const EVENT_LAG_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a UUID in its canonical text form (any version: the database column is `uuid`). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Lets timers and I/O run between rounds of a loop that always finds work, so it never keeps the HTTP server,
 * timers and everything else of the process waiting until its backlog is gone.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
