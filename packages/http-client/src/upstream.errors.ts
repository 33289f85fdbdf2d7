/**
 * Why a call to another service got no usable answer. None of these is the caller's fault, so a read may
 * fall back to cached reference data and a write answers its own client with a 503 problem.
 * - `timeout`: no answer within the call's deadline (or an attempt's timeout, with no time left to retry);
 * - `unreachable`: the connection failed (refused, reset, DNS), or no service token could be obtained;
 * - `circuit-open`: the breaker is open after consecutive failures; no request was sent;
 * - `server-error`: a 5xx answer (after retries when the call was retryable), or a JSON answer that does not parse;
 * - `rate-limited`: 429 and its `Retry-After` does not fit in the deadline.
 */
export type UnavailableReason = 'timeout' | 'unreachable' | 'circuit-open' | 'server-error' | 'rate-limited';

/** The other service could not be used: down, slow, failing or shed by the breaker. */
export class UpstreamUnavailableError extends Error {
  override readonly name = 'UpstreamUnavailableError';
  /** The service that was called, e.g. `parties`. */
  readonly service: string;
  readonly reason: UnavailableReason;
  /** HTTP status of the last answer, when there was one (`server-error`, `rate-limited`). */
  readonly status: number | undefined;

  constructor(
    service: string,
    reason: UnavailableReason,
    message: string,
    details: { status?: number; cause?: unknown } = {},
  ) {
    super(`${service} is unavailable (${reason}): ${message}`, { cause: details.cause });
    this.service = service;
    this.reason = reason;
    this.status = details.status;
  }
}

/**
 * The other service answered and refused the request (a 4xx other than 429). Retrying will not help; the
 * caller decides what the refusal means for its own client (a 404 of a party is a 422 of a contract).
 */
export class UpstreamResponseError extends Error {
  override readonly name = 'UpstreamResponseError';
  readonly service: string;
  readonly status: number;
  /** The answer's body: an RFC 9457 problem object from a Lessor service, or text from anything else. */
  readonly problem: unknown;

  constructor(service: string, status: number, message: string, problem: unknown) {
    super(message);
    this.service = service;
    this.status = status;
    this.problem = problem;
  }
}
