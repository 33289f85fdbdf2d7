import { describe, expect, it } from 'vitest';
import { integrationsTexts } from './texts.ts';

function keys(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keys(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('integrations texts', () => {
  it('should have the same keys in English and German', () => {
    expect(keys(integrationsTexts.de).sort()).toEqual(keys(integrationsTexts.en).sort());
  });
});
