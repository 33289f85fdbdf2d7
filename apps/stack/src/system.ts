import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import type { Database, ServiceApp } from '@lessor/service-kit';
import type { FirstAdminResult } from '@lessor/sso';
import { LEASING_CLIENT_SCOPES } from '@lessor/leasing';
import { DEMO_CLIENT_SCOPES, stackBusinessDate } from './demo.ts';

/**
 * The whole of Lessor, in start order: each service, its port and how to build it from its own
 * environment. This list is the one place that knows every service (ARCHITECTURE.md §1); the
 * embedded runner (`npm start`) and the process runner (`npm run start:services`) both read it.
 * The gateway comes last: it routes to everything above it. Each service's code is loaded when it is built, so
 * a process that runs one service (`npm start`, ADR 21) loads that one only.
 */
export interface ServiceDefinition {
  name: string;
  /** Default port (the gateway's comes from PORT); LESSOR_FREE_PORTS=1 lets the OS pick. */
  port: number;
  /** Path of the service's own process entry, for the process runner. */
  main: string;
  /** Loads the service's code (and with it the error codes it declares) without building it. */
  load(): Promise<unknown>;
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
  firstAdmin?: (result: FirstAdminResult) => void;
}

export const SYSTEM: readonly ServiceDefinition[] = [
  {
    name: 'sso',
    port: 8101,
    main: 'services/sso/src/main.ts',
    load: () => import('@lessor/sso'),
    build: async (env, database, logger, transport, events) => {
      const sso = await import('@lessor/sso');
      return sso.buildApp({
        config: sso.loadSsoConfig(env),
        database,
        logger,
        transport,
        ...(events.firstAdmin ? { onFirstAdmin: events.firstAdmin } : {}),
      });
    },
  },
  {
    name: 'audit',
    port: 8102,
    main: 'services/audit/src/main.ts',
    load: () => import('@lessor/audit'),
    build: async (env, database, logger, transport) => {
      const audit = await import('@lessor/audit');
      return audit.buildApp({ config: audit.loadAuditConfig(env), database, logger, transport });
    },
  },
  {
    name: 'parties',
    port: 8103,
    main: 'services/parties/src/main.ts',
    load: () => import('@lessor/parties'),
    build: async (env, database, logger, transport) => {
      const parties = await import('@lessor/parties');
      return parties.buildApp({ config: parties.loadPartiesConfig(env), database, logger, transport });
    },
  },
  {
    name: 'assets',
    port: 8105,
    main: 'services/assets/src/main.ts',
    load: () => import('@lessor/assets'),
    build: async (env, database, logger, transport) => {
      const assets = await import('@lessor/assets');
      return assets.buildApp({ config: assets.loadAssetsConfig(env), database, logger, transport });
    },
  },
  {
    name: 'leasing',
    port: 8104,
    main: 'services/leasing/src/main.ts',
    load: () => import('@lessor/leasing'),
    build: async (env, database, logger, transport) => {
      const leasing = await import('@lessor/leasing');
      return leasing.buildApp({ config: leasing.loadLeasingConfig(env), database, logger, transport });
    },
  },
  {
    name: 'billing',
    port: 8106,
    main: 'services/billing/src/main.ts',
    load: () => import('@lessor/billing'),
    build: async (env, database, logger, transport) => {
      const billing = await import('@lessor/billing');
      // Its business date is today's, except while the demo replays the months before the first start.
      return billing.buildApp({
        config: billing.loadBillingConfig(env),
        database,
        logger,
        transport,
        today: stackBusinessDate,
      });
    },
  },
  {
    name: 'finance',
    port: 8107,
    main: 'services/finance/src/main.ts',
    load: () => import('@lessor/finance'),
    build: async (env, database, logger, transport) => {
      const finance = await import('@lessor/finance');
      return finance.buildApp({ config: finance.loadFinanceConfig(env), database, logger, transport });
    },
  },
  {
    name: 'gateway',
    port: 8080,
    main: 'services/gateway/src/main.ts',
    load: () => import('@lessor/gateway'),
    build: async (env, database, logger) => {
      const gateway = await import('@lessor/gateway');
      return gateway.buildApp({ config: gateway.loadGatewayConfig(env), database, logger });
    },
  },
];

/** The default port of a service in SYSTEM. */
export function portOf(name: string): number {
  const service = SYSTEM.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`No service ${name} in SYSTEM`);
  return service.port;
}

/**
 * The services that call others with a service-client token of their own, and the scopes each needs.
 * The stack declares them to sso (SSO_SERVICE_CLIENTS) with a secret made at each start; a deployment
 * declares them from its secret store instead.
 */
export const SERVICE_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  leasing: LEASING_CLIENT_SCOPES,
};

/**
 * A fresh secret per service client, for one run of the stack. Never written anywhere. With `demo`, also
 * for the clients that make the demo data (DEMO_CLIENT_SCOPES), declared only while demo data is on.
 */
export function newClientSecrets(options: { demo?: boolean } = {}): Map<string, string> {
  const clients = [...Object.keys(SERVICE_CLIENTS), ...(options.demo ? Object.keys(DEMO_CLIENT_SCOPES) : [])];
  return new Map(clients.map((name) => [name, randomBytes(32).toString('base64url')]));
}

/** The built admin UI (`npm run build:admin`, run by `npm start`), which the gateway serves at `/`. */
export const ADMIN_UI_DIR = fileURLToPath(new URL('../../admin/dist', import.meta.url));

/**
 * The environment each service needs to find the others: where sso publishes its keys and hands out
 * tokens, every other service's base URL as `<NAME>_URL` (`PARTIES_URL`), and for the gateway the list it
 * routes to.
 */
export function wiringEnv(urls: ReadonlyMap<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const ssoUrl = urls.get('sso');
  if (ssoUrl) {
    env.SSO_JWKS_URL = `${ssoUrl}/.well-known/jwks.json`;
    env.SSO_TOKEN_URL = `${ssoUrl}/v1/oauth/token`;
  }
  const routed = [...urls].filter(([name]) => name !== 'gateway');
  env.GATEWAY_ADMIN_DIR = ADMIN_UI_DIR;
  for (const [name, url] of routed) env[`${name.toUpperCase().replaceAll('-', '_')}_URL`] = url;
  if (routed.length > 0) env.GATEWAY_SERVICES = routed.map(([name, url]) => `${name}=${url}`).join(',');
  return env;
}

/**
 * One service's credentials: sso gets every declared client (id, secret, scopes); a calling service gets
 * its own id and secret. Other services get nothing.
 */
export function clientEnv(service: string, secrets: ReadonlyMap<string, string>): Record<string, string> {
  if (service === 'sso') {
    const declared = [...secrets].map(([clientId, secret]) => ({
      clientId,
      secret,
      scopes: [...(SERVICE_CLIENTS[clientId] ?? DEMO_CLIENT_SCOPES[clientId] ?? [])],
    }));
    return declared.length > 0 ? { SSO_SERVICE_CLIENTS: JSON.stringify(declared) } : {};
  }
  const secret = secrets.get(service);
  return secret ? { LESSOR_CLIENT_ID: service, LESSOR_CLIENT_SECRET: secret } : {};
}
