import { describe, expect, it } from 'vitest';
import { EgressRefusedError } from './egress.ts';
import {
  buildUrl,
  networkErrorCode,
  parseBody,
  parseProblem,
  problemSummary,
  requestHeaders,
} from './http-message.ts';
import { UpstreamUnavailableError } from './upstream.errors.ts';

const answerOf = (status: number, text: string, type = 'application/json') => ({
  status,
  headers: new Headers({ 'content-type': type }),
  text,
});

describe('buildUrl', () => {
  it('should append the query without its undefined parameters', () => {
    expect(buildUrl('http://h/api', '/v1/assets', { model: 'A4', page: undefined, active: true })).toBe(
      'http://h/api/v1/assets?model=A4&active=true',
    );
    expect(buildUrl('http://h', '/v1/a?x=1', { y: 2 })).toBe('http://h/v1/a?x=1&y=2');
    expect(buildUrl('http://h', '/v1/a', {})).toBe('http://h/v1/a');
  });

  it('should refuse a path that does not start with exactly one slash', () => {
    expect(() => buildUrl('http://h', '//evil.example/x', undefined)).toThrow(EgressRefusedError);
    expect(() => buildUrl('http://h', 'https://evil.example/x', undefined)).toThrow(EgressRefusedError);
    expect(() => buildUrl('http://h', '//localhost/x', undefined)).toThrow(TypeError);
    expect(() => buildUrl('http://h', 'v1/x', undefined)).toThrow(TypeError);
  });
});

describe('requestHeaders', () => {
  it('should lay the call’s headers over the client’s and set accept, content-type, traceparent and the key', () => {
    const headers = requestHeaders(
      { headers: { 'x-request-id': 'call' }, body: { a: 1 }, idempotencyKey: 'k-1' },
      { 'x-request-id': 'client', 'x-tenant': 't1' },
      '00-abc-def-01',
    );

    expect(Object.fromEntries(headers)).toEqual({
      accept: 'application/json, application/problem+json',
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
      traceparent: '00-abc-def-01',
      'x-request-id': 'call',
      'x-tenant': 't1',
    });
  });

  it('should send no content-type, traceparent or key when there is none', () => {
    expect([...requestHeaders({}, undefined, undefined).keys()]).toEqual(['accept']);
  });
});

describe('parseBody', () => {
  const get = { method: 'GET', path: '/v1/p' } as const;

  it('should parse JSON and +json, return other text, and nothing when empty or HEAD', () => {
    expect(parseBody('parties', get, answerOf(200, '{"a":1}'))).toEqual({ a: 1 });
    expect(
      parseBody('parties', get, answerOf(200, '{"a":1}', 'application/vnd.x+json; charset=utf-8')),
    ).toEqual({
      a: 1,
    });
    expect(parseBody('parties', get, answerOf(200, 'hello', 'text/plain'))).toBe('hello');
    expect(parseBody('parties', get, answerOf(204, ''))).toBeUndefined();
    expect(parseBody('parties', { method: 'HEAD', path: '/v1/p' }, answerOf(200, '{"a":1}'))).toBeUndefined();
  });

  it('should fail as server-error when a JSON answer does not parse', () => {
    const read = () => parseBody('parties', get, answerOf(200, '{"a":'));

    expect(read).toThrow(UpstreamUnavailableError);
    expect(read).toThrow('GET /v1/p was answered 200 with a body that is not JSON');
  });
});

describe('parseProblem and problemSummary', () => {
  it('should read a problem+json body and summarise its title and detail', () => {
    const answer = answerOf(404, '{"title":"Not Found","detail":"no party p1"}', 'application/problem+json');

    expect(parseProblem(answer)).toEqual({ title: 'Not Found', detail: 'no party p1' });
    expect(problemSummary(answer)).toBe(' Not Found: no party p1');
  });

  it('should keep text as the problem and say nothing of it in the summary', () => {
    const answer = answerOf(400, 'x'.repeat(2000), 'text/plain');

    expect(parseProblem(answer)).toBe('x'.repeat(1000));
    expect(problemSummary(answer)).toBe('');
    expect(parseProblem(answerOf(400, '{broken'))).toBe('{broken');
    expect(parseProblem(answerOf(400, ''))).toBeUndefined();
  });
});

describe('networkErrorCode', () => {
  it('should find the system error code up to three causes deep', () => {
    const system = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });

    expect(networkErrorCode(new Error('fetch failed', { cause: system }))).toBe('ECONNREFUSED');
    expect(
      networkErrorCode(
        new Error('a', { cause: new Error('b', { cause: new Error('c', { cause: system }) }) }),
      ),
    ).toBe(undefined);
    expect(networkErrorCode('not an error')).toBeUndefined();
  });
});
