import { Agent, request as httpRequest } from 'node:http';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestPartValidator, type HttpPart } from '@lessor/service-kit';
import { testBackends } from '@lessor/service-kit/testing';
import { ADMIN_PASSWORD, bootForTest, type BootedForTest } from './support/booted-system.ts';

/**
 * Bad input against every operation of every service (issue 12, "keep it from coming back"). It reads each
 * service's committed `openapi.json` — a new service is covered as soon as it has one — boots the whole
 * system as `npm start` does, signs in as the first admin (every permission) and sends, per operation,
 * requests generated with fast-check from the operation's schemas: valid ones, and ones with one part
 * broken (a field of the wrong type, removed or unknown, boundary numbers, NUL, a 100 kB string, a garbage
 * cursor, traversal in a path parameter, a body that is not JSON or not UTF-8). It asserts:
 *
 * - no answer is 5xx;
 * - every 4xx is `application/problem+json`;
 * - a request that the published schema refuses (checked with the kit's own validator), or that holds a NUL,
 *   is refused with 400 naming the field in `errors[]` (a path parameter may also answer 404).
 *
 * Fixed seed and bounded count: `FUZZ_SEED` and `FUZZ_SCALE` (a multiplier of the per-operation counts)
 * change them. docs/reliability.md records the figures and how to rerun.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (count: number) => Math.max(1, Math.round(count * SCALE));
const CONCURRENCY = 8;

type Schema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
  schema: Schema;
}

interface Operation {
  service: string;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { contentType: string; schema: Schema; required: boolean };
}

/** Where a request was broken, and how: what the service must name when it refuses it. */
interface Mutation {
  part: 'path' | 'query' | 'header' | 'body';
  pointer: string;
  kind: string;
}

interface FuzzRequest {
  path: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: { json: unknown } | { raw: Buffer; contentType: string };
  mutation?: Mutation;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Every operation of every service with a committed openapi.json. */
function operations(): Operation[] {
  const found: Operation[] = [];
  for (const service of readdirSync(`${root}services`).sort()) {
    const file = `${root}services/${service}/openapi.json`;
    if (!existsSync(file)) continue;
    const document = JSON.parse(readFileSync(file, 'utf8')) as {
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>;
    };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const requestBody = operation.requestBody as
          { required?: boolean; content: Record<string, { schema: Schema }> } | undefined;
        const [contentType, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
        found.push({
          service,
          method: method.toUpperCase(),
          path,
          parameters: (operation.parameters ?? []).map((parameter) => ({
            ...parameter,
            required: parameter.required === true,
          })),
          ...(contentType && media
            ? { body: { contentType, schema: media.schema, required: requestBody?.required === true } }
            : {}),
        });
      }
    }
  }
  return found;
}

// ---- values a schema accepts -------------------------------------------------------------------------

const isoDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

function typeOf(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null') ?? 'null';
  return schema.type;
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.max(min, Math.min(schema.maxLength ?? 24, 24));
  const fits = (text: string) =>
    text.length >= min && text.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return isoDate;
    case 'date-time':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2060-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString());
    case 'email':
      return fc.constantFrom('a@example.com', 'fuzz.user@example.org');
    case 'uri':
      return fc.constantFrom('https://example.com/x', 'http://localhost:1/');
    default:
  }
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter(fits)
      .map((text) => text);
  }
  return fc.string({ minLength: min, maxLength: max, unit: 'grapheme' });
}

function numberFor(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e6);
  const low = Math.max(min, -1e9);
  const high = Math.min(max, 1e9);
  return integer
    ? fc.oneof(fc.integer({ min: Math.ceil(low), max: Math.floor(high) }), fc.constantFrom(low, high))
    : fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true });
}

