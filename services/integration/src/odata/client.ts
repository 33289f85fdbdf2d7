import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, parseRetryAfterMs } from '@lessor/http-client';
import { basicAuthorization, OAuth2TokenSource } from './auth.ts';
import { readBatch, writeBatch, type BatchPartRequest, type BatchPartResponse } from './batch.ts';
import { readCollection, readEntity, readErrorBody } from './bodies.ts';
import {
  ODataAuthError,
  ODataConflictError,
  ODataError,
  ODataNotFoundError,
  ODataProtocolError,
  ODataRefusedError,
  ODataThrottledError,
  ODataTimeoutError,
  ODataUnavailableError,
} from './errors.ts';
import { CookieJar, headerOf, Transport, type Exchange } from './transport.ts';
import type {
  ODataBatchOptions,
  ODataBatchRequest,
  ODataBatchResponse,
  ODataClient,
  ODataClientOptions,
  ODataEntity,
  ODataKey,
  ODataPage,
  ODataQuery,
  ODataVersion,
} from './types.ts';
import { ODataUrls } from './urls.ts';

// Below this, a retry cannot do a round trip before the deadline; waiting for it only makes the caller later.
const MIN_ATTEMPT_MS = 50;

interface CallSpec {
  operation: string;
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: string;
  /** May be sent again after a lost answer or a 5xx (a read, an update with the same values). */
  idempotent: boolean;
  /** A write: a v2 server wants its CSRF token. */
  write: boolean;
}

/**
 * The OData client of a connector (v4 or v2): reads with server-driven paging, writes with ETags, `$batch`,
 * OAuth2 or basic auth, v2 CSRF tokens, throttling honoured, a deadline and a metric on every operation.
 * See the service README, "The OData client", and ADR 25.
 */
export function createODataClient(options: ODataClientOptions): ODataClient {
  return new HttpODataClient(options);
}

class HttpODataClient implements ODataClient {
  readonly version: ODataVersion;
  readonly serviceRoot: string;
  private readonly urls: ODataUrls;
  private readonly transport = new Transport();
  private readonly cookies = new CookieJar();
  private readonly closing = new AbortController();
  private readonly tokens: OAuth2TokenSource | null;
  private readonly maxAttempts: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly csrf: boolean;
  private csrfToken: string | null = null;
  private csrfPending: Promise<string | null> | null = null;

  constructor(private readonly options: ODataClientOptions) {
    this.version = options.version;
    this.urls = new ODataUrls(options.serviceRoot);
    this.serviceRoot = this.urls.root.href;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 200;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.csrf = options.csrf ?? options.version === 'v2';
    if (!Number.isSafeInteger(this.maxAttempts) || this.maxAttempts < 1)
      throw new TypeError('maxAttempts must be a positive integer');
    if (!(options.deadlineMs > 0)) throw new TypeError('deadlineMs must be positive');
    const { auth } = options;
    this.tokens =
      auth.kind === 'oauth2'
        ? new OAuth2TokenSource(auth, (input) =>
            this.measured('token', async () => {
              const answer = await this.attempts(
                {
                  operation: 'token',
                  method: 'POST',
                  url: input.url,
                  body: input.body,
                  idempotent: true,
                  write: false,
                },
                Date.now() + this.options.deadlineMs,
                input.headers,
              );
              return answer.text;
            }),
          )
        : null;
  }

  // URLs are made inside `measured`: a bad entity set or key is a rejected call (and a metric), not a throw.
  page(entitySet: string, query: ODataQuery): Promise<ODataPage> {
    return this.measured('page', () =>
      this.readPage('page', this.urls.collection(entitySet, query, this.version)),
    );
  }

  next(nextLink: string): Promise<ODataPage> {
    return this.measured('next', () => this.readPage('next', this.urls.nextLink(nextLink)));
  }

  async *pages(entitySet: string, query: ODataQuery): AsyncIterable<ODataPage> {
    let page = await this.page(entitySet, query);
    yield page;
    while (page.nextLink !== null) {
      page = await this.next(page.nextLink);
      yield page;
    }
  }

