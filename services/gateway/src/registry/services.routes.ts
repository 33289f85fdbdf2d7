import { Type, type ServiceApp } from '@lessor/service-kit';
import type { ServiceRegistry } from './service-registry.ts';

const ServiceStatus = Type.Object({
  name: Type.String(),
  baseUrl: Type.String(),
  ready: Type.Boolean(),
  latencyMs: Type.Union([Type.Integer(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
});

/** GET /v1/services (reached as /api/gateway/v1/services): every service and whether it is ready. */
export function registerServiceRoutes(app: ServiceApp, registry: ServiceRegistry): void {
  app.get(
    '/v1/services',
    {
      config: { permission: 'gateway:services:read' },
      schema: {
        tags: ['services'],
        summary: 'The services behind the gateway and their readiness',
        response: { 200: Type.Object({ items: Type.Array(ServiceStatus) }) },
      },
    },
    async () => ({ items: await registry.statuses() }),
  );
}
