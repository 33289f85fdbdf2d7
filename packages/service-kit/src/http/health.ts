import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { kitErrors } from '../errors/kit.errors.ts';

/** A readiness check: resolves when the dependency it names can be used, throws when not. */
export type ReadinessCheck = () => Promise<void>;

const HealthReply = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/**
 * `/health/live` answers while the process can serve at all (a failing liveness probe restarts the pod);
 * `/health/ready` also runs every readiness check (a failing one takes the pod out of the load balancer,
 * and so does a shutdown in progress, so new requests go elsewhere while in-flight ones finish).
 */
export function registerHealth(
  app: FastifyInstance,
  checks: Record<string, ReadinessCheck>,
  isClosing: () => boolean,
): void {
  app.get(
    '/health/live',
    { config: { public: true }, schema: { tags: ['health'], response: { 200: HealthReply } } },
    async () => ({ status: 'up' as const }),
  );
  app.get(
    '/health/ready',
    { config: { public: true }, schema: { tags: ['health'], response: { 200: HealthReply } } },
    async () => {
      if (isClosing()) throw kitErrors.create.SERVICE_UNAVAILABLE('The service is shutting down');
      const results: Record<string, string> = {};
      let healthy = true;
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), 2000);
            results[name] = 'up';
          } catch {
            results[name] = 'down';
            healthy = false;
          }
        }),
      );
      if (!healthy) {
        throw kitErrors.create.SERVICE_UNAVAILABLE('A dependency is not ready', {
          extensions: { checks: results },
        });
      }
      return { status: 'up' as const, checks: results };
    },
  );
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
