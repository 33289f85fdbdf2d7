import { randomUUID } from 'node:crypto';
import { ODataProtocolError } from './errors.ts';

/**
 * `$batch` as multipart/mixed (OData v2 and v4 §11.7): writes go in changesets (each all or nothing), each part an
 * HTTP request whose URL is relative to the service root. The answer is parsed back into one HTTP response per
 * part; a changeset that failed is answered by a single response, which stands for each of its writes.
 */

export interface BatchPartRequest {
  method: string;
  /** Relative to the service root (`JournalEntries`, `accounts(…)`), made by `ODataUrls`. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface BatchPartResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const CRLF = '\r\n';

/** The body and the Content-Type of a `$batch` request: one changeset per group of writes. */
export function writeBatch(changesets: BatchPartRequest[][]): { contentType: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  const lines: string[] = [];
  let contentId = 0;
  for (const changeset of changesets) {
    const changesetBoundary = `changeset_${randomUUID()}`;
    lines.push(`--${boundary}`, `Content-Type: multipart/mixed; boundary=${changesetBoundary}`, '');
    for (const request of changeset) {
      contentId += 1;
      lines.push(
        `--${changesetBoundary}`,
        'Content-Type: application/http',
        'Content-Transfer-Encoding: binary',
        `Content-ID: ${contentId}`,
        '',
        `${request.method} ${request.path} HTTP/1.1`,
        ...Object.entries(request.headers).map(([name, value]) => `${name}: ${headerValue(value)}`),
        '',
        request.body ?? '',
      );
    }
    lines.push(`--${changesetBoundary}--`);
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

/**
 * The responses of a `$batch` answer, flattened in order: a changeset's responses in place of the changeset.
 * `groups` is one array per top-level part (a changeset or a lone response), so a failed changeset (one response
 * for many writes) can be told apart.
 */
export function readBatch(contentType: string, body: string): BatchPartResponse[][] {
  const boundary = boundaryOf(contentType);
  return splitMultipart(body, boundary).map((part) => {
    const { headers, content } = splitHeaders(part);
    const partType = headers['content-type'] ?? '';
    if (partType.toLowerCase().startsWith('multipart/mixed')) {
      return splitMultipart(content, boundaryOf(partType)).map((inner) =>
        httpResponseOf(splitHeaders(inner).content),
      );
    }
    return [httpResponseOf(content)];
  });
}

/** The boundary parameter of a multipart Content-Type (quoted or not). */
export function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw batchError(`no multipart boundary in ${JSON.stringify(contentType.slice(0, 100))}`);
  return boundary;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) throw batchError('the multipart body has no part');
  for (;;) {
    const afterDelimiter = position + delimiter.length;
    if (body.startsWith('--', afterDelimiter)) break; // the closing delimiter
    const start = skipLineBreak(body, afterDelimiter);
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw batchError('the multipart body is not closed');
    parts.push(trimTrailingLineBreak(body.slice(start, next)));
    position = next;
  }
  return parts;
}

function splitHeaders(part: string): { headers: Record<string, string>; content: string } {
  const match = /\r?\n\r?\n/.exec(part);
  const head = match ? part.slice(0, match.index) : part;
  const content = match ? part.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, content };
}

function httpResponseOf(message: string): BatchPartResponse {
  const { headers, content } = splitHeaders(message);
  const statusLine = message.split(/\r?\n/, 1)[0] ?? '';
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(statusLine)?.[1];
  if (status === undefined)
    throw batchError(`a part has no HTTP status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  return { status: Number(status), headers, body: content.trim() };
}

function skipLineBreak(text: string, at: number): number {
  if (text.startsWith('\r\n', at)) return at + 2;
  if (text.startsWith('\n', at)) return at + 1;
  return at;
}

function trimTrailingLineBreak(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError('a header value must not contain a line break');
  return value;
}

function batchError(message: string): ODataProtocolError {
  return new ODataProtocolError({ message: `$batch answer: ${message}`, status: null, operation: 'batch' });
}