  get(
    entitySet: string,
    key: ODataKey,
    query: Pick<ODataQuery, 'select' | 'expand'> = {},
  ): Promise<ODataEntity> {
    return this.measured('get', async () => {
      const url = this.urls.entity(entitySet, key, this.version, query);
      const answer = await this.call({
        operation: 'get',
        method: 'GET',
        url,
        idempotent: true,
        write: false,
      });
      return readEntity(answer.text, this.version, 'get', headerOf(answer, 'etag'));
    });
  }

  create(entitySet: string, body: Record<string, unknown>): Promise<ODataEntity> {
    return this.measured('create', async () => {
      const url = this.urls.collection(entitySet, {}, this.version);
      const answer = await this.call({
        operation: 'create',
        method: 'POST',
        url,
        headers: {
          ...this.writeHeaders(),
          ...(this.version === 'v4' ? { prefer: 'return=representation' } : {}),
        },
        body: JSON.stringify(body),
        idempotent: false,
        write: true,
      });
      const etag = headerOf(answer, 'etag');
      if (answer.status === 204 || answer.text.trim() === '') return { record: {}, etag };
      return readEntity(answer.text, this.version, 'create', etag);
    });
  }

  update(
    entitySet: string,
    key: ODataKey,
    body: Record<string, unknown>,
    options: { etag?: string } = {},
  ): Promise<{ etag: string | null }> {
    return this.measured('update', async () => {
      const url = this.urls.entity(entitySet, key, this.version);
      const answer = await this.call({
        operation: 'update',
        method: this.updateMethod(),
        url,
        headers: { ...this.writeHeaders(), ...this.ifMatch(options.etag) },
        body: JSON.stringify(body),
        idempotent: true,
        write: true,
      });
      return { etag: headerOf(answer, 'etag') };
    });
  }

  batch(requests: ODataBatchRequest[], options: ODataBatchOptions = {}): Promise<ODataBatchResponse[]> {
    if (requests.length === 0) return Promise.resolve([]);
    return this.measured('batch', async () => {
      const parts = requests.map((request) => this.batchPart(request));
      const changesets = options.atomic === false ? parts.map((part) => [part]) : [parts];
      const { contentType, body } = writeBatch(changesets);
      const url = this.urls.batch();
      const answer = await this.call({
        operation: 'batch',
        method: 'POST',
        url,
        headers: {
          'content-type': contentType,
          accept: 'multipart/mixed',
          // v4 stops at the first failed changeset unless asked to go on; writes that stand alone should.
          ...(options.atomic === false && this.version === 'v4' ? { prefer: 'odata.continue-on-error' } : {}),
        },
        body,
        idempotent: false,
        write: true,
      });
      const answerType = headerOf(answer, 'content-type') ?? '';
      if (!answerType.toLowerCase().startsWith('multipart/mixed'))
        throw new ODataProtocolError({
          message: `the $batch answer is not multipart/mixed (${answerType.slice(0, 80)})`,
          status: answer.status,
          operation: 'batch',
        });
      const groups = readBatch(answerType, answer.text);
      if (groups.length === 0 || groups.length > changesets.length)
        throw new ODataProtocolError({
          message: `the $batch answer has ${groups.length} parts for ${changesets.length} changesets`,
          status: answer.status,
          operation: 'batch',
        });
      return changesets.flatMap((changeset, index) => {
        const group = groups[index];
        // A server that stopped at a failed changeset answers none of those after it: not done, may be sent again.
        if (group === undefined) return changeset.map(() => notProcessed());
        // A changeset that failed is answered once, for all its writes.
        return changeset.map((_, position) =>
          this.batchAnswer(group.length === changeset.length ? group[position]! : group[0]!),
        );
      });
    });
  }

  ping(): Promise<{ status: number; durationMs: number }> {
    const started = performance.now();
    return this.measured('ping', async () => {
      const answer = await this.call({
        operation: 'ping',
        method: 'GET',
        url: this.urls.metadata(),
        headers: { accept: 'application/xml' },
        idempotent: true,
        write: false,
      });
      return { status: answer.status, durationMs: Math.round(performance.now() - started) };
    });
  }

