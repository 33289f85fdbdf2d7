/** What an OData call failed with; `retryable` says whether the same call may succeed later. */
export class ODataError extends Error {
  readonly status: number | null;
  readonly code: string;
  readonly retryable: boolean;
  readonly operation: string;
  /** The server's own message (v4 `error.message`, v2 `error.message.value`), when it sent one. */
  readonly serverMessage: string | null;
  /** The server's own error code (`error.code`), when it sent one. */
  readonly serverCode: string | null;
  /** The wait the server asked for (Retry-After), in ms, when it said. */
  readonly retryAfterMs: number | null;

  constructor(init: {
    message: string;
    status: number | null;
    code: string;
    retryable: boolean;
    operation: string;
    serverMessage?: string | null;
    serverCode?: string | null;
    retryAfterMs?: number | null;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.retryable = init.retryable;
    this.operation = init.operation;
    this.serverMessage = init.serverMessage ?? null;
    this.serverCode = init.serverCode ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

type Init = ConstructorParameters<typeof ODataError>[0];
type SubInit = Omit<Init, 'code' | 'retryable'>;

/** 412 (a stale ETag) or 409: re-read and decide. */
export class ODataConflictError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_CONFLICT', retryable: false });
  }
}

/** 401/403 after the token was refreshed (or with basic auth). */
export class ODataAuthError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_AUTH', retryable: false });
  }
}

/** 404: the entity or the entity set does not exist. */
export class ODataNotFoundError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_NOT_FOUND', retryable: false });
  }
}

/** Another 4xx: the server refuses this request as it is. */
export class ODataRefusedError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_REFUSED', retryable: false });
  }
}

/** 429/503 still after the retries, or a Retry-After longer than the deadline allows. */
export class ODataThrottledError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_THROTTLED', retryable: true });
  }
}

/** 5xx, a refused or broken connection: the server is down or failing. */
export class ODataUnavailableError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_UNAVAILABLE', retryable: true });
  }
}

/** The operation's deadline passed. */
export class ODataTimeoutError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_TIMEOUT', retryable: true });
  }
}

/** The server answered something the client cannot use: a body failing its schema, a next link to another origin. */
export class ODataProtocolError extends ODataError {
  constructor(init: SubInit) {
    super({ ...init, code: 'ODATA_PROTOCOL', retryable: false });
  }
}
