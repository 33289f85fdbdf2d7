import { describe, expect, it } from 'vitest';
import { clientAddressResolver } from '../src/auth/client-address.ts';
import { loadConfig } from '@lessor/service-kit';
import { ssoConfigSchema } from '../src/config.ts';
import { ssoService } from '../src/sso.service.ts';

describe('the client address sso counts sign-ins by', () => {
  const resolve = clientAddressResolver('loopback, 10.1.0.0/16, fd00::1');

  it('should take the socket address when the client is not a trusted proxy, whatever it forwards', () => {
    expect(resolve('203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(resolve('::ffff:203.0.113.5', undefined)).toBe('203.0.113.5');
  });

  it('should walk X-Forwarded-For from the right only while the hop is a trusted proxy', () => {
    expect(resolve('127.0.0.1', '6.6.6.6, 198.51.100.7')).toBe('198.51.100.7');
    expect(resolve('10.1.2.3', '6.6.6.6, 198.51.100.7, 127.0.0.1')).toBe('198.51.100.7');
    expect(resolve('fd00::1', '2001:db8::7')).toBe('2001:db8::7');
    expect(resolve('::1', undefined)).toBe('::1');
  });

  it('should stop at a forwarded entry that is not an address', () => {
    expect(resolve('127.0.0.1', `${'x'.repeat(500)}`)).toBe('127.0.0.1');
  });

  it('should trust nobody when the list is empty and refuse a malformed entry', () => {
    expect(clientAddressResolver('')('127.0.0.1', '198.51.100.7')).toBe('127.0.0.1');
    expect(() => clientAddressResolver('gateway.local')).toThrow(/SSO_TRUSTED_PROXIES/);
  });

  it('should default to OWASP ASVS’s ceiling of 100 failures per account an hour and a gateway on loopback', () => {
    const config = loadConfig(ssoConfigSchema, { PORT: String(ssoService.port) });
    expect(config.SSO_LOGIN_FAILURES_PER_ACCOUNT).toBe(100);
    expect(config.SSO_LOGIN_ACCOUNT_WINDOW_SECONDS).toBe(3600);
    expect(config.SSO_LOGIN_FREE_FAILURES).toBe(3);
    expect(config.SSO_TRUSTED_PROXIES).toBe('loopback');
  });
});
