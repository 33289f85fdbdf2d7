import { describe, expect, it } from 'vitest';
import { ODataProtocolError } from './errors.ts';
import { odataGuid } from './literals.ts';
import { checkedServiceRoot, ODataUrls, queryString } from './urls.ts';

const urls = new ODataUrls('https://crm.example.com/api/data/v9.2');

describe('ODataUrls', () => {
  it('should end the service root in a slash and refuse roots with credentials, a query or another scheme', () => {
    expect(urls.root.href).toBe('https://crm.example.com/api/data/v9.2/');
    expect(() => checkedServiceRoot('https://user:pw@crm.example.com/')).toThrow(TypeError);
    expect(() => checkedServiceRoot('https://crm.example.com/odata?x=1')).toThrow(TypeError);
    expect(() => checkedServiceRoot('file:///etc/passwd')).toThrow(TypeError);
    expect(() => checkedServiceRoot('not a url')).toThrow(TypeError);
  });

  it('should build a collection URL with every query option encoded', () => {
    const url = urls.collection(
      'accounts',
      {
        select: ['accountid', 'name'],
        filter: "modifiedon gt 2024-05-01T00:00:00Z and name eq 'A&B'",
        orderby: 'modifiedon asc,accountid asc',
        top: 500,
        count: true,
        expand: ['contact_customer_accounts'],
      },
      'v4',
    );
    expect(url.href).toBe(
      'https://crm.example.com/api/data/v9.2/accounts?$select=accountid%2Cname&$expand=contact_customer_accounts' +
        '&$filter=modifiedon%20gt%202024-05-01T00%3A00%3A00Z%20and%20name%20eq%20%27A%26B%27' +
        '&$orderby=modifiedon%20asc%2Caccountid%20asc&$top=500&$count=true',
    );
  });

  it('should ask a v2 server for the count with $inlinecount=allpages', () => {
    expect(queryString({ count: true }, 'v2')).toBe('?$inlinecount=allpages');
    expect(queryString({}, 'v2')).toBe('');
  });

  it('should refuse $top that is not a non-negative integer', () => {
    expect(() => queryString({ top: -1 }, 'v4')).toThrow(TypeError);
    expect(() => queryString({ top: 1.5 }, 'v4')).toThrow(TypeError);
  });

  it('should encode a key in the entity path so it cannot leave its parentheses', () => {
    expect(urls.entity('A_BusinessPartner', "1/../x'?", 'v2').href).toBe(
      "https://crm.example.com/api/data/v9.2/A_BusinessPartner('1%2F..%2Fx''%3F')",
    );
    expect(urls.entity('accounts', odataGuid('5d3e0c1a-0b5e-4b7a-9f1e-2a3b4c5d6e7f'), 'v4').pathname).toBe(
      '/api/data/v9.2/accounts(5d3e0c1a-0b5e-4b7a-9f1e-2a3b4c5d6e7f)',
    );
  });

  it('should refuse an entity set that is not an identifier', () => {
    expect(() => urls.collection('../admin', {}, 'v4')).toThrow(ODataProtocolError);
    expect(() => urls.collection('https://evil.example/x', {}, 'v4')).toThrow(ODataProtocolError);
  });

  it('should resolve a relative next link against the service root', () => {
    expect(urls.nextLink('accounts?$skiptoken=abc').href).toBe(
      'https://crm.example.com/api/data/v9.2/accounts?$skiptoken=abc',
    );
  });

  it('should accept an absolute next link under the service root', () => {
    const link = "https://crm.example.com/api/data/v9.2/A_BusinessPartner?$skiptoken='1000'";
    // The URL standard escapes the quote in a query; servers read %27 as the quote.
    expect(urls.nextLink(link).href).toBe(
      'https://crm.example.com/api/data/v9.2/A_BusinessPartner?$skiptoken=%271000%27',
    );
  });

  it.each([
    ['another host', 'https://evil.example.com/api/data/v9.2/accounts?$skiptoken=1'],
    ['another scheme', 'http://crm.example.com/api/data/v9.2/accounts'],
    ['another port', 'https://crm.example.com:8443/api/data/v9.2/accounts'],
    ['a protocol-relative link', '//evil.example.com/api/data/v9.2/accounts'],
    ['a path outside the root', '/other/accounts?$skiptoken=1'],
    ['a climb out of the root', '../../../admin?$skiptoken=1'],
    ['credentials', 'https://u:p@crm.example.com/api/data/v9.2/accounts'],
    ['another scheme entirely', 'javascript:alert(1)'],
  ])('should refuse a next link to %s', (_, link) => {
    expect(() => urls.nextLink(link)).toThrow(ODataProtocolError);
  });
});