/** A value the schema accepts (as far as a generator can tell: the kit's validator has the last word). */
function valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return fc.oneof(...branches.map((branch) => valid(branch, depth)));
  if (schema.allOf && schema.allOf.length > 0) return valid(Object.assign({}, ...schema.allOf), depth);
  switch (typeOf(schema)) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 4) return fc.constant([]);
      const minLength = schema.minItems ?? 0;
      return fc.array(valid(schema.items ?? {}, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 3, 3)),
      });
    }
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, property]) => [key, valid(property, depth + 1)]),
      );
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in properties) });
    }
    default:
      return fc.constantFrom('x', 1, {}, null);
  }
}

// ---- bad values -------------------------------------------------------------------------------------

const HUGE = 'x'.repeat(100_000);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** JSON values a field should not hold: wrong types, boundaries, NUL, a 100 kB string, odd text. */
const badJson = fc.constantFrom<unknown>(
  1e2,
  0.1,
  -1,
  0,
  -0,
  2_147_483_648,
  Number.MAX_SAFE_INTEGER,
  2 ** 53,
  1e308,
  -1e308,
  true,
  null,
  [],
  {},
  [1, 'a'],
  { nested: { deeper: ['\u0000'] } },
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  HUGE,
  'y'.repeat(300),
  '1'.repeat(40),
  '999999999999999999999.99',
  '-0.00',
  '1e2',
  'NaN',
  'Infinity',
  '\ud800',
  '\u202eevil',
  '💥'.repeat(50),
  '0000-00-00',
  '2026-02-30',
  '9999-12-31',
  '-000001-01-01',
  '00000000-0000-0000-0000-000000000000',
  'ZZZ',
  "'; drop table x; --",
  '../../etc/passwd',
);

/** Query values: all text on the wire. Garbage cursors are among them (every list has `cursor`). */
const badQuery = fc.constantFrom<string | string[]>(
  'garbage',
  '',
  '\u0000',
  'a\u0000b',
  'q'.repeat(8000),
  '-1',
  '0',
  '1.5',
  '1e2',
  '99999999999999999999',
  'true',
  '../..',
  '%',
  '00000000-0000-0000-0000-000000000000',
  '9999-12-31',
  '0000-01-01',
  '2026-13-45',
  '💥',
  b64('{"x":1}'),
  b64('[]'),
  b64('["a"]'),
  b64('[1,2,3]'),
  b64('{"id":"x"}'),
  b64('{"id":1}'),
  b64('["createdAt","2026-01-01","not-a-uuid"]'),
  b64(`["-createdAt","${'9'.repeat(30)}","00000000-0000-0000-0000-000000000000"]`),
  b64('\u0000'),
  b64('null'),
  ['a', 'b'],
  ['1', '2', '3'],
);

/** Path segments as they go on the wire (already encoded): traversal, NUL, odd and long ids. */
const badPath = fc.constantFrom(
  '..',
  '../..',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2f..',
  '..%5c..',
  '%00',
  'a%00b',
  'p'.repeat(4000),
  '%ZZ',
  '%C0%AF',
  '%FF',
  'null',
  '0',
  '-1',
  '1e2',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '%F0%9F%92%A5',
  '%20',
);

const badHeader = fc.constantFrom(
  'garbage',
  '*',
  '"x"',
  'W/"-1"',
  '"99999999999999999999"',
  '',
  'h'.repeat(4000),
);

// ---- building requests ------------------------------------------------------------------------------

