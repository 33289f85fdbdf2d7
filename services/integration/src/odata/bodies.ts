import { Type, type Static, type TProperties, type TSchema } from 'typebox';
import { Compile, type Validator } from 'typebox/compile';
import { ODataProtocolError } from './errors.ts';
import type { ODataVersion } from './types.ts';

/**
 * Every body from outside is read here, through a schema, before any of it is used: a page, an entity, an
 * error, a token. A body that does not fit is an `ODataProtocolError` naming where it does not fit.
 */

const Entity = Type.Record(Type.String(), Type.Unknown());

const V4Collection = Type.Object({
  value: Type.Array(Entity),
  '@odata.nextLink': Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
  '@odata.count': Type.Optional(
    Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,15}$' })]),
  ),
});

const V2Metadata = Type.Object({ etag: Type.Optional(Type.String({ maxLength: 1024 })) });

// v2 (JSON verbose): `{ d: { results: [...], __count: "1234", __next: "https://…?$skiptoken=…" } }`; OData 1.0
// servers answer `{ d: [...] }`.
const V2Collection = Type.Object({
  d: Type.Union([
    Type.Object({
      results: Type.Array(Entity),
      __next: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
      __count: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    }),
    Type.Array(Entity),
  ]),
});

const V4Entity = Entity;
const V2Entity = Type.Object({ d: Entity });

const V4ErrorBody = Type.Object({
  error: Type.Object({ code: Type.Optional(Type.String()), message: Type.String() }),
});
const V2ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.Optional(Type.String()),
    message: Type.Object({ lang: Type.Optional(Type.String()), value: Type.String() }),
  }),
});

const TokenBody = Type.Object({
  access_token: Type.String({ minLength: 1, maxLength: 16384 }),
  token_type: Type.Optional(Type.String()),
  expires_in: Type.Optional(
    Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: '^[0-9]{1,9}$' })]),
  ),
});

const checks = {
  v4Collection: Compile(V4Collection),
  v2Collection: Compile(V2Collection),
  v4Entity: Compile(V4Entity),
  v2Entity: Compile(V2Entity),
  v4Error: Compile(V4ErrorBody),
  v2Error: Compile(V2ErrorBody),
  token: Compile(TokenBody),
  v2Metadata: Compile(V2Metadata),
};

export interface ReadPage {
  records: Record<string, unknown>[];
  count: number | null;
  nextLink: string | null;
}

export interface ReadEntity {
  record: Record<string, unknown>;
  etag: string | null;
}

/** A page of a collection: its records (v2 ones normalised, see {@link normaliseV2Record}), count, next link. */
export function readCollection(text: string, version: ODataVersion, operation: string): ReadPage {
  const body = parseJson(text, operation);
  if (version === 'v4') {
    const page = checked(checks.v4Collection, body, 'collection (v4)', operation);
    const count = page['@odata.count'];
    return {
      records: page.value,
      count: count === undefined ? null : Number(count),
      nextLink: page['@odata.nextLink'] ?? null,
    };
  }
  const page = checked(checks.v2Collection, body, 'collection (v2)', operation);
  if (Array.isArray(page.d)) return { records: page.d.map(normaliseV2Record), count: null, nextLink: null };
  return {
    records: page.d.results.map(normaliseV2Record),
    count: page.d.__count === undefined ? null : Number(page.d.__count),
    nextLink: page.d.__next ?? null,
  };
}

/** One entity and its ETag from the body (v4 `@odata.etag`, v2 `__metadata.etag`); the header wins when sent. */
export function readEntity(
  text: string,
  version: ODataVersion,
  operation: string,
  etagHeader: string | null,
): ReadEntity {
  const body = parseJson(text, operation);
  if (version === 'v4') {
    const record = checked(checks.v4Entity, body, 'entity (v4)', operation);
    const annotated = record['@odata.etag'];
    return { record, etag: etagHeader ?? (typeof annotated === 'string' ? annotated : null) };
  }
  const { d } = checked(checks.v2Entity, body, 'entity (v2)', operation);
  return { record: normaliseV2Record(d), etag: etagHeader ?? v2Etag(d) };
}

/** The server's message and code from an error body (JSON v4 or v2, or the `<message>` of an XML one). */
export function readErrorBody(text: string): { message: string | null; code: string | null } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(trimmed);
    } catch {
      return { message: null, code: null };
    }
    if (checks.v4Error.Check(body)) return { message: body.error.message, code: body.error.code ?? null };
    if (checks.v2Error.Check(body))
      return { message: body.error.message.value, code: body.error.code ?? null };
    return { message: null, code: null };
  }
  if (trimmed.startsWith('<')) {
    // SAP Gateway answers errors in XML: <error><code>…</code><message xml:lang="en">…</message></error>
    const message = /<[\w:]*message[^>]*>([^<]*)</.exec(trimmed)?.[1] ?? null;
    const code = /<[\w:]*code>([^<]*)</.exec(trimmed)?.[1] ?? null;
    return { message: message === null ? null : decodeXmlText(message), code };
  }
  return { message: null, code: null };
}

export interface TokenAnswer {
  accessToken: string;
  expiresInSeconds: number | null;
}

export function readToken(text: string): TokenAnswer {
  const body = checked(checks.token, parseJson(text, 'token'), 'token answer', 'token');
  return {
    accessToken: body.access_token,
    expiresInSeconds: body.expires_in === undefined ? null : Number(body.expires_in),
  };
}

/**
 * A v2 record as the v4 one reads: `__metadata` dropped, a deferred navigation (`{ __deferred }`) dropped, an
 * expanded to-many navigation (`{ results: [...] }`) as its array; values as sent (dates stay `/Date(…)/`, use
 * `parseODataDate`; Edm.Decimal and Edm.Int64 stay strings).
 */
export function normaliseV2Record(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (name === '__metadata') continue;
    if (isObject(value)) {
      if ('__deferred' in value) continue;
      const { results } = value;
      if (Array.isArray(results)) {
        out[name] = results.map((item: unknown) => (isObject(item) ? normaliseV2Record(item) : item));
        continue;
      }
      out[name] = '__metadata' in value ? normaliseV2Record(value) : value;
      continue;
    }
    out[name] = value;
  }
  return out;
}

function v2Etag(record: Record<string, unknown>): string | null {
  const metadata = record.__metadata;
  if (!checks.v2Metadata.Check(metadata)) return null;
  return metadata.etag ?? null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, operation: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ODataProtocolError({
      message: `the server's answer is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')}…)`,
      status: null,
      operation,
      cause,
    });
  }
}

function checked<T extends TSchema>(
  check: Validator<TProperties, T>,
  body: unknown,
  what: string,
  operation: string,
): Static<T> {
  if (check.Check(body)) return body;
  const [first] = check.Errors(body);
  throw new ODataProtocolError({
    message:
      `the server's ${what} does not fit: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim(),
    status: null,
    operation,
  });
}

function decodeXmlText(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
