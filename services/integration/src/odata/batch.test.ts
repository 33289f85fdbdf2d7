import { describe, expect, it } from 'vitest';
import { boundaryOf, readBatch, writeBatch } from './batch.ts';
import { ODataProtocolError } from './errors.ts';

describe('$batch multipart', () => {
  it('should write each changeset as a nested multipart with its HTTP requests', () => {
    const { contentType, body } = writeBatch([
      [
        {
          method: 'POST',
          path: 'JournalEntries',
          headers: { 'content-type': 'application/json' },
          body: '{"EntryID":"e1"}',
        },
        { method: 'PATCH', path: "accounts('a1')", headers: { 'if-match': 'W/"1"' }, body: '{"name":"x"}' },
      ],
    ]);
    const boundary = boundaryOf(contentType);
    expect(contentType).toBe(`multipart/mixed; boundary=${boundary}`);
    const changeset = /Content-Type: multipart\/mixed; boundary=(changeset_[\w-]+)/.exec(body)?.[1];
    expect(changeset).toBeDefined();
    expect(body).toBe(
      [
        `--${boundary}`,
        `Content-Type: multipart/mixed; boundary=${changeset}`,
        '',
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 1',
        '',
        'POST JournalEntries HTTP/1.1',
        'content-type: application/json',
        '',
        '{"EntryID":"e1"}',
        `--${changeset}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        'Content-ID: 2',
        '',
        "PATCH accounts('a1') HTTP/1.1",
        'if-match: W/"1"',
        '',
        '{"name":"x"}',
        `--${changeset}--`,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
  });

  it('should refuse a header value with a line break (no header injection into a part)', () => {
    expect(() =>
      writeBatch([
        [{ method: 'PATCH', path: 'x(1)', headers: { 'if-match': '"1"\r\nX-Evil: 1' }, body: null }],
      ]),
    ).toThrow(TypeError);
  });

  it('should read a changeset answer into one response per write, with status, headers and body', () => {
    const answer = [
      '--batch_abc',
      'Content-Type: multipart/mixed; boundary=changeset_def',
      '',
      '--changeset_def',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'HTTP/1.1 201 Created',
      'Content-Type: application/json',
      'ETag: W/"abc"',
      '',
      '{"EntryID":"e1"}',
      '--changeset_def',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 204 No Content',
      '',
      '',
      '--changeset_def--',
      '--batch_abc--',
      '',
    ].join('\r\n');
    const groups = readBatch('multipart/mixed; boundary=batch_abc', answer);
    expect(groups).toEqual([
      [
        {
          status: 201,
          headers: { 'content-type': 'application/json', etag: 'W/"abc"' },
          body: '{"EntryID":"e1"}',
        },
        { status: 204, headers: {}, body: '' },
      ],
    ]);
  });

  it('should read a failed changeset as one response, and LF line ends as CRLF ones', () => {
    const answer = [
      '--batch_1',
      'Content-Type: application/http',
      '',
      'HTTP/1.1 400 Bad Request',
      'Content-Type: application/json',
      '',
      '{"error":{"code":"400","message":"Entity already exists"}}',
      '--batch_1--',
    ].join('\n');
    const groups = readBatch('multipart/mixed;boundary="batch_1"', answer);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toEqual([
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"code":"400","message":"Entity already exists"}}',
      },
    ]);
  });

  it('should read back what it wrote, as a server would echo it', () => {
    const { contentType, body } = writeBatch([[{ method: 'DELETE', path: 'x(1)', headers: {}, body: null }]]);
    // A request part is not a response: the reader says so rather than inventing a status.
    expect(() => readBatch(contentType, body)).toThrow(ODataProtocolError);
  });

  it('should refuse an answer without a boundary or that is not closed', () => {
    expect(() => readBatch('multipart/mixed', '--x\r\n')).toThrow(ODataProtocolError);
    expect(() =>
      readBatch(
        'multipart/mixed; boundary=x',
        '--x\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n',
      ),
    ).toThrow(ODataProtocolError);
  });
});