/** Every JSON pointer inside a value, the root included. */
function pointersOf(value: unknown, at = ''): string[] {
  const here = [at];
  if (Array.isArray(value))
    return here.concat(...value.map((item, index) => pointersOf(item, `${at}/${index}`)));
  if (value !== null && typeof value === 'object') {
    return here.concat(
      ...Object.entries(value).map(([key, item]) =>
        pointersOf(item, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
      ),
    );
  }
  return here;
}

function tokensOf(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A copy of `value` with the node at `pointer` replaced (or removed when `replacement` is `REMOVE`). */
const REMOVE = Symbol('remove');
function edited(value: unknown, pointer: string, replacement: unknown): unknown {
  const tokens = tokensOf(pointer);
  if (tokens.length === 0) return replacement === REMOVE ? undefined : replacement;
  const copy = structuredClone(value) as Record<string, unknown>;
  let parent = copy as Record<string, unknown> | unknown[];
  for (const token of tokens.slice(0, -1)) parent = (parent as Record<string, unknown>)[token] as never;
  const last = tokens.at(-1)!;
  if (replacement === REMOVE) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else (parent as Record<string, unknown>)[last] = replacement;
  return copy;
}

const asQueryText = (value: unknown): string | string[] =>
  Array.isArray(value) ? value.map((item) => String(item)) : String(value);

function validParts(operation: Operation) {
  const pick = (where: Parameter['in']) =>
    operation.parameters
      .filter((parameter) => parameter.in === where)
      .map((parameter) => ({ parameter, value: valid(parameter.schema) }));
  const optional = <T>(arbitrary: fc.Arbitrary<T>, required: boolean) =>
    required ? arbitrary : fc.option(arbitrary, { nil: undefined, freq: 3 });
  const path = fc.record(
    Object.fromEntries(
      pick('path').map(({ parameter, value }) => [
        parameter.name,
        value.map((v) => encodeURIComponent(String(v))),
      ]),
    ),
  );
  const query = fc.record(
    Object.fromEntries(
      pick('query').map(({ parameter, value }) => [
        parameter.name,
        optional(value.map(asQueryText), parameter.required),
      ]),
    ),
  );
  const headers = fc.record(
    Object.fromEntries(
      pick('header').map(({ parameter, value }) => [
        parameter.name,
        optional(
          value.map((text) => String(text).replace(/[^\x20-\x7e]/g, 'x')),
          parameter.required,
        ),
      ]),
    ),
  );
  const body = operation.body ? valid(operation.body.schema) : fc.constant(undefined);
  return fc.record({ path, query, headers, body }).map(({ path, query, headers, body }) => {
    const defined = <T>(record: Record<string, T | undefined>) =>
      Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Record<
        string,
        T
      >;
    const request: FuzzRequest = {
      path: path as Record<string, string>,
      query: defined(query as Record<string, string | string[] | undefined>),
      headers: defined(headers as Record<string, string | undefined>),
    };
    if (operation.body && body !== undefined) request.body = { json: body };
    return request;
  });
}

/** Requests for one operation: some valid, most with one part broken. */
function requestsFor(operation: Operation, seed: number): FuzzRequest[] {
  const base = validParts(operation);
  const names = (where: Parameter['in']) =>
    operation.parameters.filter((parameter) => parameter.in === where).map((parameter) => parameter.name);
  const sample = (arbitrary: fc.Arbitrary<FuzzRequest>, count: number, salt: number) =>
    fc.sample(arbitrary, { seed: seed + salt, numRuns: runs(count) });

  const requests = sample(base, 3, 0);

  if (names('path').length > 0) {
    const broken = fc
      .tuple(base, fc.constantFrom(...names('path')), badPath)
      .map(([request, name, segment]) => ({
        ...request,
        path: { ...request.path, [name]: segment },
        mutation: { part: 'path', pointer: `/params/${name}`, kind: `path ${segment.slice(0, 20)}` },
      })) as fc.Arbitrary<FuzzRequest>;
    requests.push(...sample(broken, 6, 1));
  }
  const queryNames = [...names('query'), 'unknownParameter'];
  if (names('query').length > 0 || operation.method === 'GET') {
    const broken = fc.tuple(base, fc.constantFrom(...queryNames), badQuery).map(([request, name, value]) => ({
      ...request,
      query: { ...request.query, [name]: value },
      mutation: { part: 'query', pointer: `/query/${name}`, kind: 'query value' },
    })) as fc.Arbitrary<FuzzRequest>;
    requests.push(...sample(broken, names('query').length > 0 ? 8 : 2, 2));
  }
  if (names('header').length > 0) {
    const broken = fc
      .tuple(base, fc.constantFrom(...names('header')), badHeader)
      .map(([request, name, value]) => ({
        ...request,
        headers: { ...request.headers, [name]: value },
        mutation: { part: 'header', pointer: `/headers/${name}`, kind: 'header value' },
      })) as fc.Arbitrary<FuzzRequest>;
    requests.push(...sample(broken, 3, 3));
  }
  if (operation.body) {
    const json = operation.body.contentType === 'application/json';
    const field = base.chain((request) => {
      const value = (request.body as { json: unknown } | undefined)?.json;
      const pointers = pointersOf(value);
      return fc.tuple(
        fc.constant(request),
        fc.constantFrom(...pointers),
        fc.oneof(
          { weight: 6, arbitrary: badJson.map((bad) => ({ kind: 'value', bad })) },
          { weight: 2, arbitrary: fc.constant({ kind: 'removed', bad: REMOVE as unknown }) },
          { weight: 1, arbitrary: fc.constant({ kind: 'unknown field', bad: undefined as unknown }) },
        ),
      );
    });
    const brokenField = field.map(([request, pointer, { kind, bad }]) => {
      const value = (request.body as { json: unknown } | undefined)?.json;
      let body: unknown;
      let at = pointer;
      if (kind === 'unknown field') {
        const target = tokensOf(pointer).reduce<unknown>(
          (node, token) => (node as Record<string, unknown>)[token],
          value,
        );
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
          at = `${pointer}/fuzzUnknownField`;
          body = edited(value, at, 'surprise');
        } else body = edited(value, pointer, { fuzzUnknownField: 1 });
      } else body = edited(value, pointer, bad);
      return {
        ...request,
        body: body === undefined ? undefined : { json: body },
        mutation: {
          part: 'body',
          pointer: `/body${at}`,
          kind: kind === 'value' ? `value ${JSON.stringify(bad)?.slice(0, 30)}` : kind,
        },
      } as FuzzRequest;
    });
    requests.push(...sample(brokenField, json ? 14 : 6, 4));
    const contentType = operation.body.contentType;
    const rawBodies = fc.constantFrom(
      { raw: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]), kind: 'not UTF-8' },
      { raw: Buffer.from('{"a": '), kind: 'not JSON' },
      { raw: Buffer.from(''), kind: 'empty' },
      { raw: Buffer.from('[]'), kind: 'array' },
      { raw: Buffer.from('"text"'), kind: 'string' },
      { raw: Buffer.from('null'), kind: 'null' },
      { raw: Buffer.from('{"__proto__": {"admin": true}}'), kind: 'proto' },
      { raw: Buffer.from('a\u0000b'), kind: 'NUL' },
      { raw: Buffer.from(HUGE), kind: 'huge' },
    );
    const brokenWhole = fc.tuple(base, rawBodies).map(([request, { raw, kind }]) => ({
      ...request,
      body: { raw, contentType },
      mutation: { part: 'body', pointer: '/body', kind: `body ${kind}` },
    })) as fc.Arbitrary<FuzzRequest>;
    requests.push(...sample(brokenWhole, 4, 5));
  }
  return requests;
}

