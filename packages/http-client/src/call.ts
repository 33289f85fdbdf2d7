import { setTimeout as sleep } from 'node:timers/promises';
import { AttemptFailure, callerStallNote, sendAttempt, type Answer } from './attempt.ts';
import { parseRetryAfterMs } from './backoff.ts';
import { isCircuitOpenError, type Breaker } from './breaker.ts';
import { attemptSignal } from './deadline.ts';
import { networkErrorCode, parseProblem, problemSummary, requestHeaders } from './http-message.ts';
import type { FetchLike } from './node-fetch.ts';
import { isIdempotent, retryDelayMs, type RetryPolicy } from './retry.ts';
import type { ServiceClientLogger, ServiceClientOptions, UpstreamRequest } from './service-client.types.ts';
import type { TokenSource } from './tokens.ts';
import {
  UpstreamResponseError,
  UpstreamUnavailableError,
  type UnavailableReason,
} from './upstream.errors.ts';

/**
 * One call from start to answer: the token, the attempts (each through the breaker, under its deadline),
 * the retries between them, one token renewal on 401 — and, when it gives up, the error that says why.
 */

/** What a call needs of its client. */
export interface CallContext {
  service: string;
  baseUrl: string;
  fetch: FetchLike;
  retry: RetryPolicy;
  breaker: Breaker;
  tokens: TokenSource;
  options: Pick<ServiceClientOptions, 'headers' | 'traceparent' | 'onUnauthorized'>;
  logger: ServiceClientLogger | undefined;
  /** The client was closed: its calls end with that, not with a timeout. */
  isClosed(): boolean;
}

/**
 * Sends `request` to `url` until it has an answer below 400, within `deadlineMs` (the life of `callSignal`).
 * Rejects with {@link UpstreamResponseError} for a refusal (4xx but 429), {@link UpstreamUnavailableError} when
 * the service cannot be used, the caller's reason when the caller aborted, an `Error` when the client closed.
 */
export async function sendCall(
  context: CallContext,
  request: UpstreamRequest,
  url: string,
  deadlineMs: number,
  callSignal: AbortSignal,
): Promise<Answer> {
  const { service, breaker, tokens, logger } = context;
  const { method, path } = request;
  const deadlineAt = performance.now() + deadlineMs;
  const cancelled = () => context.isClosed() || request.signal?.aborted === true;
  const idempotent = isIdempotent(method, request.idempotencyKey);
  const describe = `${method} ${path}`;

  const unavailable = (reason: UnavailableReason, message: string, status?: number, cause?: unknown) =>
    new UpstreamUnavailableError(service, reason, tokens.redact(`${describe} ${message}`), {
      ...(status === undefined ? {} : { status }),
      cause,
    });
  // The call's signal aborted: the client closed, the caller gave up, or the deadline passed.
  const stop = (cause: unknown): never => {
    if (context.isClosed()) throw new Error(`the client of ${service} is closed`, { cause });
    if (request.signal?.aborted) throw request.signal.reason;
    throw unavailable(
      'timeout',
      `got no answer within its deadline of ${deadlineMs} ms${callerStallNote(cause)}`,
      undefined,
      cause,
    );
  };

  const headers = requestHeaders(request, context.options.headers?.(), context.options.traceparent?.());
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);

  let accessToken: string | undefined;
  try {
    accessToken = await tokens.get(callSignal);
  } catch (error) {
    if (callSignal.aborted) stop(error);
    // Without a token the call cannot be made: to the caller that is the service being unusable, not a bug.
    throw unavailable('unreachable', 'was not sent: no service token could be obtained', undefined, error);
  }
  let renewedToken = false;

  for (let attemptNo = 1; ; attemptNo++) {
    // One trial call at a time while half-open; the others fail fast instead of queueing behind it.
    if (breaker.trialUnderWay)
      throw unavailable('circuit-open', 'was not sent: a trial call is under way after the circuit opened');
    if (accessToken !== undefined) headers.set('authorization', `Bearer ${accessToken}`);
    const signal = attemptSignal(callSignal, context.retry.attemptTimeoutMs, deadlineAt - performance.now());

    let failure: AttemptFailure;
    try {
      const answer = await breaker.execute(() =>
        sendAttempt(context.fetch, url, { method, headers, body }, signal, cancelled),
      );
      if (answer.status === 401 && accessToken !== undefined && !renewedToken) {
        // The token expired or its key rotated: a 401 means nothing was done, so one retry is safe for any method.
        renewedToken = true;
        context.options.onUnauthorized?.();
        try {
          accessToken = await tokens.get(callSignal);
        } catch (error) {
          if (callSignal.aborted) stop(error);
          throw unavailable('unreachable', 'got 401 and no new service token could be obtained', 401, error);
        }
        attemptNo--;
        continue;
      }
      if (answer.status !== 429) {
        if (answer.status < 400) return answer;
        throw new UpstreamResponseError(
          service,
          answer.status,
          tokens.redact(`${service} refused ${describe}: ${answer.status}${problemSummary(answer)}`),
          parseProblem(answer),
        );
      }
      failure = new AttemptFailure('server-error', {
        status: 429,
        retryAfterMs: parseRetryAfterMs(answer.headers.get('retry-after')),
      });
    } catch (error) {
      if (isCircuitOpenError(error))
        throw unavailable('circuit-open', 'was not sent: the circuit is open after consecutive failures');
      if (!(error instanceof AttemptFailure)) throw error;
      if (error.kind === 'cancelled' || callSignal.aborted) stop(error);
      failure = error;
    }

    const delayMs = retryDelayMs(
      failure,
      { attemptNo, idempotent, remainingMs: deadlineAt - performance.now() },
      context.retry,
    );
    if (delayMs === undefined) throw lastFailure(failure, attemptNo);
    logger?.debug?.(
      {
        upstream: service,
        method,
        path,
        attempt: attemptNo,
        failure: failure.kind,
        status: failure.detail.status,
        delayMs,
      },
      `retrying ${describe} on ${service}`,
    );
    try {
      await sleep(delayMs, undefined, { signal: callSignal });
    } catch (error) {
      stop(error);
    }
  }

  /** The error of a call that gives up after `attempts` attempts, the last of which failed with `failure`. */
  function lastFailure(failure: AttemptFailure, attempts: number): UpstreamUnavailableError {
    const { status } = failure.detail;
    const told = attempts === 1 ? '' : ` (${attempts} attempts)`;
    if (status === 429)
      return unavailable('rate-limited', `was answered 429 Too Many Requests${told}`, 429, failure);
    if (failure.kind === 'server-error')
      return unavailable('server-error', `was answered ${status ?? '5xx'}${told}`, status, failure);
    if (failure.kind === 'timeout')
      return unavailable(
        'timeout',
        `got no answer within ${context.retry.attemptTimeoutMs ?? deadlineMs} ms${told}${callerStallNote(failure)}`,
      );
    const code = networkErrorCode(failure.cause);
    return unavailable(
      'unreachable',
      `could not reach ${new URL(context.baseUrl).host}${code === undefined ? '' : ` (${code})`}${told}`,
      undefined,
      failure.cause,
    );
  }
}
