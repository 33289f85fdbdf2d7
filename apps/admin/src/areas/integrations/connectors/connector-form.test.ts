import { describe, expect, it } from 'vitest';
import { connectorFixture } from '../integration.fixtures.ts';
import { connectorBody, connectorChange, connectorFormValues, isCron } from './connector-form.ts';

describe('connector-form', () => {
  it('should change a saved connector without its kind, and its mapping only for another preset', () => {
    const connector = connectorFixture();
    const values = { ...connectorFormValues(connector), name: 'Dynamics EMEA' };
    const change = connectorChange(connector, connectorBody(values));
    expect(change).toEqual({
      name: 'Dynamics EMEA',
      protocol: 'odata-v4',
      baseUrl: 'https://crm.example.com/api/data/v9.2/',
      auth: { kind: 'oauth2', tokenUrl: 'https://login.example.com/oauth2/token', clientId: 'lessor' },
      schedule: '*/15 * * * *',
      enabled: true,
    });
    const other = connectorChange(connector, connectorBody({ ...values, preset: 'sap-business-partner' }));
    expect(other.mapping).toEqual({ preset: 'sap-business-partner' });
  });

  it('should start with an empty secret whatever is stored, and send none when it stays empty', () => {
    const values = connectorFormValues(connectorFixture({ credentialsSet: true }));
    expect(values.secret).toBe('');
    expect(connectorBody(values).auth).not.toHaveProperty('clientSecret');
    expect(connectorBody({ ...values, secret: 's3cret' }).auth).toMatchObject({ clientSecret: 's3cret' });
    expect(connectorBody({ ...values, authKind: 'none', secret: 's3cret' }).auth).toEqual({ kind: 'none' });
  });

  it('should take a cron expression of five or six fields', () => {
    expect(isCron('*/15 * * * *')).toBe(true);
    expect(isCron('0 */15 * * * *')).toBe(true);
    expect(isCron('every hour')).toBe(false);
    expect(isCron('* * * *')).toBe(false);
  });
});
