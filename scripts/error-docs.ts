/**
 * Writes (or checks) docs/errors.md from the error-code registry: every code a service can answer, by
 * owner. `npm run errors:docs` after adding a code; a test fails while the file is out of date.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderErrorDocs } from '../apps/stack/src/error-docs.ts';

const file = fileURLToPath(new URL('../docs/errors.md', import.meta.url));
const text = renderErrorDocs();
if (process.argv[2] === 'check') {
  if ((await readFile(file, 'utf8').catch(() => '')) !== text) {
    process.stderr.write('docs/errors.md is out of date: run npm run errors:docs\n');
    process.exit(1);
  }
} else {
  await writeFile(file, text);
  process.stdout.write('wrote docs/errors.md\n');
}
