import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Transport } from '@lessor/events';
import { buildService, type AnyServiceDefinition, type Database, type ServiceApp } from '@lessor/service-kit';
import { assetsService } from '@lessor/assets';
import { auditService } from '@lessor/audit';
import { billingService } from '@lessor/billing';
import { financeService } from '@lessor/finance';
import { gatewayService } from '@lessor/gateway';
import { leasingService } from '@lessor/leasing';
import { partiesService } from '@lessor/parties';
import { ssoService, type FirstAdminResult } from '@lessor/sso';
import { integrationService } from '@lessor/integration';
import { DEMO_CLIENT_SCOPES, stackBusinessDate } from './demo.ts';

/**
 * The whole of Lessor, in start order: each service by its definition (ADR 24) — its name, port, what it
 * publishes, consumes and calls come from there, written once. This list is the one place that knows every
 * service (ARCHITECTURE.md §1); the embedded runner (`npm start`), the process runner (`npm run start:services`),
 * the OpenAPI and event-catalogue scripts read it. The gateway comes last: it routes to everything above it.
 * A definition loads its service's code only when it is built, so a process that runs one service (`npm start`,
 * ADR 21) loads that one only.
 */
export interface SystemService {
  readonly definition: AnyServiceDefinition;
  readonly name: string;
  /** Default port (the gateway's comes from PORT); LESSOR_FREE_PORTS=1 lets the OS pick. */
  readonly port: number;
  /** Path of the service's own process entry, for the process runner. */
  readonly main: string;
  /** Builds the service in this process from an environment (its definition's schema validates it). */
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

/** A service of the system, with what the stack passes its definition beyond the environment. */
function inSystem(
  definition: AnyServiceDefinition,
  options: (events: StackEvents) => Record<string, unknown> = () => ({}),
): SystemService {
  return {
    definition,
    name: definition.name,
    port: definition.port,
    main: `services/${definition.name}/src/main.ts`,
    build: (env, database, logger, transport, events) =>
      buildService(definition, { env, database, logger, transport, options: options(events) }),
  };
}

export const SYSTEM: readonly SystemService[] = [
  inSystem(ssoService, (events) => (events.firstAdmin ? { onFirstAdmin: events.firstAdmin } : {})),
  inSystem(auditService),
  inSystem(partiesService),
  inSystem(assetsService),
  inSystem(leasingService),
  // Its business date is today's, except while the demo replays the months before the first start.
  inSystem(billingService, () => ({ today: stackBusinessDate })),
  inSystem(financeService),
  inSystem(integrationService),
  inSystem(gatewayService),
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
export const SERVICE_CLIENTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  SYSTEM.filter(({ definition }) => definition.clientScopes.length > 0).map(({ definition }) => [
    definition.name,
    definition.clientScopes,
  ]),
);

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
