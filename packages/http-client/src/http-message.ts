import type { Answer } from './attempt.ts';
import { assertLessorUrl } from './egress.ts';
import type { QueryParameters, UpstreamRequest } from './service-client.types.ts';
import { UpstreamUnavailableError } from './upstream.errors.ts';

/** What a call sends and how its answer is read: the URL, the headers, the body, the problem of a refusal. */

const PROBLEM_TEXT_LIMIT = 1000;

/** `baseUrl` + `path` + the query without its `undefined` parameters; refuses a path that could replace the host. */
export function buildUrl(baseUrl: string, path: string, query: QueryParameters | undefined): string {
  // A path like `//evil.example/x` would replace the host once resolved; only absolute paths are accepted, and
  // an absolute URL to an outside host is named as what it is: egress (ADR 26).
  if (!path.startsWith('/') || path.startsWith('//')) {
    if (path.startsWith('//') || /^[a-z][a-z0-9+.-]*:\/\//i.test(path))
      assertLessorUrl(new URL(path, baseUrl), 'a service client');
    throw new TypeError(`path must start with one "/": ${path}`);
  }
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) parameters.append(name, String(value));
  }
  const search = parameters.toString();
  return `${baseUrl}${path}${search === '' ? '' : `${path.includes('?') ? '&' : '?'}${search}`}`;
}

/**
 * The headers of a call, the token aside: the client's extra headers, the call's own over them, then what the
 * client always sets — `accept`, `content-type` for a body, `traceparent` when there is one, `idempotency-key`.
 */
export function requestHeaders(
  request: Pick<UpstreamRequest, 'headers' | 'body' | 'idempotencyKey'>,
  clientHeaders: Record<string, string> | undefined,
  traceparent: string | undefined,
): Headers {
  const headers = new Headers(clientHeaders);
  for (const [name, value] of Object.entries(request.headers ?? {})) headers.set(name, value);
  headers.set('accept', 'application/json, application/problem+json');
  if (request.body !== undefined) headers.set('content-type', 'application/json');
  if (traceparent !== undefined) headers.set('traceparent', traceparent);
  if (request.idempotencyKey !== undefined) headers.set('idempotency-key', request.idempotencyKey);
  return headers;
}

/** `application/json` or any `+json` media type. */
export function isJson(headers: Headers): boolean {
  const type = headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * The body of a successful answer: parsed JSON, the text of another media type, `undefined` when empty or for a
 * HEAD. A JSON answer that does not parse is the service failing: `UpstreamUnavailableError` (`server-error`).
 */
export function parseBody(
  service: string,
  request: Pick<UpstreamRequest, 'method' | 'path'>,
  answer: Answer,
): unknown {
  if (request.method === 'HEAD' || answer.text === '') return undefined;
  if (!isJson(answer.headers)) return answer.text;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch (error) {
    throw new UpstreamUnavailableError(
      service,
      'server-error',
      `${request.method} ${request.path} was answered ${answer.status} with a body that is not JSON`,
      { status: answer.status, cause: error },
    );
  }
}

/** The problem of a refusal: its JSON, or its text (the first 1000 characters), or `undefined` when empty. */
export function parseProblem(answer: Answer): unknown {
  if (answer.text === '') return undefined;
  if (isJson(answer.headers)) {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      // An unparsable problem is still worth showing as text.
    }
  }
  return answer.text.slice(0, PROBLEM_TEXT_LIMIT);
}

/** ` Title: detail` of a problem+json answer, for an error message. */
export function problemSummary(answer: Answer): string {
  const problem = parseProblem(answer);
  if (typeof problem !== 'object' || problem === null) return '';
  const { title, detail } = problem as Record<string, unknown>;
  const parts = [title, detail].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? '' : ` ${parts.join(': ').slice(0, 300)}`;
}

/** The system error code behind a failed fetch (`ECONNREFUSED`, `ENOTFOUND`…), for the message. */
export function networkErrorCode(error: unknown): string | undefined {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 3;
    current = current.cause, depth++
  ) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
