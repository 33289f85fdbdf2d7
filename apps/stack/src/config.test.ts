import { describe, expect, it } from 'vitest';
import { loadStackConfig, servicePort } from './config.ts';

describe('the port of each service', () => {
  it('should use the default ports, the gateway on PORT or 8080', () => {
    expect(servicePort('gateway', 8080, loadStackConfig({}))).toBe(8080);
    expect(servicePort('gateway', 8080, loadStackConfig({ PORT: '9000' }))).toBe(9000);
    expect(servicePort('parties', 8103, loadStackConfig({ PORT: '9000' }))).toBe(8103);
  });

  it('should let the OS choose every port with LESSOR_FREE_PORTS=1, except a PORT given for the gateway', () => {
    const free = loadStackConfig({ LESSOR_FREE_PORTS: '1' });
    expect(servicePort('gateway', 8080, free)).toBe(0);
    expect(servicePort('parties', 8103, free)).toBe(0);
    const withPort = loadStackConfig({ LESSOR_FREE_PORTS: '1', PORT: '9000' });
    expect(servicePort('gateway', 8080, withPort)).toBe(9000);
    expect(servicePort('parties', 8103, withPort)).toBe(0);
  });
});
