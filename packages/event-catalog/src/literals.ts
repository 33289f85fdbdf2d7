import { Type, type TLiteral, type TSchemaOptions, type TUnion } from 'typebox';

/**
 * One of a list of strings, as a union of literals (`anyOf` of `const`s in JSON Schema), typed by the list:
 * `oneOfLiterals(['pending', 'verified'])` is `'pending' | 'verified'` to a publisher and a handler, where
 * `Type.Union(list.map(Type.Literal))` would widen each literal to `string` and type the field as `never`.
 */
export function oneOfLiterals<const Values extends readonly string[]>(
  values: Values,
  options?: TSchemaOptions,
): TUnion<{ -readonly [Index in keyof Values]: TLiteral<Values[Index]> }> {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<{ -readonly [Index in keyof Values]: TLiteral<Values[Index]> }>;
}