// ---- ids met on the way -----------------------------------------------------------------------------

/**
 * Ids seen in 2xx answers, by the collection they belong to (`assets/v1/parties`): half of the valid requests
 * to `/v1/parties/{id}/…` then name a party that exists, so changes, transitions and sub-resources meet real
 * rows and not only 404. Each service's pool is its own (ids are per service).
 */
const knownIds = new Map<string, string[]>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/v1/assets/{id}/insurance-policies/{policyId}` → the collection of each parameter. */
function collectionsOf(path: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of path.matchAll(/\{([^}]+)\}/g)) found.set(match[1]!, path.slice(0, match.index - 1));
  return found;
}

function remember(operation: Operation, answer: unknown): void {
  // The collection the answer's ids belong to: the path without a trailing `/{param}` (an action's answer,
  // `/v1/contracts/{id}/approve`, lands under a key no parameter reads).
  const collection = operation.path.replace(/\/\{[^}]+\}$/, '');
  const record = (value: unknown) => {
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || !UUID.test(id)) return;
    const key = `${operation.service}${collection}`;
    const pool = knownIds.get(key) ?? [];
    if (!pool.includes(id) && pool.length < 20) pool.push(id);
    knownIds.set(key, pool);
  };
  record(answer);
  const items = (answer as { items?: unknown } | null)?.items;
  if (Array.isArray(items)) items.slice(0, 5).forEach(record);
}

/** A valid request's path with known ids put in, for every other request (by its place in the batch). */
function withKnownIds(operation: Operation, request: FuzzRequest, index: number): FuzzRequest {
  if (index % 2 === 1) return request;
  const path = { ...request.path };
  let changed = false;
  for (const [name, collection] of collectionsOf(operation.path)) {
    if (request.mutation?.part === 'path' && request.mutation.pointer === `/params/${name}`) continue;
    const pool = knownIds.get(`${operation.service}${collection}`);
    if (!pool || pool.length === 0) continue;
    path[name] = pool[index % pool.length]!;
    changed = true;
  }
  return changed ? { ...request, path } : request;
}

// ---- sending and judging ----------------------------------------------------------------------------

interface Sent {
  operation: Operation;
  request: FuzzRequest;
  url: string;
  status: number;
  contentType: string;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function encodeQuery(query: FuzzRequest['query']): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(item)}`);
    }
  }
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}

