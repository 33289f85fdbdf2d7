import { parseRetryAfterMs } from '@lessor/http-client';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, OAuth2TokenSource } from './auth.ts';

const auth = {
  kind: 'oauth2' as const,
  tokenUrl: 'https://login.example.com/oauth2/token',
  clientId: 'lessor',
  clientSecret: 's:cret',
  scope: 'crm',
};

describe('OAuth2TokenSource', () => {
  it('should ask for client credentials with the client id and secret in the form by default', async () => {
    const requests: { url: URL; headers: Record<string, string>; body: string }[] = [];
    const tokens = new OAuth2TokenSource(auth, async (input) => {
      requests.push(input);
      return '{"access_token":"t1","expires_in":3600}';
    });
    expect(await tokens.token()).toBe('t1');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.href).toBe('https://login.example.com/oauth2/token');
    expect(requests[0]!.body).toBe(
      'grant_type=client_credentials&scope=crm&client_id=lessor&client_secret=s%3Acret',
    );
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it('should authenticate the client by basic auth (form-encoded parts) when configured so', async () => {
    const requests: { headers: Record<string, string>; body: string }[] = [];
    const tokens = new OAuth2TokenSource({ ...auth, clientAuth: 'basic' }, async (input) => {
      requests.push(input);
      return '{"access_token":"t1"}';
    });
    await tokens.token();
    expect(requests[0]!.body).toBe('grant_type=client_credentials&scope=crm');
    expect(requests[0]!.headers.authorization).toBe(basicAuthorization('lessor', 's%3Acret'));
  });

  it('should fetch one token for callers that ask at once, and reuse it until shortly before it expires', async () => {
    let now = 0;
    let issued = 0;
    const tokens = new OAuth2TokenSource(
      auth,
      async () => {
        issued += 1;
        return JSON.stringify({ access_token: `t${issued}`, expires_in: 600 });
      },
      () => now,
    );
    expect(await Promise.all([tokens.token(), tokens.token(), tokens.token()])).toEqual(['t1', 't1', 't1']);
    now = 539_000; // 61 s before it expires
    expect(await tokens.token()).toBe('t1');
    now = 541_000; // within the last minute: renewed
    expect(await tokens.token()).toBe('t2');
    expect(issued).toBe(2);
  });

  it('should drop the token a 401 was answered to, not a newer one', async () => {
    let issued = 0;
    const tokens = new OAuth2TokenSource(auth, async () => {
      issued += 1;
      return JSON.stringify({ access_token: `t${issued}`, expires_in: 3600 });
    });
    expect(await tokens.token()).toBe('t1');
    tokens.invalidate('t1');
    expect(await tokens.token()).toBe('t2');
    tokens.invalidate('t1');
    expect(await tokens.token()).toBe('t2');
  });

  it('should let a failed token request fail its callers and the next call try again', async () => {
    let calls = 0;
    const tokens = new OAuth2TokenSource(auth, async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return '{"access_token":"t2"}';
    });
    await expect(tokens.token()).rejects.toThrow('down');
    expect(await tokens.token()).toBe('t2');
  });

  it('should refuse a token URL that is not http(s)', () => {
    expect(() => new OAuth2TokenSource({ ...auth, tokenUrl: 'ftp://x/token' }, async () => '')).toThrow(
      TypeError,
    );
  });
});

describe('Retry-After as the client reads it', () => {
  it('should read delay-seconds and an HTTP date, a past date as now', () => {
    const now = Date.parse('2026-12-08T01:00:00Z');
    expect(parseRetryAfterMs('2', now)).toBe(2000);
    expect(parseRetryAfterMs('Tue, 08 Dec 2026 01:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('Tue, 08 Dec 2026 00:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });
});
