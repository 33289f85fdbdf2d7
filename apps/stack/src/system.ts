import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import type { Database, ServiceApp } from '@lessor/service-kit';
import * as audit from '@lessor/audit';
import * as gateway from '@lessor/gateway';
import * as sso from '@lessor/sso';

/**
 * The whole of Lessor, in start order: each service, its port and how to build it from its own
 * environment. This list is the one place that knows every service (ARCHITECTURE.md §1); the
 * embedded runner (`npm start`) and the process runner (`npm run start:services`) both read it.
 * The gateway comes last: it routes to everything above it.
 */
export interface ServiceDefinition {
  name: string;
  /** Default port (the gateway's comes from PORT); LESSOR_FREE_PORTS=1 lets the OS pick. */
  port: number;
  /** Path of the service's own process entry, for the process runner. */
  main: string;
  /** Builds the service in this process from an environment (its config.ts validates it). */
  build(
    env: Record<string, string | undefined>,
    database: Database<unknown>,
    logger: Logger,
    transport: Transport,
    events: StackEvents,
  ): Promise<ServiceApp>;
}

export interface StackEvents {
  /** sso's first start created user admin; a generated password is printed once. */
  firstAdmin?: (result: sso.FirstAdminResult) => void;
}

export const SYSTEM: readonly ServiceDefinition[] = [
  {
    name: 'sso',
    port: 8101,
    main: 'services/sso/src/main.ts',
    build: (env, database, logger, transport, events) =>
      sso.buildApp({
        config: sso.loadSsoConfig(env),
        database,
        logger,
        transport,
        ...(events.firstAdmin ? { onFirstAdmin: events.firstAdmin } : {}),
      }),
  },
  {
    name: 'audit',
    port: 8102,
    main: 'services/audit/src/main.ts',
    build: (env, database, logger, transport) =>
      audit.buildApp({ config: audit.loadAuditConfig(env), database, logger, transport }),
  },
  {
    name: 'gateway',
    port: 8080,
    main: 'services/gateway/src/main.ts',
    build: (env, database, logger) =>
      gateway.buildApp({ config: gateway.loadGatewayConfig(env), database, logger }),
  },
];

/**
 * The environment each service needs to find the others: where sso publishes its keys, and for the
 * gateway, every service's base URL.
 */
export function wiringEnv(urls: ReadonlyMap<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const ssoUrl = urls.get('sso');
  if (ssoUrl) env.SSO_JWKS_URL = `${ssoUrl}/.well-known/jwks.json`;
  const routed = [...urls].filter(([name]) => name !== 'gateway');
  if (routed.length > 0) env.GATEWAY_SERVICES = routed.map(([name, url]) => `${name}=${url}`).join(',');
  return env;
}
