import { ODataProtocolError } from './errors.ts';
import type { ODataKey, ODataKeyValue, ODataVersion } from './types.ts';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// Property and entity-set names (OData SimpleIdentifier): what may stand in a path segment or a compound key.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A string literal for `$filter` or a key: in single quotes, a quote doubled (both versions). */
export function odataStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A GUID key or filter value: bare in v4 (`Edm.Guid`), `guid'…'` in v2. */
export function odataGuid(value: string): { guid: string } {
  if (!GUID.test(value)) throw new TypeError(`not a GUID: ${JSON.stringify(value)}`);
  return { guid: value.toLowerCase() };
}

/** The literal of one key value: a string quoted, an integer as digits, a GUID per version. */
export function odataKeyValueLiteral(value: ODataKeyValue, version: ODataVersion): string {
  if (typeof value === 'string') return odataStringLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`a numeric key must be a safe integer: ${value}`);
    return String(value);
  }
  if (!GUID.test(value.guid)) throw new TypeError(`not a GUID: ${JSON.stringify(value.guid)}`);
  return version === 'v4' ? value.guid : `guid'${value.guid}'`;
}

/**
 * The key predicate of an entity, without its parentheses: `'A1'`, `42`, `BusinessPartner='1',AddressID='7'`.
 * Names of a compound key are checked as identifiers; values become literals (quotes doubled).
 */
export function odataKeyPredicate(key: ODataKey, version: ODataVersion): string {
  if (typeof key !== 'object' || 'guid' in key) return odataKeyValueLiteral(key as ODataKeyValue, version);
  const entries = Object.entries(key);
  if (entries.length === 0) throw new TypeError('a compound key needs at least one property');
  return entries
    .map(([name, value]) => {
      if (!IDENTIFIER.test(name)) throw new TypeError(`not a key property name: ${JSON.stringify(name)}`);
      return `${name}=${odataKeyValueLiteral(value, version)}`;
    })
    .join(',');
}

/** Whether a name may stand as an entity set in a path (checked before any URL is built). */
export function isODataIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** The check of {@link isODataIdentifier} as a refusal. */
export function requireIdentifier(name: string, what: string): string {
  if (!IDENTIFIER.test(name))
    throw new ODataProtocolError({
      message: `${what} is not an OData identifier: ${JSON.stringify(name)}`,
      status: null,
      operation: 'url',
    });
  return name;
}
