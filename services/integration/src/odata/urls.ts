import { ODataProtocolError } from './errors.ts';
import { odataKeyPredicate, requireIdentifier } from './literals.ts';
import type { ODataKey, ODataQuery, ODataVersion } from './types.ts';

/**
 * The only place the client makes a URL: the service root (configuration, checked once) + an entity set (an
 * identifier) + an encoded key + an encoded query; and the only place a URL from outside (a next link) is let
 * in — resolved against the service root and refused unless it stays under it. Nothing else builds or follows a
 * URL (the HTTP layer follows no redirects), so no data from outside can point a request elsewhere.
 */
export class ODataUrls {
  readonly root: URL;

  constructor(serviceRoot: string) {
    this.root = checkedServiceRoot(serviceRoot);
  }

  get origin(): string {
    return this.root.origin;
  }

  /** The service document: where a v2 CSRF token is fetched. */
  serviceDocument(): URL {
    return new URL(this.root.href);
  }

  metadata(): URL {
    return new URL('$metadata', this.root);
  }

  batch(): URL {
    return new URL('$batch', this.root);
  }

  /** `<root><EntitySet>?<query>` */
  collection(entitySet: string, query: ODataQuery, version: ODataVersion): URL {
    const url = new URL(requireIdentifier(entitySet, 'entity set'), this.root);
    url.search = queryString(query, version);
    return url;
  }

  /** `<root><EntitySet>(<key>)?<query>` */
  entity(
    entitySet: string,
    key: ODataKey,
    version: ODataVersion,
    query: Pick<ODataQuery, 'select' | 'expand'> = {},
  ): URL {
    const url = new URL(this.entityPath(entitySet, key, version), this.root);
    url.search = queryString(query, version);
    return url;
  }

  /** The path of an entity relative to the service root, as a `$batch` part names it. */
  entityPath(entitySet: string, key: ODataKey, version: ODataVersion): string {
    return `${requireIdentifier(entitySet, 'entity set')}(${encodePathPart(odataKeyPredicate(key, version))})`;
  }

  /**
   * A next link from a server's page (`@odata.nextLink`, v2 `__next`), relative (to the service root) or
   * absolute. Refused unless it is http(s), on the service root's origin and under its path, without
   * credentials — a page cannot send the client to another host.
   */
  nextLink(link: string): URL {
    let url: URL;
    try {
      url = new URL(link, this.root);
    } catch (cause) {
      throw refusedLink(link, 'not a URL', cause);
    }
    if (url.origin !== this.root.origin) throw refusedLink(link, `not on ${this.root.origin}`);
    if (!url.pathname.startsWith(this.root.pathname))
      throw refusedLink(link, `not under ${this.root.pathname}`);
    if (url.username !== '' || url.password !== '') throw refusedLink(link, 'carries credentials');
    url.hash = '';
    return url;
  }
}

/** A configured service root: http(s), no credentials, query or fragment; a trailing '/' added. */
export function checkedServiceRoot(serviceRoot: string): URL {
  let url: URL;
  try {
    url = new URL(serviceRoot);
  } catch {
    throw new TypeError(`the service root is not a URL: ${JSON.stringify(serviceRoot)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`the service root must be http(s): ${url.protocol}`);
  if (url.username !== '' || url.password !== '')
    throw new TypeError('the service root must not carry credentials (they belong in the auth settings)');
  if (url.search !== '' || url.hash !== '')
    throw new TypeError('the service root must have no query or fragment');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** A configured token endpoint (OAuth2): http(s), no credentials or fragment. */
export function checkedTokenUrl(tokenUrl: string): URL {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    throw new TypeError(`the token URL is not a URL: ${JSON.stringify(tokenUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError(`the token URL must be http(s): ${url.protocol}`);
  if (url.username !== '' || url.password !== '' || url.hash !== '')
    throw new TypeError('the token URL must have no credentials or fragment');
  return url;
}

/**
 * The query string of a read: `$select`, `$filter`, `$orderby`, `$top`, `$skip`, `$expand`, and the count
 * (v4 `$count=true`, v2 `$inlinecount=allpages`). Values percent-encoded (a space as %20, never '+': OData
 * servers differ on '+'); the option names keep their '$'.
 */
export function queryString(query: ODataQuery, version: ODataVersion): string {
  const parts: string[] = [];
  const add = (name: string, value: string) => parts.push(`${name}=${encodeQueryValue(value)}`);
  if (query.select && query.select.length > 0) add('$select', query.select.join(','));
  if (query.expand && query.expand.length > 0) add('$expand', query.expand.join(','));
  if (query.filter !== undefined && query.filter !== '') add('$filter', query.filter);
  if (query.orderby !== undefined && query.orderby !== '') add('$orderby', query.orderby);
  if (query.top !== undefined) add('$top', String(nonNegativeInteger('top', query.top)));
  if (query.skip !== undefined) add('$skip', String(nonNegativeInteger('skip', query.skip)));
  if (query.count) {
    if (version === 'v4') add('$count', 'true');
    else add('$inlinecount', 'allpages');
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new TypeError(`$${name} must be a non-negative integer`);
  return value;
}

// encodeURIComponent leaves ' ( ) * ! unescaped, which OData literals and key predicates need as they are.
function encodeQueryValue(value: string): string {
  return encodeURIComponent(value);
}

function encodePathPart(predicate: string): string {
  return encodeURIComponent(predicate).replaceAll('%3D', '=').replaceAll('%2C', ',');
}

function refusedLink(link: string, reason: string, cause?: unknown): ODataProtocolError {
  return new ODataProtocolError({
    message: `next link refused (${reason}): ${link.slice(0, 200)}`,
    status: null,
    operation: 'next',
    cause,
  });
}