  close(): void {
    this.closing.abort(new Error('the OData client is closed'));
    this.transport.close();
  }

  // --- reading ---

  private async readPage(operation: string, url: URL): Promise<ODataPage> {
    const headers =
      this.version === 'v4' && this.options.pageSize !== undefined
        ? { prefer: `odata.maxpagesize=${this.options.pageSize}` }
        : undefined;
    const answer = await this.call({
      operation,
      method: 'GET',
      url,
      headers,
      idempotent: true,
      write: false,
    });
    const page = readCollection(answer.text, this.version, operation);
    // The next link is checked now, where it arrives: a page pointing elsewhere fails here, not one call later.
    const nextLink = page.nextLink === null ? null : this.urls.nextLink(page.nextLink).href;
    return { records: page.records, count: page.count, nextLink };
  }

  // --- writing ---

  private updateMethod(): string {
    return this.version === 'v4' ? 'PATCH' : (this.options.v2UpdateMethod ?? 'MERGE');
  }

  private writeHeaders(): Record<string, string> {
    return {
      'content-type': this.version === 'v4' ? 'application/json;IEEE754Compatible=true' : 'application/json',
    };
  }

  // Without an ETag, '*': a v4 PATCH without If-Match is an upsert on Dynamics (it would create a missing
  // account), and servers that guard an entity by ETag (CAP, SAP Gateway) answer 428 to a write without one.
  private ifMatch(etag: string | undefined): Record<string, string> {
    return { 'if-match': etag ?? '*' };
  }

