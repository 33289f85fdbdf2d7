import formbody from '@fastify/formbody';
import type { FastifyReply } from 'fastify';
import { kitErrors, principalOf, type ServiceApp } from '@lessor/service-kit';
import type { SigningKeys } from '../keys/signing-keys.ts';
import type { UserService } from '../users/user.service.ts';
import { TokenRequest, TokenResponse } from '../clients/client.schemas.ts';
import { Jwks, LoginRequest, Me, RefreshRequest, SigningKeyInfo, TokenPair } from './auth.schemas.ts';
import type { ClientAddress } from './client-address.ts';
import type { LoginService } from './login.service.ts';
import { Type } from '@lessor/service-kit';
import { ssoErrors } from '../sso.errors.ts';

const tags = ['sign-in'];

/** Sign-in, token refresh, sign-out, `/v1/me`, the OAuth token endpoint for service clients, and the JWKS. */
export async function registerAuthRoutes(
  app: ServiceApp,
  deps: { login: LoginService; users: UserService; keys: SigningKeys; clientAddress: ClientAddress },
): Promise<void> {
  await app.register(formbody, { bodyLimit: 8192 });

  app.post(
    '/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in with username and password',
        description:
          'Throttled per account and client address (ADR 14): after 3 failures from an address it waits, ' +
          'doubling with each further failure (up to 15 minutes); once an account has 100 failures in an hour, ' +
          'every address that failed at it waits, while an address that never failed may still sign in. A ' +
          'held-back try answers 429 `LOGIN_RATE_LIMITED` with Retry-After, without checking the password.',
        body: LoginRequest,
        response: { 200: TokenPair },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const forwarded = request.headers['x-forwarded-for'];
      const address = deps.clientAddress(
        request.socket.remoteAddress,
        Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      );
      return deps.login.login(request.body.username, request.body.password, address);
    },
  );

  app.post(
    '/v1/auth/refresh',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Trade a refresh token for a new pair (single use)',
        body: RefreshRequest,
        response: { 200: TokenPair },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return deps.login.refresh(request.body.refreshToken);
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'End the session of a refresh token',
        body: RefreshRequest,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deps.login.logout(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/me',
    {
      config: { permission: 'sso:me:read' },
      schema: { tags: ['me'], summary: 'Who the token belongs to', response: { 200: Me } },
    },
    async (request) => {
      const principal = principalOf(request);
      const tokenExpiresAt = principal.expiresAt.toISOString();
      if (principal.kind === 'client') {
        return {
          id: principal.id,
          kind: 'client' as const,
          username: null,
          fullName: principal.name,
          email: null,
          roles: [],
          permissions: principal.permissions,
          tokenExpiresAt,
        };
      }
      const user = await deps.users.get(principal.id).catch(() => undefined);
      // A disabled or deleted user's access token may live on for minutes; sso itself stops honouring it.
      if (!user || !user.active) throw kitErrors.create.UNAUTHENTICATED('The account is disabled');
      return {
        id: user.id,
        kind: 'user' as const,
        username: user.username,
        fullName: user.fullName,
        email: user.email,
        roles: user.roles.map((role) => role.name),
        permissions: principal.permissions,
        tokenExpiresAt,
      };
    },
  );

  app.post(
    '/v1/oauth/token',
    {
      config: { public: true },
      schema: {
        tags: ['service clients'],
        summary: 'OAuth 2.0 client credentials grant (RFC 6749 §4.4); errors as RFC 6749 §5.2',
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenRequest,
        response: { 200: TokenResponse },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const body = request.body;
      if (body.grant_type !== 'client_credentials') {
        return oauthError(
          reply,
          body.grant_type ? 'unsupported_grant_type' : 'invalid_request',
          'grant_type must be client_credentials',
        );
      }
      const basic = parseBasic(request.headers.authorization);
      const clientId = basic?.clientId ?? body.client_id;
      const clientSecret = basic?.clientSecret ?? body.client_secret;
      if (!clientId || !clientSecret)
        return oauthError(reply, 'invalid_client', 'Client authentication is required');
      const scopes = body.scope?.split(' ').filter((scope) => scope !== '');
      const result = await deps.login.clientToken(clientId, clientSecret, scopes);
      if ('error' in result) {
        return result.error === 'invalid_client'
          ? oauthError(reply, 'invalid_client', 'Unknown client, wrong secret or inactive client')
          : oauthError(reply, 'invalid_scope', `Not granted to this client: ${result.scopes.join(' ')}`);
      }
      return {
        access_token: result.accessToken,
        token_type: 'Bearer' as const,
        expires_in: result.expiresIn,
        scope: result.scopes.join(' '),
      };
    },
  );

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        tags: ['keys'],
        summary: 'Public keys that verify access tokens (RFC 7517)',
        response: { 200: Jwks },
      },
    },
    async (_request, reply) => {
      // Short cache: verifiers refetch on an unknown kid anyway, and a rotation should spread quickly.
      void reply.header('cache-control', 'public, max-age=60');
      return deps.keys.jwks();
    },
  );

  app.post(
    '/v1/keys/rotate',
    {
      config: { permission: 'sso:keys:write' },
      schema: {
        tags: ['keys'],
        summary: 'Publish a new signing key; it signs from activatesAt',
        response: { 200: SigningKeyInfo },
      },
    },
    async () => {
      const { kid, activatesAt } = await deps.keys.rotate();
      return { kid, alg: 'EdDSA', activatesAt: activatesAt.toISOString() };
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { permission: 'sso:keys:read' },
      schema: { tags: ['keys'], summary: 'The published signing keys', response: { 200: Jwks } },
    },
    async () => deps.keys.jwks(),
  );
}

/** RFC 6749 §2.3.1: `Basic base64(urlencode(id) ":" urlencode(secret))`. */
function parseBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}

const OAUTH_ERRORS = {
  invalid_request: 'OAUTH_INVALID_REQUEST',
  unsupported_grant_type: 'OAUTH_UNSUPPORTED_GRANT_TYPE',
  invalid_scope: 'OAUTH_INVALID_SCOPE',
  invalid_client: 'OAUTH_INVALID_CLIENT',
} as const;

/** RFC 6749 §5.2 error body, with the problem+json members beside it so both kinds of client understand it. */
function oauthError(reply: FastifyReply, error: keyof typeof OAUTH_ERRORS, description: string) {
  const problem = ssoErrors.create[OAUTH_ERRORS[error]](description);
  if (problem.status === 401) void reply.header('www-authenticate', 'Basic realm="lessor"');
  return reply
    .code(problem.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error, error_description: description, ...problem.toBody() }));
}
