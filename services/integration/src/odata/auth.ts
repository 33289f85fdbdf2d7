import { timingSafeEqual } from 'node:crypto';
import { readToken } from './bodies.ts';
import type { ODataAuth } from './types.ts';
import { checkedTokenUrl } from './urls.ts';

/** What the token source needs to make its request (the client's transport, deadline, metric and errors). */
export type TokenRequest = (input: {
  url: URL;
  headers: Record<string, string>;
  body: string;
}) => Promise<string>;

/** The Authorization header of basic auth. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

// A token is renewed this long before it expires (at most a fifth of its life), so no call leaves with a token
// that dies on the way.
const RENEW_BEFORE_MS = 60_000;

/**
 * OAuth2 client credentials (RFC 6749 §4.4): one token per client, cached until shortly before it expires;
 * callers that need one while it is fetched wait for the same request (single flight); a 401 from the service
 * drops it (`invalidate`) so the next call fetches another. The client authenticates in the form's body
 * (`client_secret_post`, what every issuer takes) or, when configured, with HTTP basic (§2.3.1).
 */
export class OAuth2TokenSource {
  private current: { token: string; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly tokenUrl: URL;

  constructor(
    private readonly auth: Extract<ODataAuth, { kind: 'oauth2' }>,
    private readonly requestToken: TokenRequest,
    private readonly now: () => number = Date.now,
  ) {
    this.tokenUrl = checkedTokenUrl(auth.tokenUrl);
  }

  async token(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.fetch().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Drops the token a 401 was answered to (not a newer one another call already fetched). */
  invalidate(token: string): void {
    if (this.current !== null && sameSecret(this.current.token, token)) this.current = null;
  }

  private async fetch(): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.auth.scope !== undefined && this.auth.scope !== '') form.set('scope', this.auth.scope);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (this.auth.clientAuth === 'basic') {
      headers.authorization = basicAuthorization(
        encodeURIComponent(this.auth.clientId),
        encodeURIComponent(this.auth.clientSecret),
      );
    } else {
      form.set('client_id', this.auth.clientId);
      form.set('client_secret', this.auth.clientSecret);
    }
    const requestedAt = this.now();
    const text = await this.requestToken({ url: this.tokenUrl, headers, body: form.toString() });
    const answer = readToken(text);
    const lifeMs =
      answer.expiresInSeconds === null ? Number.POSITIVE_INFINITY : answer.expiresInSeconds * 1000;
    const renewAt = requestedAt + lifeMs - Math.min(RENEW_BEFORE_MS, lifeMs / 5);
    this.current = { token: answer.accessToken, renewAt };
    return answer.accessToken;
  }
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
