/** How one field of an entity differs between the snapshot before a change and the one after it. */
export type DiffKind = 'changed' | 'added' | 'removed' | 'unchanged';

export interface DiffRow {
  /** The field's path in the snapshot: `name`, `address.city`, `lines[2].amount`. */
  path: string;
  before: unknown;
  after: unknown;
  kind: DiffKind;
}

/**
 * Below this depth a value is shown as JSON rather than split into fields: snapshots are a few levels deep,
 * and a deeper structure reads better as one block than as dozens of rows.
 */
const MAX_DEPTH = 4;

/** A snapshot's leaves by path. Arrays of plain values stay one value (`["EUR","CHF"]` is one field). */
export function flatten(value: unknown, prefix = '', depth = 0, into = new Map<string, unknown>()) {
  if (isRecord(value) && depth < MAX_DEPTH && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      flatten(child, prefix === '' ? key : `${prefix}.${key}`, depth + 1, into);
    }
  } else if (Array.isArray(value) && depth < MAX_DEPTH && value.some((item) => isRecord(item))) {
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, depth + 1, into));
  } else {
    into.set(prefix, value);
  }
  return into;
}

/**
 * The rows of a before/after diff, field by field, in the order of the snapshot after the change (then the
 * fields that only the one before had). A created entity has every field `added`, a deleted one `removed`.
 */
export function diffSnapshots(before: unknown, after: unknown): DiffRow[] {
  const old = leaves(before);
  const now = leaves(after);
  const paths = [...now.keys(), ...[...old.keys()].filter((path) => !now.has(path))];
  return paths.map((path) => {
    const was = old.has(path);
    const is = now.has(path);
    const kind: DiffKind = !was
      ? 'added'
      : !is
        ? 'removed'
        : sameValue(old.get(path), now.get(path))
          ? 'unchanged'
          : 'changed';
    return { path, before: old.get(path), after: now.get(path), kind };
  });
}

/** A value as one line of text: strings as they are, anything else as JSON (`null`, `12.5`, `["EUR"]`). */
export function displayValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** No snapshot (null) and an empty one have no fields. */
function leaves(snapshot: unknown): Map<string, unknown> {
  if (snapshot === null || snapshot === undefined) return new Map();
  if (isRecord(snapshot) && Object.keys(snapshot).length === 0) return new Map();
  return flatten(snapshot);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
