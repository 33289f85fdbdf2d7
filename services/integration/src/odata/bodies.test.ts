import { describe, expect, it } from 'vitest';
import { normaliseV2Record, readCollection, readEntity, readErrorBody, readToken } from './bodies.ts';
import { errorOfAnswer } from './client.ts';
import {
  ODataAuthError,
  ODataConflictError,
  ODataNotFoundError,
  ODataProtocolError,
  ODataRefusedError,
  ODataThrottledError,
  ODataUnavailableError,
} from './errors.ts';

describe('reading bodies from outside', () => {
  it('should read a v4 page with its count and next link', () => {
    const page = readCollection(
      JSON.stringify({
        '@odata.context': '$metadata#accounts',
        '@odata.count': 2500,
        value: [{ accountid: 'a', '@odata.etag': 'W/"1"' }],
        '@odata.nextLink': 'accounts?$skiptoken=1000',
      }),
      'v4',
      'page',
    );
    expect(page).toEqual({
      records: [{ accountid: 'a', '@odata.etag': 'W/"1"' }],
      count: 2500,
      nextLink: 'accounts?$skiptoken=1000',
    });
  });

  it('should read a v2 page: __count as a string, __next, records without __metadata', () => {
    const page = readCollection(
      JSON.stringify({
        d: {
          __count: '2500',
          results: [
            {
              __metadata: { uri: 'x', type: 'A_BusinessPartnerType', etag: 'W/"x"' },
              BusinessPartner: '1',
              to_BusinessPartnerTax: { __deferred: { uri: 'y' } },
              to_BusinessPartnerAddress: { results: [{ __metadata: { uri: 'z' }, AddressID: '7' }] },
            },
          ],
          __next: "https://sap.example.com/odata/A_BusinessPartner?$skiptoken='1'",
        },
      }),
      'v2',
      'page',
    );
    expect(page).toEqual({
      records: [{ BusinessPartner: '1', to_BusinessPartnerAddress: [{ AddressID: '7' }] }],
      count: 2500,
      nextLink: "https://sap.example.com/odata/A_BusinessPartner?$skiptoken='1'",
    });
  });

  it('should read an OData 1.0 answer (d is the array) as a last page without count', () => {
    expect(readCollection('{"d":[{"a":1}]}', 'v2', 'page')).toEqual({
      records: [{ a: 1 }],
      count: null,
      nextLink: null,
    });
  });

  it.each([
    ['not JSON', '<html>proxy error</html>', 'v4'],
    ['no value array', '{"values":[]}', 'v4'],
    ['a record that is not an object', '{"value":[1]}', 'v4'],
    ['a count that is not a number', '{"value":[],"@odata.count":"many"}', 'v4'],
    ['a v2 count that is a number', '{"d":{"results":[],"__count":12}}', 'v2'],
    ['a next link that is not a string', '{"d":{"results":[],"__next":{"uri":"x"}}}', 'v2'],
  ] as const)('should refuse a page with %s', (_, text, version) => {
    expect(() => readCollection(text, version, 'page')).toThrow(ODataProtocolError);
  });

  it('should take the ETag of an entity from the header first, else from the body', () => {
    expect(readEntity('{"a":1,"@odata.etag":"W/\\"1\\""}', 'v4', 'get', null).etag).toBe('W/"1"');
    expect(readEntity('{"a":1,"@odata.etag":"W/\\"1\\""}', 'v4', 'get', 'W/"2"').etag).toBe('W/"2"');
    expect(readEntity('{"d":{"__metadata":{"etag":"W/\\"3\\""},"a":1}}', 'v2', 'get', null)).toEqual({
      record: { a: 1 },
      etag: 'W/"3"',
    });
  });

  it("should read the server's message from a v4, a v2 and an XML error body", () => {
    expect(readErrorBody('{"error":{"code":"412","message":"ETag mismatch"}}')).toEqual({
      message: 'ETag mismatch',
      code: '412',
    });
    expect(readErrorBody('{"error":{"code":"SY/530","message":{"lang":"en","value":"Not found"}}}')).toEqual({
      message: 'Not found',
      code: 'SY/530',
    });
    expect(
      readErrorBody(
        '<?xml version="1.0"?><error xmlns="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">' +
          '<code>/IWBEP/CM_MGW_RT/022</code><message xml:lang="en">CSRF token validation failed &amp; more</message></error>',
      ),
    ).toEqual({ message: 'CSRF token validation failed & more', code: '/IWBEP/CM_MGW_RT/022' });
    expect(readErrorBody('Too Many Requests')).toEqual({ message: null, code: null });
  });

  it('should read a token answer and refuse one without an access token', () => {
    expect(readToken('{"access_token":"t","token_type":"Bearer","expires_in":3600}')).toEqual({
      accessToken: 't',
      expiresInSeconds: 3600,
    });
    expect(() => readToken('{"token":"t"}')).toThrow(ODataProtocolError);
  });

  it('should keep a nested v2 entity (to-one) without its __metadata', () => {
    expect(normaliseV2Record({ to_Parent: { __metadata: { uri: 'u' }, Id: '1' } })).toEqual({
      to_Parent: { Id: '1' },
    });
  });
});

describe('errorOfAnswer', () => {
  const answer = (status: number, text = '') => ({ status, headers: {}, text });

  it('should make a 412 and a 409 a conflict, not retryable, with the server message', () => {
    const error = errorOfAnswer('update', answer(412, '{"error":{"code":"412","message":"stale"}}'), null);
    expect(error).toBeInstanceOf(ODataConflictError);
    expect(error).toMatchObject({
      status: 412,
      code: 'ODATA_CONFLICT',
      retryable: false,
      serverMessage: 'stale',
    });
    expect(errorOfAnswer('create', answer(409), null)).toBeInstanceOf(ODataConflictError);
  });

  it('should make a 429 throttled and a 5xx unavailable, both retryable, with the Retry-After', () => {
    const throttled = errorOfAnswer('page', answer(429), 2000);
    expect(throttled).toBeInstanceOf(ODataThrottledError);
    expect(throttled).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(errorOfAnswer('page', answer(503), null)).toBeInstanceOf(ODataUnavailableError);
    expect(errorOfAnswer('page', answer(500), null).retryable).toBe(true);
  });

  it('should make 401/403 auth, 404 not found, other 4xx refused and 3xx a protocol error — none retryable', () => {
    expect(errorOfAnswer('get', answer(401), null)).toBeInstanceOf(ODataAuthError);
    expect(errorOfAnswer('get', answer(403), null)).toBeInstanceOf(ODataAuthError);
    expect(errorOfAnswer('get', answer(404), null)).toBeInstanceOf(ODataNotFoundError);
    expect(errorOfAnswer('create', answer(400), null)).toBeInstanceOf(ODataRefusedError);
    const redirect = errorOfAnswer('get', answer(302), null);
    expect(redirect).toBeInstanceOf(ODataProtocolError);
    expect(redirect.retryable).toBe(false);
  });
});
