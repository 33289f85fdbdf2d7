import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createServiceTokenProvider,
  ServiceTokenError,
  type ServiceTokenProviderOptions,
} from '../src/index.ts';

const CLIENT_ID = 'billing';
const CLIENT_SECRET = 's3cr3t:with spaces+symbols/&=';

interface TokenRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  body: URLSearchParams;
}

interface TokenServer {
  url: string;
  requests: TokenRequest[];
  /** How the server answers; by default a fresh bearer token valid for an hour. */
  answer: (request: TokenRequest, response: ServerResponse, count: number) => void;
  close(): Promise<void>;
}

const servers: TokenServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A real token endpoint on 127.0.0.1 that records and counts every request. */
async function startTokenServer(): Promise<TokenServer> {
  const readBody = async (request: IncomingMessage) => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    return text;
  };
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const tokenRequest: TokenRequest = {
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        body: new URLSearchParams(text),
      };
      state.requests.push(tokenRequest);
      state.answer(tokenRequest, response, state.requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: TokenServer = {
    url: `http://127.0.0.1:${port}/oauth/token`,
    requests: [],
    answer: (_, response, count) =>
      sendJson(response, 200, { access_token: `token-${count}`, token_type: 'Bearer', expires_in: 3600 }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(state);
  return state;
}

function providerFor(server: TokenServer, options: Partial<ServiceTokenProviderOptions> = {}) {
  return createServiceTokenProvider({
    tokenUrl: server.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: ['parties:parties:read', 'leasing:contracts:read'],
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<ServiceTokenError> {
  const error: unknown = await promise.then(
    () => new Error('a token was returned'),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ServiceTokenError);
  return error as ServiceTokenError;
}

describe('createServiceTokenProvider', () => {
  it('should send the client credentials grant with HTTP Basic authentication when a token is requested', async () => {
    const server = await startTokenServer();

    await expect(providerFor(server).getToken()).resolves.toBe('token-1');

    const [request] = server.requests;
    expect(request?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(request?.body ?? [])).toEqual({
      grant_type: 'client_credentials',
      scope: 'parties:parties:read leasing:contracts:read',
    });
    const credentials = Buffer.from(
      request?.authorization?.replace(/^Basic /, '') ?? '',
      'base64',
    ).toString();
    const [id, secret] = credentials.split(':');
    // RFC 6749 §2.3.1: each part form-urlencoded, so a ':' in the secret cannot split it.
    expect(credentials.split(':')).toHaveLength(2);
    expect([id, secret].map((part) => new URLSearchParams(`v=${part}`).get('v'))).toEqual([
      CLIENT_ID,
      CLIENT_SECRET,
    ]);
  });

  it('should leave out the scope when no scopes are configured', async () => {
    const server = await startTokenServer();

    await providerFor(server, { scopes: [] }).getToken();

    expect(server.requests[0]?.body.has('scope')).toBe(false);
  });

  it('should answer from the cache when the token is requested again before it expires', async () => {
    const server = await startTokenServer();
    const provider = providerFor(server);

    const tokens = [await provider.getToken(), await provider.getToken(), await provider.getToken()];

    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
    expect(server.requests).toHaveLength(1);
  });

  it('should fetch a new token when the cached one has reached its refresh time', async () => {
    const server = await startTokenServer();
    server.answer = (_, response, count) =>
      sendJson(response, 200, { access_token: `token-${count}`, token_type: 'Bearer', expires_in: 1 });
    const provider = providerFor(server, { refreshBeforeExpirySeconds: 0 });

    expect(await provider.getToken()).toBe('token-1');
    expect(await provider.getToken()).toBe('token-1');
    await sleep(1_100);

    expect(await provider.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('should fetch a new token the margin before expiry when the token lives longer than twice the margin', async () => {
    const server = await startTokenServer();
    server.answer = (_, response, count) =>
      sendJson(response, 200, { access_token: `token-${count}`, token_type: 'bearer', expires_in: 3 });
    const provider = providerFor(server, { refreshBeforeExpirySeconds: 1 });

    await provider.getToken();
    await sleep(1_200);
    expect(await provider.getToken()).toBe('token-1');
    await sleep(1_000); // now past expiry minus the one-second margin

    expect(await provider.getToken()).toBe('token-2');
  });

  it('should send one request when 20 callers ask for a token at the same time', async () => {
    const server = await startTokenServer();
    server.answer = (_, response, count) =>
      setTimeout(
        () =>
          sendJson(response, 200, { access_token: `token-${count}`, token_type: 'Bearer', expires_in: 3600 }),
        50,
      );
    const provider = providerFor(server);

    const tokens = await Promise.all(Array.from({ length: 20 }, () => provider.getToken()));

    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(server.requests).toHaveLength(1);
  });

  it('should fetch a new token when the cached one was invalidated', async () => {
    const server = await startTokenServer();
    const provider = providerFor(server);
    await provider.getToken();

    provider.invalidate();

    expect(await provider.getToken()).toBe('token-2');
    expect(server.requests).toHaveLength(2);
  });

  it('should reject with the OAuth error when the token endpoint refuses the client', async () => {
    const server = await startTokenServer();
    server.answer = (_, response) =>
      sendJson(response, 401, {
        error: 'invalid_client',
        error_description: 'unknown client or wrong secret',
      });

    const error = await failure(providerFor(server).getToken());

    expect(error).toMatchObject({ status: 401, error: 'invalid_client' });
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('unknown client or wrong secret');
    expect(error.message).toContain(CLIENT_ID);
  });

  it('should keep the secret out of the message when the token endpoint echoes it back', async () => {
    const server = await startTokenServer();
    server.answer = (request, response) =>
      sendJson(response, 400, {
        error: 'invalid_request',
        error_description: `bad credentials ${CLIENT_SECRET} ${request.authorization ?? ''}`,
      });

    const error = await failure(providerFor(server).getToken());

    const basic = server.requests[0]?.authorization?.replace(/^Basic /, '') ?? '';
    expect(error.message).toContain('[redacted]');
    for (const leak of [CLIENT_SECRET, basic, 's3cr3t']) expect(error.message).not.toContain(leak);
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });

  it('should reject with a timeout error when the token endpoint does not answer in time', async () => {
    const server = await startTokenServer();
    server.answer = () => undefined; // never answers

    const error = await failure(providerFor(server, { timeoutMs: 100 }).getToken());

    expect(error.message).toContain('no answer within 100 ms');
    expect(error.message).not.toContain('s3cr3t');
  });

  it('should reject when nothing listens at the token endpoint', async () => {
    const server = await startTokenServer();
    await server.close();

    const error = await failure(providerFor(server).getToken());

    expect(error.message).toContain('could not be reached');
  });

  it.each([
    ['a token type other than Bearer', { access_token: 'x', token_type: 'mac', expires_in: 60 }],
    ['no access token', { token_type: 'Bearer', expires_in: 60 }],
    ['no expiry', { access_token: 'x', token_type: 'Bearer' }],
    ['a zero expiry', { access_token: 'x', token_type: 'Bearer', expires_in: 0 }],
  ])('should reject when the answer has %s', async (_, body) => {
    const server = await startTokenServer();
    server.answer = (__, response) => sendJson(response, 200, body);

    await failure(providerFor(server).getToken());
  });

  it('should try again on the next call when a request failed', async () => {
    const server = await startTokenServer();
    server.answer = (_, response, count) =>
      count === 1
        ? sendJson(response, 503, { error: 'temporarily_unavailable' })
        : sendJson(response, 200, { access_token: `token-${count}`, token_type: 'Bearer', expires_in: 3600 });
    const provider = providerFor(server);

    await failure(provider.getToken());

    expect(await provider.getToken()).toBe('token-2');
  });
});