  private batchPart(request: ODataBatchRequest): BatchPartRequest {
    const path =
      request.key === undefined
        ? this.urls
            .collection(request.entitySet, {}, this.version)
            .pathname.slice(this.urls.root.pathname.length)
        : this.urls.entityPath(request.entitySet, request.key, this.version);
    const method = request.method === 'MERGE' && this.version === 'v4' ? 'PATCH' : request.method;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) Object.assign(headers, this.writeHeaders());
    if (method === 'POST' && this.version === 'v4') headers.prefer = 'return=representation';
    if (method !== 'POST') Object.assign(headers, this.ifMatch(request.etag));
    return { method, path, headers, body: request.body === undefined ? null : JSON.stringify(request.body) };
  }

  private batchAnswer(part: BatchPartResponse): ODataBatchResponse {
    const etag = part.headers.etag ?? null;
    if (part.status >= 200 && part.status < 300) {
      if (part.body === '') return { status: part.status, record: null, etag, error: null };
      const entity = readEntity(part.body, this.version, 'batch', etag);
      return { status: part.status, record: entity.record, etag: entity.etag, error: null };
    }
    const error = errorOfAnswer(
      'batch',
      { status: part.status, headers: part.headers, text: part.body },
      null,
    );
    return { status: part.status, record: null, etag: null, error };
  }

  // --- the call: auth, CSRF, retries, deadline ---

  private call(spec: CallSpec): Promise<Exchange> {
    return this.attempts(spec, Date.now() + this.options.deadlineMs);
  }

  private async attempts(
    spec: CallSpec,
    deadlineAt: number,
    ownHeaders?: Record<string, string>,
  ): Promise<Exchange> {
    let attempt = 0;
    let tokenRefreshed = false;
    let csrfRefetched = false;
    for (;;) {
      attempt += 1;
      const remaining = deadlineAt - Date.now();
      if (remaining <= 0) throw this.timeout(spec.operation);
      const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(remaining)]);
      const authorization = ownHeaders ? null : await this.authorization(signal, spec.operation);
      const csrfToken = spec.write && this.csrf ? await this.csrfTokenFor(deadlineAt) : null;
      const headers: Record<string, string> = ownHeaders
        ? { ...ownHeaders }
        : { ...this.protocolHeaders(), ...spec.headers };
      if (authorization !== null) headers.authorization = authorization;
      if (csrfToken !== null) headers['x-csrf-token'] = csrfToken;
      const cookie = ownHeaders ? null : this.cookies.header();
      if (cookie !== null) headers.cookie = cookie;

      let answer: Exchange;
      try {
        answer = await this.transport.exchange(
          { method: spec.method, url: spec.url, headers, body: spec.body },
          signal,
        );
      } catch (cause) {
        if (this.closing.signal.aborted) throw this.closed(spec.operation, cause);
        if (signal.aborted || Date.now() >= deadlineAt) throw this.timeout(spec.operation, cause);
        const failure = new ODataUnavailableError({
          message: `${spec.operation}: the connection failed (${networkReason(cause)})`,
          status: null,
          operation: spec.operation,
          cause,
        });
        if (spec.idempotent && (await this.waitToRetry(spec, attempt, failure, null, deadlineAt))) continue;
        throw failure;
      }
      if (!ownHeaders) this.cookies.store(answer);
      if (answer.status >= 200 && answer.status < 300) return answer;

      if (answer.status === 401 && this.tokens && authorization !== null && !tokenRefreshed) {
        // The token may have been revoked or expired early: one fresh token, once.
        this.tokens.invalidate(authorization.slice('Bearer '.length));
        tokenRefreshed = true;
        attempt -= 1;
        continue;
      }
      if (
        answer.status === 403 &&
        csrfToken !== null &&
        headerOf(answer, 'x-csrf-token')?.toLowerCase() === 'required' &&
        !csrfRefetched
      ) {
        // The session (and its token) ended on the server: fetch another, once.
        this.csrfToken = null;
        this.cookies.clear();
        csrfRefetched = true;
        attempt -= 1;
        continue;
      }
      const retryAfterMs = parseRetryAfterMs(headerOf(answer, 'retry-after')) ?? null;
      const failure = errorOfAnswer(spec.operation, answer, retryAfterMs);
      const throttled = answer.status === 429 || answer.status === 503;
      const retryable = throttled || (spec.idempotent && answer.status >= 500);
      if (retryable && (await this.waitToRetry(spec, attempt, failure, retryAfterMs, deadlineAt))) continue;
      throw failure;
    }
  }

  /**
   * Waits before the next attempt and says whether to make it: not when the attempts are used up, nor when the
   * wait (the server's Retry-After, else backoff with full jitter) would not leave time before the deadline —
   * the caller gets the error now, with the server's Retry-After, rather than a timeout later.
   */
  private async waitToRetry(
    spec: CallSpec,
    attempt: number,
    failure: ODataError,
    retryAfterMs: number | null,
    deadlineAt: number,
  ): Promise<boolean> {
    if (attempt >= this.maxAttempts) return false;
    if (retryAfterMs !== null && retryAfterMs > this.maxRetryAfterMs) return false;
    const backoff = backoffDelayMs(attempt, {
      initialDelayMs: this.retryBaseDelayMs,
      maxDelayMs: this.retryBaseDelayMs * 2 ** (this.maxAttempts - 1),
    });
    // A Retry-After is a floor; a little jitter on top keeps the clients it throttled from returning as one.
    const delayMs =
      retryAfterMs === null
        ? backoff
        : retryAfterMs + Math.floor(Math.random() * Math.min(250, this.retryBaseDelayMs));
    if (Date.now() + delayMs + MIN_ATTEMPT_MS >= deadlineAt) return false;
    this.options.log.warn(
      {
        connector: this.options.connector,
        operation: spec.operation,
        attempt,
        status: failure.status,
        code: failure.code,
        delayMs,
      },
      'OData call failed; retrying',
    );
    try {
      await sleep(delayMs, undefined, { signal: this.closing.signal });
    } catch (cause) {
      throw this.closed(spec.operation, cause);
    }
    return true;
  }

  private protocolHeaders(): Record<string, string> {
    if (this.version === 'v4')
      return {
        accept: 'application/json;odata.metadata=minimal;IEEE754Compatible=true',
        'odata-version': '4.0',
        'odata-maxversion': '4.0',
      };
    return { accept: 'application/json', dataserviceversion: '2.0', maxdataserviceversion: '2.0' };
  }

  private async authorization(signal: AbortSignal, operation: string): Promise<string | null> {
    const { auth } = this.options;
    if (auth.kind === 'basic') return basicAuthorization(auth.username, auth.password);
    if (auth.kind === 'none' || this.tokens === null) return null;
    return `Bearer ${await untilAborted(this.tokens.token(), signal, () => this.timeout(operation))}`;
  }

  /**
   * The v2 CSRF token (SAP Gateway, CAP's v2 adapter): fetched with `x-csrf-token: Fetch` on a GET of the
   * service document, tied to the session cookie it sets; one fetch at a time. A server that sends none needs
   * none (null).
   */
  private async csrfTokenFor(deadlineAt: number): Promise<string | null> {
    if (this.csrfToken !== null) return this.csrfToken === '' ? null : this.csrfToken;
    this.csrfPending ??= this.measured('csrf', async () => {
      const answer = await this.attempts(
        {
          operation: 'csrf',
          method: 'GET',
          url: this.urls.serviceDocument(),
          headers: { 'x-csrf-token': 'Fetch' },
          idempotent: true,
          write: false,
        },
        deadlineAt,
      );
      const token = headerOf(answer, 'x-csrf-token');
      this.csrfToken = token ?? '';
      return token;
    }).finally(() => {
      this.csrfPending = null;
    });
    return this.csrfPending;
  }

  private async measured<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const end = this.options.metrics.outboundSeconds.startTimer({
      connector: this.options.connector,
      operation,
    });
    try {
      const result = await run();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      const failure = error instanceof ODataError ? error : this.unexpected(operation, error);
      end({ outcome: failure.code.replace(/^ODATA_/, '').toLowerCase() });
      throw failure;
    }
  }

  private timeout(operation: string, cause?: unknown): ODataTimeoutError {
    return new ODataTimeoutError({
      message: `${operation}: no answer within the deadline of ${this.options.deadlineMs} ms`,
      status: null,
      operation,
      cause,
    });
  }

  private closed(operation: string, cause?: unknown): ODataUnavailableError {
    return new ODataUnavailableError({
      message: `${operation}: the client is closed`,
      status: null,
      operation,
      cause,
    });
  }

  private unexpected(operation: string, cause: unknown): ODataError {
    if (cause instanceof TypeError)
      return new ODataRefusedError({
        message: `${operation}: ${cause.message}`,
        status: null,
        operation,
        cause,
      });
    return new ODataUnavailableError({
      message: `${operation}: ${cause instanceof Error ? cause.message : String(cause)}`,
      status: null,
      operation,
      cause,
    });
  }
}

