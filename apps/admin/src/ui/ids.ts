const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An id as a person can glance at it where no name is known: a UUID's first 8 characters and "…" (the whole id
 * goes in a `title`); anything else (`client:<id>`, `system`) as it is.
 */
export function shortId(id: string): string {
  return UUID.test(id) ? `${id.slice(0, 8)}…` : id;
}
