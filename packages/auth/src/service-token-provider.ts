/** Options of {@link createServiceTokenProvider}. */
export interface ServiceTokenProviderOptions {
  /** sso's token endpoint. */
  tokenUrl: string | URL;
  clientId: string;
  clientSecret: string;
  /** Permissions to ask for; sso grants at most what the client is registered for. */
  scopes?: string[];
  /** Fetch a new token this long before the current one expires; default 30. */
  refreshBeforeExpirySeconds?: number;
  /** Timeout of one token request; default 2000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Hands out a cached service-client access token. */
export interface ServiceTokenProvider {
  /** A valid access token, from the cache or from one shared request to the token endpoint. */
  getToken(): Promise<string>;
  /** Drops the cached token; call it when a service answered 401 to the token, then get a new one. */
  invalidate(): void;
}

/** The token endpoint could not be reached, refused the client, or answered something unusable. */
export class ServiceTokenError extends Error {
  override readonly name = 'ServiceTokenError';
  /** HTTP status of the token endpoint's answer, if there was one. */
  readonly status: number | undefined;
  /** The OAuth error code (RFC 6749 §5.2), e.g. `invalid_client`, if the endpoint sent one. */
  readonly error: string | undefined;

  constructor(message: string, details: { status?: number; error?: string; cause?: unknown } = {}) {
    super(message, { cause: details.cause });
    this.status = details.status;
    this.error = details.error;
  }
}

interface CachedToken {
  accessToken: string;
  refreshAt: number;
}

/**
 * Gets access tokens for service-to-service calls with the OAuth 2.0 client credentials grant
 * (RFC 6749 §4.4), authenticating with HTTP Basic (§2.3.1). Tokens are cached until shortly before they
 * expire, and concurrent callers share one request, so a burst of calls costs sso one token.
 */
export function createServiceTokenProvider(options: ServiceTokenProviderOptions): ServiceTokenProvider {
  if (options.clientId === '' || options.clientSecret === '')
    throw new TypeError('clientId and clientSecret are required');
  const tokenUrl = new URL(options.tokenUrl);
  const refreshBeforeMs = (options.refreshBeforeExpirySeconds ?? 30) * 1000;
  const timeoutMs = options.timeoutMs ?? 2000;
  const fetchToken = options.fetch ?? fetch;
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
  const basic = Buffer.from(`${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`).toString(
    'base64',
  );
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scopes !== undefined && options.scopes.length > 0) body.set('scope', options.scopes.join(' '));

  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  // An endpoint may echo what it was sent; the secret must never reach a log through an error message.
  const fail = (message: string, details?: ConstructorParameters<typeof ServiceTokenError>[1]) => {
    let text = `service token for client ${JSON.stringify(options.clientId)} from ${tokenUrl.origin}${tokenUrl.pathname}: ${message}`;
    for (const secret of [options.clientSecret, formEncode(options.clientSecret), basic]) {
      text = text.replaceAll(secret, '[redacted]');
    }
    return new ServiceTokenError(text, details);
  };

  async function requestToken(): Promise<string> {
    const requestedAt = Date.now();
    let response: Response;
    let answer: unknown;
    try {
      response = await fetchToken(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      answer = await response.json().catch(() => undefined);
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw fail(timedOut ? `no answer within ${timeoutMs} ms` : 'the token endpoint could not be reached', {
        cause: error,
      });
    }
    const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
    if (!response.ok) {
      const error = typeof fields.error === 'string' ? fields.error : undefined;
      const description =
        typeof fields.error_description === 'string' ? `: ${fields.error_description.slice(0, 200)}` : '';
      throw fail(`HTTP ${response.status}${error === undefined ? '' : ` ${error}`}${description}`, {
        status: response.status,
        ...(error === undefined ? {} : { error }),
      });
    }
    const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = fields;
    if (
      typeof accessToken !== 'string' ||
      accessToken === '' ||
      typeof tokenType !== 'string' ||
      tokenType.toLowerCase() !== 'bearer' || // RFC 6749 §5.1: token_type is case-insensitive
      typeof expiresIn !== 'number' ||
      !(expiresIn > 0)
    ) {
      throw fail('the answer is not a bearer token with access_token and a positive expires_in', {
        status: response.status,
      });
    }
    const lifetimeMs = expiresIn * 1000;
    // Counted from the request, not the answer, so the cache never outlives the token. A token shorter than
    // the margin is still kept for half its life, or every call would fetch a new one.
    cached = { accessToken, refreshAt: requestedAt + lifetimeMs - Math.min(refreshBeforeMs, lifetimeMs / 2) };
    return accessToken;
  }

  return {
    getToken() {
      if (cached !== undefined && Date.now() < cached.refreshAt) return Promise.resolve(cached.accessToken);
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}