function bodyBytes(operation: Operation, request: FuzzRequest): { bytes?: Buffer; contentType?: string } {
  if (!request.body) return {};
  if ('raw' in request.body) return { bytes: request.body.raw, contentType: request.body.contentType };
  const contentType = operation.body!.contentType;
  const { json } = request.body;
  if (contentType === 'application/json')
    return { bytes: Buffer.from(JSON.stringify(json) ?? ''), contentType };
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
      for (const [key, value] of Object.entries(json))
        form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return { bytes: Buffer.from(form.toString()), contentType };
  }
  return { bytes: Buffer.from(typeof json === 'string' ? json : (JSON.stringify(json) ?? '')), contentType };
}

async function send(base: string, token: string, operation: Operation, request: FuzzRequest): Promise<Sent> {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => request.path[name] ?? 'missing');
  const url = `${path}${encodeQuery(request.query)}`;
  const { bytes, contentType } = bodyBytes(operation, request);
  const target = new URL(base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: operation.method,
        path: url,
        headers: {
          authorization: `Bearer ${token}`,
          ...request.headers,
          ...(bytes ? { 'content-type': contentType, 'content-length': bytes.length } : {}),
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            operation,
            request,
            url,
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`timeout: ${operation.method} ${url}`)));
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

/** The kit's validator for each part of an operation, built once. */
function validatorsOf(operation: Operation) {
  const objectOf = (where: Parameter['in']) => {
    const parameters = operation.parameters.filter((parameter) => parameter.in === where);
    return {
      type: 'object',
      properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
      required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
    };
  };
  const make = (part: HttpPart, schema: Record<string, unknown>) => requestPartValidator(part, schema);
  return {
    params: make('params', objectOf('path')),
    querystring: make('querystring', objectOf('query')),
    headers: make('headers', objectOf('header')),
    body: operation.body ? make('body', operation.body.schema) : undefined,
  };
}

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The fields the service must name when it refuses, or undefined when the request may be valid. */
function mustRefuse(operation: Operation, request: FuzzRequest, validators: ReturnType<typeof validatorsOf>) {
  const params: Record<string, string> = {};
  for (const [name, segment] of Object.entries(request.path)) {
    const decoded = decodeSegment(segment);
    if (decoded === undefined) return { fields: [], pathBroken: true };
    params[name] = decoded;
  }
  // Fastify validates params, body, query string and headers in this order and answers the first failing part.
  const parts: string[][] = [validators.params(params).errors.map((error) => error.field)];
  if (validators.body && request.body && 'json' in request.body) {
    if (operation.body!.contentType === 'application/json') {
      const asSent = JSON.parse(JSON.stringify(request.body.json) ?? 'null') as unknown;
      parts.push(validators.body(asSent).errors.map((error) => error.field));
    }
  } else if (validators.body && !request.body && operation.body?.required) {
    parts.push(['/body']);
  }
  parts.push(validators.querystring(request.query).errors.map((error) => error.field));
  parts.push(validators.headers(request.headers).errors.map((error) => error.field));
  const fields = parts.find((part) => part.length > 0) ?? [];
  // The kit refuses NUL before any schema, naming only where it is.
  // A body of another type goes as text: only a string holds a real NUL there (JSON text holds `\u0000`).
  const json = request.body && 'json' in request.body ? request.body.json : undefined;
  const textBody = operation.body && !/json|x-www-form-urlencoded/.test(operation.body.contentType);
  const form = operation.body?.contentType === 'application/x-www-form-urlencoded';
  const body =
    textBody && typeof json !== 'string'
      ? undefined
      : form && json !== null && typeof json === 'object'
        ? Object.fromEntries(Object.entries(json).filter(([, value]) => typeof value === 'string'))
        : json;
  const nul = [
    ...nulPointers(params, '/params'),
    ...nulPointers(request.query, '/query'),
    ...nulPointers(body, '/body'),
  ];
  if (nul.length > 0) return { fields: nul, pathBroken: request.mutation?.part === 'path' };
  return { fields, pathBroken: request.mutation?.part === 'path' };
}

