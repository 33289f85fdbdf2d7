import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { registeredErrors } from '@lessor/service-kit';
import { renderErrorDocs } from '../src/error-docs.ts';

describe('docs/errors.md', () => {
  it('should list exactly the registered error codes, as generated (npm run errors:docs)', async () => {
    const committed = await readFile(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    const documented = [...committed.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]).sort();
    expect(documented).toEqual([...registeredErrors().keys()].sort());
    expect(committed).toBe(renderErrorDocs());
  });
});
