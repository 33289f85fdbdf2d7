/** A field the API refused, as the service kit answers it: `field` is a JSON pointer such as `/body/legalName`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem+json answer of a Lessor service (see docs/errors.md for every `code`). */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** A call the API answered with a problem (or that did not reach it: status 0). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** Whether `body` has the shape of a problem answer. */
export function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'title' in body && 'status' in body;
}

/**
 * The form's name for each field an API problem names: `/body/address/city` → `address.city`,
 * `/query/q` → `q`. A form shows each message beside its field; one it has no field for goes to the top.
 */
export function formFieldErrors(problem: Problem | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const { field, message } of problem?.errors ?? []) {
    const name = field.replace(/^\/(body|query|params|headers)\/?/, '').replaceAll('/', '.');
    result[name === '' ? '_' : name] ??= message;
  }
  return result;
}
