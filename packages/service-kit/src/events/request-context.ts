import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** What the request in progress knows about itself, for code far from the route (the outbox). */
export interface RequestContext {
  requestId: string;
  traceparent?: string;
  actor?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the request this code runs for, if any (a job or a consumer has none). */
export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/**
 * Opens a context per request, so an event written deep in a service's use case carries the request's
 * actor and trace without every function passing them along. `run(…, done)` makes the rest of the
 * request's lifecycle, handler included, execute inside it.
 */
export function installRequestContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    storage.run({ requestId: request.id, traceparent: request.trace?.traceparent }, done);
  });
  app.addHook('preValidation', async (request) => {
    const context = storage.getStore();
    const principal = request.principal;
    if (context && principal)
      context.actor = principal.kind === 'client' ? `client:${principal.id}` : principal.id;
  });
}
