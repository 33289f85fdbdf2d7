/** One service behind the gateway. */
export interface ServiceEntry {
  name: string;
  baseUrl: string;
}

export interface ServiceStatus extends ServiceEntry {
  ready: boolean;
  /** How long the readiness probe took, in milliseconds; null when it failed. */
  latencyMs: number | null;
  detail: string | null;
}

/** Parses `sso=http://127.0.0.1:8101,parties=http://…` (the config pattern has checked its shape). */
export function parseServiceList(list: string): ServiceEntry[] {
  return list.split(',').map((pair) => {
    const [name, ...url] = pair.split('=');
    return { name: name!.trim(), baseUrl: url.join('=').trim().replace(/\/+$/, '') };
  });
}

/** The services the gateway routes to, by name, and their readiness. */
export class ServiceRegistry {
  readonly #byName: Map<string, ServiceEntry>;

  constructor(
    entries: readonly ServiceEntry[],
    private readonly probeTimeoutMs: number,
  ) {
    this.#byName = new Map(entries.map((entry) => [entry.name, entry]));
  }

  find(name: string): ServiceEntry | undefined {
    return this.#byName.get(name);
  }

  all(): ServiceEntry[] {
    return [...this.#byName.values()];
  }

  /** Asks each service's /health/ready at once; a slow one counts as not ready after the probe timeout. */
  async statuses(): Promise<ServiceStatus[]> {
    return Promise.all(this.all().map((entry) => this.#probe(entry)));
  }

  async #probe(entry: ServiceEntry): Promise<ServiceStatus> {
    const started = performance.now();
    try {
      const response = await fetch(`${entry.baseUrl}/health/ready`, {
        signal: AbortSignal.timeout(this.probeTimeoutMs),
      });
      await response.body?.cancel();
      const latencyMs = Math.round(performance.now() - started);
      return {
        ...entry,
        ready: response.ok,
        latencyMs,
        detail: response.ok ? null : `HTTP ${response.status}`,
      };
    } catch (error) {
      const detail = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable';
      return { ...entry, ready: false, latencyMs: null, detail };
    }
  }
}
