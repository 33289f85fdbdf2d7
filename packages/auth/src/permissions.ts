/** A permission split into its segments: `<service>:<resource>:<action>`, e.g. `leasing:contracts:write`. */
export interface Permission {
  service: string;
  resource: string;
  action: string;
}

/** A permission string did not have the `<service>:<resource>:<action>` form. */
export class InvalidPermissionError extends Error {
  override readonly name = 'InvalidPermissionError';
}

// Lowercase kebab-case, starting with a letter: `leasing`, `payment-schedules`, `write`. A hyphen must be
// followed by a letter or digit (no `--`, no trailing `-`); written without nested quantifiers.
const SEGMENT = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/**
 * Parses and validates a permission. With `allowWildcards` (for grants only), a whole segment may be `*`:
 * `sso:*:read`, or `*:*:*` for the admin role. Throws {@link InvalidPermissionError} otherwise.
 */
export function parsePermission(permission: string, options: { allowWildcards?: boolean } = {}): Permission {
  const segments = typeof permission === 'string' ? permission.split(':') : [];
  const valid =
    segments.length === 3 &&
    segments.every(
      (segment) => SEGMENT.test(segment) || (options.allowWildcards === true && segment === '*'),
    );
  if (!valid) {
    const expected = options.allowWildcards === true ? 'with optional * segments' : 'without wildcards';
    throw new InvalidPermissionError(
      `invalid permission ${JSON.stringify(permission)}: expected <service>:<resource>:<action>, lowercase kebab-case, ${expected}`,
    );
  }
  const [service, resource, action] = segments as [string, string, string];
  return { service, resource, action };
}

/**
 * Whether the `granted` permissions (from a token) include `required`. A granted `*` segment matches any
 * value. `required` must be exact: a `*` in it throws, since "any permission of this service" is never a
 * meaningful check for a route. Malformed grants are ignored: they grant nothing, and one bad entry in a
 * token must not turn every request into an error.
 */
export function hasPermission(granted: readonly string[], required: string): boolean {
  const need = parsePermission(required);
  return granted.some((grant) => {
    let have: Permission;
    try {
      have = parsePermission(grant, { allowWildcards: true });
    } catch {
      return false;
    }
    return (
      (have.service === '*' || have.service === need.service) &&
      (have.resource === '*' || have.resource === need.resource) &&
      (have.action === '*' || have.action === need.action)
    );
  });
}
