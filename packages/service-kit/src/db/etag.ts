import { kitErrors } from '../errors/kit.errors.ts';

/** The ETag of a row at `version`: a strong ETag, `"3"`. */
export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The version an If-Match header names, or undefined when there is no header (the caller answers
 * PRECONDITION_REQUIRED where one is needed). Accepts `"3"` and also `W/"3"`: a proxy that compresses the
 * response may weaken our ETag, and the number still names the version the client read. Anything else
 * (`*`, a list, garbage) is a VALIDATION_FAILED problem: an update must name exactly one version.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"([1-9][0-9]{0,9})"$/.exec(header.trim());
  const version = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  if (!Number.isSafeInteger(version) || version > 2_147_483_647) {
    throw kitErrors.create.VALIDATION_FAILED(
      'If-Match must name one version, as the ETag of the last read: "3"',
      {
        errors: [{ field: '/headers/if-match', message: 'expected an ETag such as "3"' }],
      },
    );
  }
  return version;
}