function nulPointers(value: unknown, root: string): string[] {
  return pointersOf(value)
    .filter((pointer) => {
      const node = tokensOf(pointer).reduce<unknown>(
        (at, token) => (at as Record<string, unknown>)[token],
        value,
      );
      return typeof node === 'string' && node.includes('\u0000');
    })
    .map((pointer) => `${root}${pointer}`);
}

function describeRequest(sent: Sent): string {
  const body = sent.request.body
    ? 'json' in sent.request.body
      ? JSON.stringify(sent.request.body.json)
      : `<${sent.request.body.raw.length} bytes>`
    : '';
  return `${sent.operation.service} ${sent.operation.method} ${sent.url.slice(0, 200)} ${body.slice(0, 200)} [${sent.request.mutation?.kind ?? 'valid'}] → ${sent.status} ${sent.text.slice(0, 300)}`;
}

const PART_ORDER = ['/params', '/body', '/query', '/headers'];
const rank = (field: string) => {
  const index = PART_ORDER.findIndex((part) => field === part || field.startsWith(`${part}/`));
  return index === -1 ? PART_ORDER.length : index;
};
const compatible = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

// ---- the test ---------------------------------------------------------------------------------------

// PostgreSQL (the configured server or the run's embedded one) and the in-process bus.
const [backend] = testBackends() as ['postgres'];

