import { loadConfig, Type, type Static } from '@lessor/service-kit';

const stackConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1' }),
  PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description: 'The gateway’s port: the URL to open (default 8080; kept with LESSOR_FREE_PORTS).',
    }),
  ),
  LESSOR_FREE_PORTS: Type.Boolean({
    default: false,
    description:
      'Let the OS choose every port — the gateway’s too unless PORT is set (tests run several stacks at once).',
  }),
  LESSOR_DATA_DIR: Type.String({ default: './data' }),
  LESSOR_DATABASE_PREFIX: Type.String({
    default: 'lessor_',
    pattern: '^[a-z][a-z0-9_]*$',
    description:
      'Each service’s database is <prefix><service> (both modes; `npm start`’s bus is <prefix>bus).',
  }),
  LESSOR_POSTGRES_PORT: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        '`npm start`: the port of its own PostgreSQL on 127.0.0.1 (default 54329; a free one with LESSOR_FREE_PORTS or 0).',
    }),
  ),
  LOG_LEVEL: Type.Optional(
    Type.Union(
      (['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const).map((level) =>
        Type.Literal(level),
      ),
      {
        description:
          '`npm start`: what the console shows (default warn; the log file <LESSOR_DATA_DIR>/logs/lessor.log gets info ' +
          'and above, or more with debug/trace). `start:services`: each service’s level (default info).',
      },
    ),
  ),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  AMQP_URL: Type.Optional(Type.String({ pattern: '^amqps?://' })),
  LESSOR_ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 12 })),
  LESSOR_DEMO: Type.Boolean({
    default: true,
    description: 'Embedded mode: demo parties, assets, products and contracts on the first start (0: none).',
  }),
});

export type StackConfig = Static<typeof stackConfigSchema>;

/** The runner's own settings, read once from the environment. */
export function loadStackConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<StackConfig> {
  return loadConfig(stackConfigSchema, env);
}

/** The gateway's port when PORT is not set. */
export const DEFAULT_GATEWAY_PORT = 8080;

/**
 * The port a service of SYSTEM listens on; 0 lets the OS choose. The gateway's is PORT when set — also with
 * LESSOR_FREE_PORTS, so the URL to open stays known — else 8080; the others keep their default port unless
 * LESSOR_FREE_PORTS is set.
 */
export function servicePort(
  name: string,
  defaultPort: number,
  config: Pick<StackConfig, 'PORT' | 'LESSOR_FREE_PORTS'>,
): number {
  if (name === 'gateway' && config.PORT !== undefined) return config.PORT;
  if (config.LESSOR_FREE_PORTS) return 0;
  return name === 'gateway' ? DEFAULT_GATEWAY_PORT : defaultPort;
}

/** `npm start`'s own PostgreSQL listens here unless LESSOR_POSTGRES_PORT or LESSOR_FREE_PORTS says otherwise. */
export const DEFAULT_POSTGRES_PORT = 54329;

/** The port of `npm start`'s own PostgreSQL; 0 takes a free one. */
export function postgresPort(
  config: Pick<StackConfig, 'LESSOR_POSTGRES_PORT' | 'LESSOR_FREE_PORTS'>,
): number {
  if (config.LESSOR_POSTGRES_PORT !== undefined) return config.LESSOR_POSTGRES_PORT;
  return config.LESSOR_FREE_PORTS ? 0 : DEFAULT_POSTGRES_PORT;
}

/** The database URL of one service: the same server, its own database `<prefix><service>` (both modes). */
export function serviceDatabaseUrl(base: string, service: string, prefix: string): string {
  const url = new URL(base);
  url.pathname = `/${prefix}${service.replaceAll('-', '_')}`;
  return url.toString();
}

/** The environment the runner was started with, handed on to each service it starts. */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
