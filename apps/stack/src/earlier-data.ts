/* eslint-disable security/detect-non-literal-fs-filename -- the data directory is the operator's LESSOR_DATA_DIR. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * What an earlier release left in the data directory: up to issue 13, `npm start` kept every service in one
 * embedded PGlite under `<data>/pglite` (and a service started alone without DATABASE_URL kept it in the data
 * directory itself). This release keeps data in PostgreSQL under `<data>/postgres` and cannot read those files.
 * Returns the message to show, or undefined when nothing of the kind is there.
 */
export function earlierReleaseData(dataDir: string): string | undefined {
  const found = [join(dataDir, 'pglite'), dataDir].find((dir) => existsSync(join(dir, 'PG_VERSION')));
  if (!found) return undefined;
  const where = resolve(found);
  return [
    `${where} holds the data of an earlier Lessor release (an embedded PGlite database).`,
    'This release keeps its data in PostgreSQL (its own server under <data>/postgres) and cannot read those files.',
    'To start afresh, move the directory away (to keep it) or delete it, then run `npm start` again:',
    `  mv ${resolve(dataDir)} ${resolve(dataDir)}.pglite-backup    (or: rm -rf ${resolve(dataDir)})`,
    'or start with another LESSOR_DATA_DIR. The demo data is created again on the first start.',
  ].join('\n');
}
