import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { kitErrors } from '../errors/kit.errors.ts';
import { ProblemError, type FieldError } from '../errors/problem.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turns Ajv's findings into one entry per field, named as a JSON pointer into the request part. */
export function fieldErrors(issues: readonly AjvIssue[], part: string | undefined): FieldError[] {
  const root = part === 'querystring' ? 'query' : (part ?? 'body');
  const byField = new Map<string, string>();
  for (const issue of issues) {
    let pointer = issue.instancePath;
    if (issue.keyword === 'required') pointer += `/${String(issue.params.missingProperty)}`;
    if (issue.keyword === 'additionalProperties') pointer += `/${String(issue.params.additionalProperty)}`;
    const field = `/${root}${pointer}`;
    const message =
      issue.keyword === 'additionalProperties'
        ? 'is not an accepted field'
        : isCodeList(issue)
          ? 'is not one of the accepted codes'
          : (issue.message ?? 'is not valid');
    // anyOf/oneOf branches repeat one field many times; the first message is the most specific.
    if (!byField.has(field)) byField.set(field, message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

/**
 * A pattern that lists the accepted values (`^(?:AED|AFN|…)$`, as ISO 4217 currencies are checked) would make
 * Ajv's message a wall of codes; the field's schema in the OpenAPI document lists them.
 */
function isCodeList(issue: AjvIssue): boolean {
  return issue.keyword === 'pattern' && /^\^\(\?:[A-Z0-9|]{100,}\)\$$/.test(String(issue.params.pattern));
}

/** Maps any thrown value to the ProblemError the client sees. Unknown errors become INTERNAL. */
export function toProblem(error: unknown): ProblemError {
  if (error instanceof ProblemError) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: AjvIssue[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    const errors = fieldErrors(fastifyError.validation, fastifyError.validationContext);
    return kitErrors.create.VALIDATION_FAILED(`${errors.length} field(s) failed validation`, { errors });
  }
  const pgCode = (error as { code?: unknown }).code;
  if (typeof pgCode === 'string' && /^[0-9A-Z]{5}$/.test(pgCode) && !pgCode.startsWith('FST')) {
    // Database refusals caused by the request's data are the client's to fix, not a 500.
    if (pgCode === '23505') return kitErrors.create.CONFLICT('A record with the same unique value exists');
    if (pgCode === '23503')
      return kitErrors.create.CONFLICT('The record refers to, or is referred to by, another');
    if (pgCode === '22P02' || pgCode === '22007' || pgCode === '22008' || pgCode === '22003')
      return kitErrors.create.VALIDATION_FAILED('A value has the wrong format or is out of range');
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return kitErrors.create.PAYLOAD_TOO_LARGE();
    if (status === 415) return kitErrors.create.UNSUPPORTED_MEDIA_TYPE(fastifyError.message);
    if (status === 404) return kitErrors.create.ROUTE_NOT_FOUND();
    if (status === 429) return kitErrors.create.RATE_LIMITED();
    // Malformed JSON, an empty JSON body and friends: Fastify's message is safe and says what was wrong.
    return kitErrors.create.VALIDATION_FAILED(fastifyError.message);
  }
  return kitErrors.create.INTERNAL(undefined, { cause: error });
}

/** The one error handler of every service: problem+json always, internals never. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status >= 500) {
    request.log.error({ err: problem.cause ?? error }, 'request failed');
  } else {
    request.log.info({ code: problem.code, status: problem.status }, 'request refused');
  }
  return sendProblem(reply, problem, request.url.split('?')[0]);
}

export function sendProblem(reply: FastifyReply, problem: ProblemError, instance?: string): FastifyReply {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.toBody(instance)));
}
