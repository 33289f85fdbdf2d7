import { describe, expect, it } from 'vitest';
import { partiesTexts } from './texts.ts';

/** Every key path of a nested texts object, sorted. */
function keysOf(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts)
    .flatMap(([key, value]) =>
      typeof value === 'object' && value !== null
        ? keysOf(value as Record<string, unknown>, `${prefix}${key}.`)
        : [`${prefix}${key}`],
    )
    .sort();
}

describe('parties texts', () => {
  it('should have the same keys in English and German, none of them empty', () => {
    expect(keysOf(partiesTexts.de)).toEqual(keysOf(partiesTexts.en));
    for (const language of [partiesTexts.en, partiesTexts.de]) {
      const flat = JSON.stringify(language);
      expect(flat).not.toMatch(/:""/);
    }
  });

  it('should keep the interpolations of each text in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const lookup = (texts: Record<string, unknown>, path: string) =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], texts) as string;
    for (const path of keysOf(partiesTexts.en)) {
      expect(placeholders(lookup(partiesTexts.de, path)), path).toEqual(
        placeholders(lookup(partiesTexts.en, path)),
      );
    }
  });
});
