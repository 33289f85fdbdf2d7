import { describe, expect, it } from 'vitest';
import { contractsTexts } from './texts.ts';

function keys(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keys(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('contracts texts', () => {
  it('should have the same keys in English and German', () => {
    expect(keys(contractsTexts.de).sort()).toEqual(keys(contractsTexts.en).sort());
  });

  it('should leave no German text empty or equal to a placeholder', () => {
    const de = keys(contractsTexts.de);
    for (const key of de) {
      const value = key
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], contractsTexts.de);
      expect(typeof value === 'string' && value.trim().length > 0, key).toBe(true);
    }
  });
});
