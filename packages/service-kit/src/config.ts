import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/**
 * The settings every service reads from the environment. A service extends them with its own
 * (`serviceConfigSchema({ SSO_ACCESS_TOKEN_TTL: Type.Integer(...) })`) and reads the result once, in its
 * `config.ts`; nothing else in a service touches `process.env`.
 */
export const baseConfigProperties = {
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on (0.0.0.0 in containers).' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, description: 'TCP port of the HTTP server.' }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  DATABASE_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL URL of this service’s own database (required to run a service alone; `npm start` sets it).',
    }),
  ),
  LESSOR_DATA_DIR: Type.String({
    default: './data',
    description: 'Where `npm start` keeps its PostgreSQL cluster, logs and first-start files.',
  }),
  LESSOR_EVENTS_NAMESPACE: Type.Optional(
    Type.String({
      pattern: '^[a-z0-9][a-z0-9-]*$',
      description: 'Keeps installations apart on one RabbitMQ: lessor.<namespace>.events and its queues.',
    }),
  ),
  AMQP_URL: Type.Optional(
    Type.String({
      pattern: '^amqps?://',
      description: 'RabbitMQ for events; unset = the in-process bus in the service’s own database.',
    }),
  ),
  SSO_ISSUER: Type.String({ default: 'lessor-sso', description: 'The `iss` every access token must carry.' }),
  TOKEN_AUDIENCE: Type.String({ default: 'lessor', description: 'The `aud` every access token must carry.' }),
  SSO_JWKS_URL: Type.String({
    default: 'http://127.0.0.1:8101/.well-known/jwks.json',
    description: 'Where the signing keys of sso are published.',
  }),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ minimum: 0, default: 10_000 }),
  TRUST_PROXY: Type.Boolean({ default: false, description: 'Trust X-Forwarded-For (behind the gateway).' }),
} satisfies TProperties;

export const baseConfigSchema = Type.Object(baseConfigProperties);
export type BaseConfig = Static<typeof baseConfigSchema>;

/** A service's environment schema: the base settings plus its own. */
export function serviceConfigSchema<P extends TProperties>(own: P): TObject<typeof baseConfigProperties & P> {
  return Type.Object({ ...baseConfigProperties, ...own }) as TObject<typeof baseConfigProperties & P>;
}

/** `PARTIES_URL` for `parties`, `FIXED_ASSETS_URL` for `fixed-assets`: where a called service is reached. */
export function urlVariableOf(service: string): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_URL`;
}

/** The settings of a service that calls others (`callerConfigProperties` declares them). */
export interface CallerConfig {
  UPSTREAM_DEADLINE_MS: number;
  SSO_TOKEN_URL?: string;
  LESSOR_CLIENT_ID: string;
  LESSOR_CLIENT_SECRET?: string;
}

/**
 * The settings of a service that calls others (its definition's `calls`): each one's base URL (`PARTIES_URL`,
 * defaulting to its port on this host), the deadline of a call, and the service client it calls as.
 */
export function callerConfigProperties<const Calls extends string>(
  caller: string,
  calls: Record<Calls, number>,
) {
  const urls: Record<string, TSchema> = {};
  for (const [service, port] of Object.entries<number>(calls))
    urls[urlVariableOf(service)] = Type.String({
      default: `http://127.0.0.1:${port}`,
      description: `Base URL of ${service}.`,
    });
  return {
    ...(urls as Record<`${Uppercase<Calls>}_URL`, ReturnType<typeof Type.String>>),
    SSO_TOKEN_URL: Type.Optional(
      Type.String({ description: `sso’s OAuth token endpoint, for ${caller}’s own service-client token.` }),
    ),
    LESSOR_CLIENT_ID: Type.String({ default: caller, description: `${caller}’s service-client id in sso.` }),
    LESSOR_CLIENT_SECRET: Type.Optional(
      Type.String({ minLength: 16, description: `${caller}’s service-client secret (never logged).` }),
    ),
    UPSTREAM_DEADLINE_MS: Type.Integer({
      minimum: 50,
      default: 300,
      description: 'Deadline of one call to another service, retries included: the platform’s 300 ms budget.',
    }),
  };
}

/** Thrown at start when the environment does not fit the schema; the message names each bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the variables the schema names from `env`, converts strings to the declared types, fills
 * defaults and validates. Returns a frozen object; throws `ConfigError` naming every bad variable.
 */
export function loadConfig<S extends TObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<S>> {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') picked[name] = raw;
  }
  const value = Value.Default(schema, Value.Convert(schema, picked)) as Record<string, unknown>;
  if (!Value.Check(schema, value)) {
    // Checked variable by variable, so one bad value's many union branches cannot crowd out another's error.
    const problems = new Map<string, string>();
    const required = new Set(schema.required ?? []);
    for (const [variable, propertySchema] of Object.entries(schema.properties as Record<string, TSchema>)) {
      const shown =
        env[variable] === undefined ? 'is missing' : `is ${JSON.stringify(redact(variable, env[variable]))}`;
      if (value[variable] === undefined) {
        if (required.has(variable)) problems.set(variable, shown);
        continue;
      }
      if (Value.Check(propertySchema, value[variable])) continue;
      const [first] = Value.Errors(propertySchema, value[variable]);
      problems.set(variable, `${shown}: ${first?.message ?? 'is not valid'}`);
    }
    throw new ConfigError([...problems].map(([variable, message]) => ({ variable, message })));
  }
  return Object.freeze(value) as Readonly<Static<S>>;
}

/** Values of variables that may hold secrets are never echoed back, not even in a start-up error. */
function redact(variable: string, value: string | undefined): string | undefined {
  return /PASSWORD|SECRET|TOKEN|KEY|URL/i.test(variable) ? '***' : value;
}
