/** A string literal for `$filter` or a key: in single quotes, a quote doubled. */
export function odataStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
