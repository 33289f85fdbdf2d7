/**
 * Writes (or checks) each service's committed `openapi.json` from its routes, and the API types generated from
 * it (`services/<service>/openapi.ts`, by openapi-typescript; `@lessor/<service>/openapi`), which the admin UI's
 * clients and the test runner's typed calls use: `npm run openapi` after changing a route, `npm run openapi:check`
 * in CI (fails when a file is out of date).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, ensureTestPostgres } from '@lessor/service-kit/testing';
import { SYSTEM } from '../apps/stack/src/system.ts';
import { serviceApi } from './service-api.ts';

const mode = process.argv[2] === 'check' ? 'check' : 'write';
const root = fileURLToPath(new URL('../', import.meta.url));
// The routes are read from built apps, which open their databases: a scratch database on the test server (the
// configured one, or an embedded server started for this script), dropped at the end.
const stopServer = await ensureTestPostgres();
const scratch = await createTestDatabase<unknown>('postgres', { schema: 'openapi' });
const stale: string[] = [];

/** Writes `path` (relative to the repository) when its content differs, or notes it as stale in check mode. */
async function keep(path: string, content: string): Promise<void> {
  const current = await readFile(`${root}${path}`, 'utf8').catch(() => '');
  if (current === content) return;
  if (mode === 'check') {
    stale.push(path);
    return;
  }
  await writeFile(`${root}${path}`, content);
  process.stdout.write(`wrote ${path}\n`);
}
try {
  for (const { definition } of SYSTEM) {
    const { document, types } = await serviceApi(definition, scratch.url);
    await keep(`services/${definition.name}/openapi.json`, document);
    await keep(`services/${definition.name}/openapi.ts`, types);
  }
} finally {
  await scratch.dispose();
  await stopServer?.();
}
if (stale.length > 0) {
  process.stderr.write(`Out of date (run npm run openapi and commit): ${stale.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(mode === 'check' ? 'openapi.json files are up to date\n' : '');
