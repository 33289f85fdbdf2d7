import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { hasPermission, TokenRejectedError, type Principal } from '@lessor/auth';
import { kitErrors } from '../errors/kit.errors.ts';

/** Anything that turns a bearer token into a Principal or throws (see `createTokenVerifier`). */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Loads the signing keys ahead of the first token, when the verifier fetches them (see `createTokenVerifier`). */
  loadKeys?(): Promise<void>;
}

/**
 * The cookie the admin UI sets so a browser can open `/docs`. It is read for the docs pages only: API
 * routes take the Authorization header alone, so no cross-site request can borrow a session.
 */
export const DOCS_TOKEN_COOKIE = 'lessor_access_token';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs, `<service>:<resource>:<action>`. Every route names one … */
    permission?: string;
    /** … or says it is public (health, metrics, JWKS, login). A route with neither fails at start. */
    public?: boolean;
    /** Honour `Idempotency-Key` on this route (POSTs that create money-relevant objects). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; set on every non-public route before validation runs. */
    principal: Principal | null;
  }
}

/** The principal of a guarded route's request (never null there). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw kitErrors.create.UNAUTHENTICATED();
  return request.principal;
}

/** The id recorded in createdBy/updatedBy: a user's id, or `client:<id>` for a service client. */
export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal.kind === 'client' ? `client:${principal.id}` : principal.id;
}

function bearerToken(request: FastifyRequest, allowCookie: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match) throw kitErrors.create.UNAUTHENTICATED('The Authorization header must be "Bearer <token>"');
    return match[1];
  }
  if (!allowCookie) return undefined;
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === DOCS_TOKEN_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Guards every route: a route must declare `config.permission` or `config.public`, checked when the
 * route is registered, so forgetting the guard fails at start instead of opening an endpoint.
 * Runs `onRequest`, before the body is parsed: a caller without a token learns nothing about the schema.
 */
export function installSecurity(
  app: FastifyInstance,
  options: { service: string; verifier: TokenVerifier },
): void {
  const docsPermission = `${options.service}:docs:read`;
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { permission?: string; public?: boolean };
    const isDocs =
      route.url === '/docs' ||
      route.url.startsWith('/docs/') ||
      route.url === '/openapi.json' ||
      route.url === '/asyncapi.json';
    if (isDocs && !config.public) {
      route.config = { ...config, permission: docsPermission, docs: true } as typeof route.config;
      return;
    }
    if (!config.public && !config.permission && route.method !== 'HEAD') {
      throw new Error(
        `Route ${String(route.method)} ${route.url} names neither config.permission nor config.public`,
      );
    }
    if (config.permission) {
      route.schema = {
        ...route.schema,
        security: [{ bearer: [] }],
        description: `${route.schema?.description ?? ''}\n\nPermission: \`${config.permission}\``.trim(),
      };
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config as { permission?: string; public?: boolean; docs?: boolean };
    if (config.public || !config.permission) return;
    const token = bearerToken(request, config.docs === true);
    if (!token)
      throw kitErrors.create.UNAUTHENTICATED('A bearer token is required', { headers: challenge() });
    let principal: Principal;
    try {
      principal = await options.verifier.verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        if (error.reason === 'jwks-unavailable') {
          throw kitErrors.create.SERVICE_UNAVAILABLE('Signing keys cannot be fetched from sso', {
            cause: error,
          });
        }
        throw kitErrors.create.UNAUTHENTICATED(`The token was rejected (${error.reason})`, {
          headers: challenge('invalid_token'),
        });
      }
      throw error;
    }
    request.principal = principal;
    // Added to the request's own logger (a child made for this request, the reply's too), so every later line of
    // the request names the actor: cheaper than a second child logger per request (issue 13).
    const actor = principal.kind === 'client' ? `client:${principal.id}` : principal.id;
    if (reply.log === request.log) (request.log as Logger).setBindings({ actor });
    else request.log = reply.log = request.log.child({ actor });
    if (!hasPermission(principal.permissions, config.permission)) {
      throw kitErrors.create.FORBIDDEN(`This needs the permission ${config.permission}`, {
        extensions: { permission: config.permission },
      });
    }
  });
}

/** RFC 6750 §3: a 401 names the scheme and, for a bad token, the error. */
function challenge(error?: string): Record<string, string> {
  return { 'www-authenticate': error ? `Bearer realm="lessor", error="${error}"` : 'Bearer realm="lessor"' };
}
