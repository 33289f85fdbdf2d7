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
    description: 'Distributed mode: each service’s database is <prefix><service>.',
  }),
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

/** The environment the runner was started with, handed on to each service it starts. */
export function inheritedEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
