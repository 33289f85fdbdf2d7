import type { __Entity__Row } from './__entities__/__entity__.repository.ts';

/**
 * What another service may know of a __entityWords__: the catalogue's `__Entity__Snapshot`, carried by its change
 * events and kept by audit for years — so never a secret, nor personal data another service does not need.
 */
export function __entityCamel__Snapshot(row: __Entity__Row) {
  return { id: row.id, name: row.name, description: row.description };
}
