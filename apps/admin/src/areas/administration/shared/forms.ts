import { ApiError, formFieldErrors } from '../../../api/problem.ts';

/** The If-Match header for a change of the version read (the services' ETag is the version in quotes). */
export function ifMatch(version: number): { 'if-match': string } {
  return { 'if-match': `"${version}"` };
}

/**
 * An API problem split for a form: the message for each of the form's `fields` (an error about a part of a
 * field, `/body/permissions/3`, goes to the field `permissions`), and the messages no field of the form shows.
 */
export function problemForForm(
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  if (!(error instanceof ApiError)) return { byField, rest };
  for (const [name, message] of Object.entries(formFieldErrors(error.problem))) {
    const field = name.split(/[.[]/)[0] ?? name;
    if (fields.includes(field)) byField[field] ??= message;
    else rest.push(message);
  }
  return { byField, rest };
}

/** A permission or a wildcard grant as sso accepts it: `<service>:<resource>:<action>`, a segment may be `*`. */
export const GRANT_PATTERN = /^(\*|[a-z][a-z0-9-]*):(\*|[a-z][a-z0-9-]*):(\*|[a-z][a-z0-9-]*)$/;