function notProcessed(): ODataBatchResponse {
  const error = new ODataUnavailableError({
    message: 'batch: the server stopped before this write (an earlier one failed); it was not done',
    status: 424,
    operation: 'batch',
  });
  return { status: 424, record: null, etag: null, error };
}

/** The error an answer stands for, with the server's message (v4 `error.message`, v2 `error.message.value`). */
export function errorOfAnswer(
  operation: string,
  answer: Pick<Exchange, 'status' | 'headers' | 'text'>,
  retryAfterMs: number | null,
): ODataError {
  const { status } = answer;
  const server = readErrorBody(answer.text);
  const init = {
    message: `${operation}: the server answered ${status}${server.message === null ? '' : `: ${server.message}`}`,
    status,
    operation,
    serverMessage: server.message,
    serverCode: server.code,
    retryAfterMs,
  };
  if (status === 412 || status === 409) return new ODataConflictError(init);
  if (status === 429) return new ODataThrottledError(init);
  if (status === 401 || status === 403) return new ODataAuthError(init);
  if (status === 404) return new ODataNotFoundError(init);
  if (status >= 500) return new ODataUnavailableError(init);
  if (status >= 300 && status < 400)
    return new ODataProtocolError({
      ...init,
      message: `${operation}: a redirect (${status}) is not followed`,
    });
  return new ODataRefusedError(init);
}

function networkReason(cause: unknown): string {
  if (typeof cause === 'object' && cause !== null) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (cause instanceof Error) return cause.message;
  }
  return String(cause);
}

async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  if (signal.aborted) throw onAbort();
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => reject(onAbort());
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
  }
}
