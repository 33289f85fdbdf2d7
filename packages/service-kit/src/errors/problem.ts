/**
 * RFC 9457 problem details. Every error a Lessor service answers is a `ProblemError` with a code from a
 * registry (see `defineErrors`), so clients can branch on `code` and the docs can list every code.
 */

/** One field-level complaint in a validation problem: `field` is a JSON pointer into the request. */
export interface FieldError {
  field: string;
  message: string;
}

/** The body of an `application/problem+json` answer. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** What a registry says about one error code; `description` is the sentence the error docs show. */
export interface ErrorDefinition {
  status: number;
  title: string;
  description: string;
}

export interface ProblemOptions {
  detail?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members of the problem body (RFC 9457 extensions), e.g. `retryAfterSeconds`. */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

/** The `type` URI of a problem: a stable URN per code, documented in docs/errors.md. */
export function problemType(code: string): string {
  return `urn:lessor:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** An expected error, answered as problem+json with its status; never logged as a failure of the service. */
export class ProblemError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(code: string, definition: ErrorDefinition, options: ProblemOptions = {}) {
    super(
      options.detail ?? definition.title,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ProblemError';
    this.code = code;
    this.status = definition.status;
    this.title = definition.title;
    this.detail = options.detail;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  toBody(instance?: string): ProblemBody {
    return {
      ...this.extensions,
      type: problemType(this.code),
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      code: this.code,
      ...(instance === undefined ? {} : { instance }),
      ...(this.errors === undefined ? {} : { errors: this.errors }),
    };
  }
}

export type ErrorFactory = (detail?: string, options?: Omit<ProblemOptions, 'detail'>) => ProblemError;

export interface ErrorSet<Codes extends string> {
  /** The owner of these codes: `kit` or a service name; the docs group codes by it. */
  readonly owner: string;
  readonly definitions: Readonly<Record<Codes, ErrorDefinition>>;
  /** A factory per code: `errors.create.NOT_FOUND('No user 42')`. */
  readonly create: Readonly<Record<Codes, ErrorFactory>>;
  /** True when `error` is a ProblemError with this code. */
  is(error: unknown, code: Codes): error is ProblemError;
}

const registry = new Map<string, { owner: string; definition: ErrorDefinition }>();

/**
 * Declares the error codes of one owner. Codes are global: declaring one twice is a programming error and
 * throws at import time, so two services cannot give one code two meanings.
 */
export function defineErrors<const Codes extends string>(
  owner: string,
  definitions: Record<Codes, ErrorDefinition>,
): ErrorSet<Codes> {
  const create = {} as Record<Codes, ErrorFactory>;
  for (const code of Object.keys(definitions) as Codes[]) {
    const definition = definitions[code];
    const known = registry.get(code);
    if (known && (known.owner !== owner || known.definition.status !== definition.status)) {
      throw new Error(`Error code ${code} is declared by both ${known.owner} and ${owner}`);
    }
    registry.set(code, { owner, definition });
    create[code] = (detail, options = {}) => new ProblemError(code, definition, { ...options, detail });
  }
  return {
    owner,
    definitions,
    create,
    is: (error: unknown, code: Codes): error is ProblemError =>
      error instanceof ProblemError && error.code === code,
  };
}

/** Every code declared so far in this process, for the error docs and their test. */
export function registeredErrors(): ReadonlyMap<string, { owner: string; definition: ErrorDefinition }> {
  return registry;
}
