import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import { createLogger, type Database, type ServiceApp } from '@lessor/service-kit';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv, type StackEvents } from './system.ts';

/** How to start the services of SYSTEM in this process. */
export interface BootOptions {
  /** Each service's own database (its own PostgreSQL database, or a schema of one test database). */
  databaseFor(service: string): Promise<Database<unknown>>;
  /** The event transport of a service (one in-process bus for all, or a RabbitMQ connection each). */
  transportFor(service: string): Transport;
  host?: string;
  /** The port of each service; 0 lets the OS choose. */
  portFor(service: string): number;
  /** Environment every service gets (LOG_LEVEL, LESSOR_DATA_DIR, …); the wiring is added to it. */
  env?: Record<string, string | undefined>;
  /** Extra environment for one service (tests shorten deadlines or caches). */
  envFor?: (service: string) => Record<string, string>;
  logger?: (service: string) => Logger;
  events?: StackEvents;
  /** Only these services (SYSTEM order kept); default all. */
  only?: readonly string[];
  /** The service clients declared to sso, with their secrets; default `newClientSecrets()`. */
  clientSecrets?: ReadonlyMap<string, string>;
}

/** A started system: its services by name, their URLs, and a way to stop one or all. */
export interface BootedSystem {
  apps: Map<string, ServiceApp>;
  urls: Map<string, string>;
  /** Stops one service (its port refuses from then on), as an outage does. */
  stopService(name: string): Promise<void>;
  /** Stops every service in reverse start order. */
  stop(): Promise<void>;
}

/**
 * Starts the services of SYSTEM in this process, in order, each on its own port with its own database,
 * wired to those before it (and service clients declared to sso with fresh secrets). `npm start` boots
 * this way; so do the end-to-end tests and the benchmarks, so they measure what a user runs.
 */
export async function bootSystem(options: BootOptions): Promise<BootedSystem> {
  const host = options.host ?? '127.0.0.1';
  const secrets = options.clientSecrets ?? newClientSecrets();
  const apps = new Map<string, ServiceApp>();
  const urls = new Map<string, string>();
  const started: string[] = [];
  const stopService = async (name: string) => {
    const app = apps.get(name);
    apps.delete(name);
    await app?.close().catch(() => {});
  };
  const stop = async () => {
    for (const name of [...started].reverse()) await stopService(name);
  };
  try {
    for (const service of SYSTEM) {
      if (options.only && !options.only.includes(service.name)) continue;
      const port = options.portFor(service.name);
      const env = {
        ...options.env,
        ...wiringEnv(urls),
        ...clientEnv(service.name, secrets),
        HOST: host,
        PORT: String(port),
        // Services sit behind the gateway, which sets X-Forwarded-For; the gateway itself trusts nobody.
        TRUST_PROXY: service.name === 'gateway' ? 'false' : 'true',
        ...options.envFor?.(service.name),
      };
      const database = await options.databaseFor(service.name);
      const logger =
        options.logger?.(service.name) ??
        createLogger(service.name, (options.env?.LOG_LEVEL ?? 'info') as 'info');
      const app = await service.build(
        env,
        database,
        logger,
        options.transportFor(service.name),
        options.events ?? {},
      );
      apps.set(service.name, app);
      started.push(service.name);
      urls.set(service.name, await app.listen({ host, port }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { apps, urls, stopService, stop };
}
