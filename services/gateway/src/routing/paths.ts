/**
 * How the gateway reads a path before it routes it: pure functions, loaded with the gateway's definition (its
 * `rewriteUrl` and `metricsPermission` are here) without the proxy's code.
 */

/** The gateway's own API, reached like any other service's: /api/gateway/… */
export const SELF = 'gateway';

/** Reading every service's metrics through the gateway (and the gateway's own on its public port). */
export const METRICS_PERMISSION = 'gateway:metrics:read';

/**
 * The URL the gateway routes a request by: `/api/gateway<rest>` becomes `<rest>` (the gateway's own API, as
 * the service-kit registers it), the bytes as they came; any other URL is left as it is. Applied before
 * routing (Fastify's rewriteUrl), so the gateway's own routes answer in one pass, with the request's own id,
 * trace, log lines and metrics — until issue 13 they were forwarded to itself as a second request (inject),
 * which cost a whole second request cycle on every contract card.
 */
export function ownPath(url: string): string {
  const prefix = `/api/${SELF}`;
  if (!url.startsWith(prefix)) return url;
  const next = url.charAt(prefix.length);
  if (next !== '' && next !== '/' && next !== '?') return url;
  return upstreamPath(url);
}

/**
 * The path and query a service gets for `/api/<service><rest>`: the bytes as they came, never the router's
 * decoded copy — `%3F` or `%2F` inside a segment must not become a query or a new segment on the way.
 */
export function upstreamPath(url: string): string {
  const rest = /^\/[^/?]*\/[^/?]*(.*)$/s.exec(url)?.[1] ?? '';
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * Whether a service's router could take this path for its `/metrics`: percent-decoded, dot segments
 * resolved, duplicate and trailing slashes and case ignored. Errs on the side of yes.
 */
export function readsAsMetrics(path: string): boolean {
  let decoded = path.split('?')[0]!;
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // malformed escapes: judged as they are
  }
  // Most paths name no metrics at all: answered without parsing a URL on every proxied request (issue 13).
  // The URL parser drops tabs and newlines, so they cannot hide the word from this check.
  if (!/metrics/i.test(decoded.replaceAll(/[\t\n\r]/g, ''))) return false;
  const resolved = new URL(decoded.replaceAll(/\/+/g, '/'), 'http://upstream').pathname;
  return /^\/metrics(\/|$|[?#;%])/i.test(resolved.replaceAll(/\/+/g, '/'));
}
