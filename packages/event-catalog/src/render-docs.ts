/**
 * Writes (or checks) docs/events.md from the event catalogue:
 * `node --import tsx packages/event-catalog/src/render-docs.ts [write|check]`. Run `write` after changing an
 * event or a consumer; `check` exits 1 while the file is out of date (a test does the same).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderEventDocs } from './docs.ts';

// A fixed path in the repository, not user input: the security rule's non-literal warning does not apply.
const file = fileURLToPath(new URL('../../../docs/events.md', import.meta.url));
const text = renderEventDocs();
const mode = process.argv[2] ?? 'write';
if (mode === 'check') {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- fixed path, see above
  if ((await readFile(file, 'utf8').catch(() => '')) !== text) {
    process.stderr.write(
      'docs/events.md is out of date: run node --import tsx packages/event-catalog/src/render-docs.ts write\n',
    );
    process.exit(1);
  }
  process.stdout.write('docs/events.md is up to date\n');
} else if (mode === 'write') {
  // eslint-disable-next-line security/detect-non-literal-fs-filename -- fixed path, see above
  await writeFile(file, text);
  process.stdout.write('wrote docs/events.md\n');
} else {
  process.stderr.write(`unknown mode ${mode}: write or check\n`);
  process.exit(2);
}
