import type { PathSegment } from './amount-expression.ts';

/** A JSON schema node as TypeBox builds them (object, array, union, literal, scalar). */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: unknown;
}

/** What a path of an event's data holds, by the event's schema. */
export type PathKind = 'string' | 'other' | 'absent';

/**
 * What the schema says is at `segments` of the event data: a string (a decimal, a date, an id…), something
 * else, or nothing — so a rule naming `amounts.totl` is refused when it is written, not when an event arrives.
 */
export function pathKind(schema: unknown, segments: readonly PathSegment[]): PathKind {
  const nodes = resolve([schema as SchemaNode], segments);
  if (nodes.length === 0) return 'absent';
  return nodes.some(isString) ? 'string' : 'other';
}

function resolve(nodes: SchemaNode[], segments: readonly PathSegment[]): SchemaNode[] {
  let current = nodes.flatMap(branches);
  for (const segment of segments) {
    current = current
      .flatMap((node): SchemaNode[] => {
        if (typeof segment === 'number') return node.type === 'array' && node.items ? [node.items] : [];
        const child = node.type === 'object' ? node.properties?.[segment] : undefined;
        return child ? [child] : [];
      })
      .flatMap(branches);
    if (current.length === 0) return [];
  }
  return current;
}

function branches(node: SchemaNode): SchemaNode[] {
  return node.anyOf ? node.anyOf.flatMap(branches) : [node];
}

function isString(node: SchemaNode): boolean {
  return node.type === 'string' || (node.type === undefined && typeof node.const === 'string');
}
