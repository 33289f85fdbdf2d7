/**
 * Writes (or checks) each service's committed `openapi.json` from its routes: `npm run openapi` after
 * changing a route, `npm run openapi:check` in CI (fails when a file is out of date).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createInProcessTransport } from '@lessor/events';
import { createLogger, openDatabase, openEmbeddedPglite } from '@lessor/service-kit';
import { SYSTEM } from '../apps/stack/src/system.ts';

const mode = process.argv[2] === 'check' ? 'check' : 'write';
const root = fileURLToPath(new URL('../', import.meta.url));
const pglite = await openEmbeddedPglite({});
const stale: string[] = [];
try {
  for (const service of SYSTEM) {
    const database = await openDatabase<unknown>({ schema: service.name, pglite });
    const env = {
      PORT: '0',
      LESSOR_ADMIN_PASSWORD: 'openapi-generation-only',
      LESSOR_DATA_DIR: '/nonexistent',
    };
    const transport = createInProcessTransport({ db: database.db });
    const app = await service.build(env, database, createLogger(service.name, 'silent'), transport, {});
    await app.ready();
    const document = `${JSON.stringify(app.swagger(), null, 2)}\n`;
    await app.close();
    await transport.close();
    const file = `${root}services/${service.name}/openapi.json`;
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current === document) continue;
    if (mode === 'write') {
      await writeFile(file, document);
      process.stdout.write(`wrote services/${service.name}/openapi.json\n`);
    } else {
      stale.push(`services/${service.name}/openapi.json`);
    }
  }
} finally {
  await pglite.close();
}
if (stale.length > 0) {
  process.stderr.write(`Out of date (run npm run openapi and commit): ${stale.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(mode === 'check' ? 'openapi.json files are up to date\n' : '');