describe(`fuzzing every operation of every service's openapi.json on ${backend}`, () => {
  let booted: BootedForTest;
  let token: string;
  const all = operations();

  beforeAll(async () => {
    const started = performance.now();
    booted = await bootForTest({ backend, broker: 'in-process' });
    token = await booted.login('admin', ADMIN_PASSWORD);
    console.log(`API fuzz: the system booted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
  afterAll(async () => {
    agent.destroy();
    await booted?.close();
  });

  it('should cover every service in SYSTEM that has an openapi.json', () => {
    const services = new Set(all.map((operation) => operation.service));
    for (const service of services) expect(booted.system.urls.get(service), service).toBeDefined();
    expect(services.size).toBeGreaterThanOrEqual(8);
  });

  /** A call straight to one service (not through the gateway), answering status, type and parsed body. */
  const direct = async (service: string, method: string, url: string, body?: unknown) => {
    const response = await fetch(`${booted.system.urls.get(service)}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: (text ? JSON.parse(text) : undefined) as { code?: string; errors?: { field: string }[] },
    };
  };
  const fieldsOf = (answer: Awaited<ReturnType<typeof direct>>) =>
    (answer.body.errors ?? []).map((error) => error.field);

  // The cases of issue 12 as reported, each against the service it was found in.
  it('should answer 400 INVALID_CURSOR for a garbage cursor on every parked-events list', async () => {
    for (const service of ['audit', 'assets', 'leasing', 'billing', 'finance']) {
      for (const cursor of ['garbage', 'eyJpZCI6MX0', '1.5']) {
        const answer = await direct(service, 'GET', `/v1/events/parked?cursor=${cursor}`);
        expect(answer.status, `${service} ${cursor}`).toBe(400);
        expect(answer.type).toMatch(/^application\/problem\+json/);
        expect(answer.body.code).toBe('INVALID_CURSOR');
      }
    }
  });

  it('should refuse NUL in the query and body fields where it reached PostgreSQL, naming them', async () => {
    const cases: [string, string, string, unknown, string][] = [
      ['audit', 'GET', '/v1/events/parked?type=%00', undefined, '/query/type'],
      ['parties', 'GET', '/v1/parties?q=%00', undefined, '/query/q'],
      ['audit', 'GET', '/v1/records?actor=%00', undefined, '/query/actor'],
      ['parties', 'POST', '/v1/parties', { kind: 'company', name: 'a\u0000b', country: 'DE' }, '/body/name'],
    ];
    for (const [service, method, url, body, field] of cases) {
      const answer = await direct(service, method, url, body);
      expect(answer.status, `${service} ${url}`).toBe(400);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(fieldsOf(answer)).toContain(field);
    }
  });

  it('should refuse a party whose body is not valid UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"kind":"company","name":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from(' GmbH","country":"DE"}'),
    ]);
    const answer = await direct('parties', 'POST', '/v1/parties', latin1);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
  });

  it('should refuse amounts sent as JSON numbers on payments, calculations and journal entries', async () => {
    const cases: [string, string, unknown, string][] = [
      [
        'billing',
        '/v1/payments',
        { amount: { amount: 1e2, currency: 'EUR' }, valueDate: '2026-12-01', reference: 'LC-2026-000001' },
        '/body/amount',
      ],
      [
        'billing',
        '/v1/payments',
        {
          contractId: '01a2a2a2-0000-7000-8000-000000000001',
          amount: 0.1,
          valueDate: '2026-12-01',
          reference: 'x',
        },
        '/body/amount',
      ],
      [
        'leasing',
        '/v1/calculations',
        {
          assetPrice: { amount: 120000, currency: 'EUR' },
          termMonths: 36,
          annualRate: '5.5',
          scheduleType: 'annuity',
          startDate: '2027-01-01',
        },
        '/body/assetPrice/amount',
      ],
      [
        'finance',
        '/v1/entries',
        {
          description: 'a float is not money',
          lines: [
            { accountCode: '1000', side: 'debit', amount: 1e2 },
            { accountCode: '2200', side: 'credit', amount: '100.00' },
          ],
        },
        '/body/lines/0/amount',
      ],
    ];
    for (const [service, url, body, field] of cases) {
      const answer = await direct(service, 'POST', url, body);
      expect(answer.status, `${service} ${url} ${JSON.stringify(body)}`).toBe(400);
      expect(
        fieldsOf(answer).some((named) => named === field || named.startsWith(`${field}/`)),
        fieldsOf(answer).join(', '),
      ).toBe(true);
    }
  });

  it(
    'should answer bad input without 5xx, with problem+json, naming the field',
    { timeout: 300_000 * Math.max(1, SCALE) },
    async () => {
      const problems: string[] = [];
      const figures = new Map<
        string,
        { requests: number; fiveXx: number; ok: number; operations: number; ms: number }
      >();
      // Creating operations first, so later reads and changes may meet what they made.
      const creates = (operation: Operation) => operation.method === 'POST' && !operation.path.includes('{');
      const ordered = [...all.filter(creates), ...all.filter((operation) => !creates(operation))];
      let generation = 0;
      for (const operation of ordered) {
        const base = booted.system.urls.get(operation.service)!;
        const seed = SEED + hash(`${operation.method} ${operation.service}${operation.path}`);
        const generating = performance.now();
        const requests = requestsFor(operation, seed);
        const validators = validatorsOf(operation);
        generation += performance.now() - generating;
        const figure = figures.get(operation.service) ?? {
          requests: 0,
          fiveXx: 0,
          ok: 0,
          operations: 0,
          ms: 0,
        };
        const started = performance.now();
        figure.operations++;
        figures.set(operation.service, figure);
        for (let start = 0; start < requests.length; start += CONCURRENCY) {
          const batch = requests
            .slice(start, start + CONCURRENCY)
            .map((request, offset) => withKnownIds(operation, request, start + offset));
          const answers = await Promise.all(batch.map((request) => send(base, token, operation, request)));
          for (const sent of answers) {
            figure.requests++;
            if (sent.status < 300) {
              figure.ok++;
              if (sent.contentType.startsWith('application/json')) remember(operation, JSON.parse(sent.text));
            }
            if (sent.status >= 500) {
              figure.fiveXx++;
              problems.push(`5xx: ${describeRequest(sent)}`);
              continue;
            }
            // OAuth 2.0 answers its token errors as application/json (RFC 6749 §5.2), with the problem's fields.
            const oauth = operation.path === '/v1/oauth/token';
            if (sent.status >= 400 && !oauth && !sent.contentType.startsWith('application/problem+json')) {
              problems.push(`not problem+json: ${describeRequest(sent)}`);
              continue;
            }
            const expected = mustRefuse(operation, sent.request, validators);
            if (expected.fields.length === 0) continue;
            const allowed = expected.pathBroken ? [400, 404] : [400, 413];
            if (!allowed.includes(sent.status)) {
              problems.push(`not refused (${expected.fields.join(', ')}): ${describeRequest(sent)}`);
              continue;
            }
            if (sent.status !== 400) continue;
            const named = ((JSON.parse(sent.text) as { errors?: { field: string }[] }).errors ?? []).map(
              (error) => error.field,
            );
            // A refusal of an earlier part than the published schema foresees (the code is ahead of the committed
            // openapi.json) still names a field.
            const earlier = named.some((field) => rank(field) < Math.min(...expected.fields.map(rank)));
            if (
              !earlier &&
              !named.some((field) => expected.fields.some((wanted) => compatible(field, wanted)))
            ) {
              problems.push(
                `field not named (${expected.fields.join(', ')}; named ${named.join(', ') || 'none'}): ${describeRequest(sent)}`,
              );
            }
          }
        }
        figure.ms += performance.now() - started;
      }
      const table = [...figures]
        .map(
          ([service, { requests, fiveXx, ok, operations, ms }]) =>
            `${service.padEnd(10)} ${String(operations).padStart(4)} operations ${String(requests).padStart(6)} requests ${String(ok).padStart(5)} 2xx ${String(fiveXx).padStart(4)} 5xx ${(ms / 1000).toFixed(1).padStart(6)} s`,
        )
        .join('\n');
      const total = [...figures.values()].reduce((sum, figure) => sum + figure.requests, 0);
      console.log(
        `API fuzz (seed ${SEED}, scale ${SCALE}, ${backend}): ${total} requests, ${(generation / 1000).toFixed(1)} s generating them\n${table}`,
      );
      if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, `${problems.join('\n')}\n`);
      expect(problems.slice(0, 40), `${problems.length} problem(s)`).toEqual([]);
    },
  );
});

/** A small stable hash (FNV-1a), so each operation keeps its own samples when others are added. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    value ^= text.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value % 1_000_000;
}
