import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { kitErrors } from '../errors/kit.errors.ts';
import type { FieldError } from '../errors/problem.ts';
import { fieldErrors } from './problem-handler.ts';

/**
 * Input every service refuses before its handler runs (issue 12): text that PostgreSQL cannot store or that
 * would be stored changed, and JSON numbers where a schema asks for a string.
 */

/** What @fastify/ajv-compiler's factory really is at run time (its typings describe a bare Ajv compile). */
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
}
type Validate = ((value: unknown) => boolean) & { errors?: unknown[] | null };
type CompileRoute = (route: RouteSchema) => Validate;
interface CompilerOptions {
  customOptions?: Record<string, unknown>;
  [option: string]: unknown;
}
type BuildValidator = (externalSchemas: Record<string, unknown>, options?: CompilerOptions) => CompileRoute;

/** Ajv's options for every service: every field's error in one answer, unknown fields refused, not dropped. */
export const AJV_OPTIONS = {
  allErrors: true,
  removeAdditional: false,
  // For the query string, path and headers (text on the wire); bodies are never coerced (below).
  coerceTypes: 'array',
  useDefaults: true,
} as const;

let sharedCompiler: CompileRoute | undefined;

/** The part of a request a schema describes, as Fastify names it. */
export type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

/**
 * Checks a value against a schema as a service built with the kit would check that part of a request
 * (same compiler, options and coercion rules); the value is not changed. For tests that generate requests
 * from the published OpenAPI documents: whether the service must refuse them, and which fields it must name.
 */
export function requestPartValidator(
  part: HttpPart,
  schema: Record<string, unknown>,
): (value: unknown) => { valid: boolean; errors: FieldError[] } {
  sharedCompiler ??= partAwareValidator()({}, { customOptions: { ...AJV_OPTIONS } });
  const validate = sharedCompiler({ schema, method: 'POST', url: '/', httpPart: part });
  return (value) => {
    const copy: unknown = value === undefined ? undefined : structuredClone(value);
    const valid = validate(copy);
    return {
      valid,
      errors: valid ? [] : fieldErrors((validate.errors ?? []) as never, part),
    };
  };
}

/**
 * The schema controller's validator factory: request bodies are validated WITHOUT type coercion, so a JSON
 * number never passes as a decimal string (`{"amount": 1e2}` became `"100"`: a float must never become
 * money), while the query string, path parameters and headers keep coercion: they are text on the wire.
 * Both compilers are Fastify's own (@fastify/ajv-compiler), so shared schemas and formats behave as before.
 */
export function partAwareValidator(): BuildValidator {
  const build = AjvCompiler() as unknown as BuildValidator;
  return (externalSchemas, options = {}) => {
    const coercing = build(externalSchemas, options);
    const strict = build(externalSchemas, {
      ...options,
      customOptions: { ...options.customOptions, coerceTypes: false },
    });
    return (route) => (route.httpPart === 'body' ? strict : coercing)(route);
  };
}

/** Fastify's refusals of a path it cannot route, as the kit's validation problem naming the path. */
export function pathRefusal(error: Error & { code?: string }): Error {
  if (error.code === 'FST_ERR_BAD_URL') {
    return kitErrors.create.VALIDATION_FAILED('The path is not valid percent-encoded UTF-8', {
      errors: [{ field: '/params', message: 'is not valid percent-encoded UTF-8' }],
    });
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return kitErrors.create.VALIDATION_FAILED('A path parameter is longer than 100 characters', {
      errors: [{ field: '/params', message: 'must not be longer than 100 characters' }],
    });
  }
  return error;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON and plain-text bodies decoded as strict UTF-8: a body with bytes that are not UTF-8 is refused with
 * 400, where Node's decoder would have replaced them with U+FFFD and the service stored the damaged text.
 * JSON is then parsed by Fastify's own parser (prototype poisoning refused, empty body refused).
 */
export function installStrictBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  const decode = (body: Buffer): string => {
    try {
      return utf8.decode(body);
    } catch {
      throw kitErrors.create.VALIDATION_FAILED('The request body is not valid UTF-8', {
        errors: [{ field: '/body', message: 'is not valid UTF-8' }],
      });
    }
  };
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = decode(body as Buffer);
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, decode(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}

/** JSON pointer escaping of one reference token (RFC 6901). */
const token = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

const MAX_NUL_ERRORS = 20;

/** Every place in `value` where a string (or an object key) holds U+0000, as pointers below `root`. */
function nulFields(value: unknown, root: string, found: FieldError[], depth = 0): void {
  if (found.length >= MAX_NUL_ERRORS || depth > 64) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ field: root, message: 'must not contain the NUL character' });
    return;
  }
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => nulFields(item, `${root}/${index}`, found, depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const pointer = `${root}/${token(key)}`;
    if (key.includes('\u0000')) found.push({ field: pointer, message: 'must not contain the NUL character' });
    else nulFields(item, pointer, found, depth + 1);
  }
}

/**
 * Refuses U+0000 anywhere in a request's strings — body, query, path parameters and headers — with 400
 * naming each field. PostgreSQL's text cannot hold it (the query failed with 500), and no business value
 * needs it. Runs before schema validation, so the answer names the NUL even in a field the schema refuses.
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const found: FieldError[] = [];
    nulFields(request.params, '/params', found);
    nulFields(request.query, '/query', found);
    nulFields(request.headers, '/headers', found);
    nulFields(request.body, '/body', found);
    if (found.length > 0) {
      throw kitErrors.create.VALIDATION_FAILED('Text must not contain the NUL character (U+0000)', {
        errors: found,
      });
    }
  });
}
