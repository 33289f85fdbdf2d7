import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What the gateway reads from the environment besides the settings of every service; its port is in its definition. */
export const gatewayConfigSchema = serviceConfigSchema({
  GATEWAY_SERVICES: Type.String({
    default: 'sso=http://127.0.0.1:8101',
    pattern: '^[a-z][a-z0-9-]*=https?://[^,\\s]+(,[a-z][a-z0-9-]*=https?://[^,\\s]+)*$',
    description: 'The services behind /api/<name>/…, as name=baseUrl pairs separated by commas.',
  }),
  GATEWAY_UPSTREAM_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    default: 10_000,
    description: 'Deadline for an upstream answer; past it the client gets 504, never a hang.',
  }),
  GATEWAY_COMPOSE_DEADLINE_MS: Type.Integer({
    minimum: 50,
    default: 300,
    description:
      'Deadline of each service call of a composed read (contract cards): the 300 ms budget per call between services.',
  }),
  GATEWAY_READINESS_TIMEOUT_MS: Type.Integer({ minimum: 50, default: 1000 }),
  GATEWAY_BODY_LIMIT_BYTES: Type.Integer({ minimum: 1024, default: 10 * 1024 * 1024 }),
  GATEWAY_ADMIN_DIR: Type.String({
    default: '',
    description:
      'The built admin UI (apps/admin/dist) served at /; empty: no UI (the stack sets it, npm start builds it).',
  }),
});

export type GatewayConfig = Static<typeof gatewayConfigSchema>;
