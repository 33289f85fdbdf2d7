import type { TSchema } from 'typebox';

/** A JSON Schema as plain JSON (what documents and validators of other languages read). */
export type JsonSchema = { [key: string]: unknown };

/** The plain JSON Schema of a TypeBox schema: enumerable JSON properties only, TypeBox's markers left out. */
export function toJsonSchema(schema: TSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

/**
 * A copy in which every object schema that does not say otherwise refuses unknown properties. Publishers
 * validate against it, so an event can carry only the fields the catalogue lists (a password hash spread into
 * a snapshot by mistake is refused); consumers validate against the tolerant original, so adding an optional
 * field is not a breaking change.
 */
export function strictJsonSchema(schema: JsonSchema): JsonSchema {
  return strict(schema) as JsonSchema;
}

function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (typeof node !== 'object' || node === null) return node;
  const copy: JsonSchema = {};
  for (const [key, value] of Object.entries(node as JsonSchema)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, strict(child)]));
    } else if (['items', 'anyOf', 'oneOf', 'allOf', 'prefixItems', 'not'].includes(key)) {
      copy[key] = strict(value);
    } else {
      copy[key] = value;
    }
  }
  if (copy.type === 'object' && copy.properties !== undefined && copy.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}

/** The schema a JSON pointer into a schema (`#/properties/a/anyOf/0`) names, if any. */
export function schemaAt(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: unknown = schema;
  for (const token of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as JsonSchema)[key];
  }
  return typeof node === 'object' && node !== null ? (node as JsonSchema) : undefined;
}

/**
 * A short human label for a schema: `string (uuid)`, `'self' \| 'admin'`, `object[]`, `string (email) | null`.
 * Used by the docs and by validation messages.
 */
export function typeLabel(schema: JsonSchema): string {
  if ('const' in schema) return JSON.stringify(schema.const).replaceAll('"', "'");
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value).replaceAll('"', "'")).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return union.map((part) => typeLabel(part as JsonSchema)).join(' | ');
  if (schema.type === 'array') {
    const items =
      typeof schema.items === 'object' && schema.items !== null
        ? typeLabel(schema.items as JsonSchema)
        : 'unknown';
    return items.includes('|') ? `(${items})[]` : `${items}[]`;
  }
  if (typeof schema.type === 'string') {
    return typeof schema.format === 'string' ? `${schema.type} (${schema.format})` : schema.type;
  }
  return 'unknown';
}
