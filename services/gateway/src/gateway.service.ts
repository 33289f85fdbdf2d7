import { defineService, tablesOf } from '@lessor/service-kit';
import { gatewayConfigSchema } from './config.ts';
import { METRICS_PERMISSION, ownPath } from './routing/paths.ts';

/**
 * gateway: the single public entry (ADR 24: one definition, read by `main.ts`, the system list, the scripts and
 * the tests). It keeps no business data and has no events of its own; the services it routes to come from
 * `GATEWAY_SERVICES`. Its code is loaded when it is built, so a process runs only its own.
 */
export const gatewayService = defineService({
  name: 'gateway',
  port: 8080,
  title: 'Lessor gateway',
  description: 'The single public entry: routes /api/<service>/… to each service and lists them.',
  version: '0.1.0',
  config: gatewayConfigSchema,
  tables: tablesOf<unknown>(),
  migrations: [],
  // Nothing to publish or consume: no relay polling an outbox that stays empty, and woken by every write it forwards.
  withoutEvents: true,
  // Its port is the public one: its own figures need a token too (ADR 13).
  metricsPermission: METRICS_PERMISSION,
  // `/api/gateway/…` is routed straight to the gateway's own routes (no second request through inject).
  rewriteUrl: ownPath,
  build: async (context) => (await import('./app.ts')).buildGateway(context),
});
