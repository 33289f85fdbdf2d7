/** The fields a person types, as they are kept: names trimmed with inner runs of spaces made one. */
export function tidy__Entity__<Fields extends { name?: string; description?: string | null }>(
  fields: Fields,
): Fields {
  const tidy = (text: string) => text.trim().replace(/\s+/g, ' ');
  return {
    ...fields,
    ...(fields.name === undefined ? {} : { name: tidy(fields.name) }),
    ...(typeof fields.description === 'string' ? { description: fields.description.trim() || null } : {}),
  };
}
