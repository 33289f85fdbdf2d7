// The peer's process: SAP CAP serving the three OData services from ./cap over a sqlite file, with our own
// middleware in front (OAuth2 token endpoint and bearer check, basic auth and SAP's CSRF protocol for the v2
// service, throttling, failures, changes between pages, the request log) and the OData v2 adapter for the SAP
// service. Started by index.ts as a child process (`node --import tsx server.ts <config json>`), so that a test
// can SIGKILL it and start it again over the same data.
/* eslint-disable security/detect-non-literal-fs-filename -- the data folder is the test's choice or a temporary one. */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cds from '@sap/cds';
import { createPeerMiddleware, type PeerProcessConfig } from './peer-middleware.ts';
import { entityTargets, seedPeer } from './seed.ts';

const capRoot = join(dirname(fileURLToPath(import.meta.url)), 'cap');
const require = createRequire(import.meta.url);
// express and better-sqlite3 are CAP's (dependencies of @sap/cds and @cap-js/sqlite, not of this package).
const express = createRequire(require.resolve('@sap/cds'))('express');
// A CommonJS module whose types declare an ES default export: required, as Node loads it.
const cov2ap = require('@cap-js-community/odata-v2-adapter');

const config = JSON.parse(process.argv[2] ?? '{}') as PeerProcessConfig;

async function main(): Promise<void> {
  // CAP reads its configuration from cds.root: the peer's own folder (./cap with its .cdsrc.json), never the
  // repository's package.json. The database is a file, so that a restarted peer finds its data again.
  cds.root = capRoot;
  mkdirSync(config.dataDir, { recursive: true });
  const dbFile = join(config.dataDir, 'peer.sqlite');
  const seedFile = seedCacheFile();
  if (!existsSync(dbFile) && seedFile && existsSync(seedFile)) {
    copyFileSync(seedFile, dbFile);
    const now = new Date();
    utimesSync(seedFile, now, now); // used: kept by the pruning below
  }
  const fresh = !existsSync(dbFile);
  cds.env.requires.db = { kind: 'sqlite', impl: '@cap-js/sqlite', credentials: { url: dbFile } };
  cds.env.query.limit = { ...cds.env.query.limit, default: config.pageSize, max: config.pageSize };

  const csn = await cds.load('*');
  // Server-driven paging: the page size of every entity set of every service.
  for (const name of ['DynamicsService', 'API_BUSINESS_PARTNER', 'AccountingService']) {
    csn.definitions[name]['@cds.query.limit.default'] = config.pageSize;
    csn.definitions[name]['@cds.query.limit.max'] = config.pageSize;
  }
  cds.model = cds.compile.for.nodejs(csn);
  cds.db = await cds.connect.to('db');
  if (fresh) {
    await cds.deploy(cds.model).to(cds.db);
    await seedPeer(cds, { accounts: config.accounts, businessPartners: config.businessPartners });
    if (seedFile) await keepSeed(dbFile, seedFile);
  }

  const app = express();
  const peer = createPeerMiddleware(cds, config, {
    reseed: async () => {
      await cds.tx(async (tx: any) => {
        for (const target of Object.values(entityTargets)) await tx.run(cds.ql.DELETE.from(target.table));
      });
      await seedPeer(cds, { accounts: config.accounts, businessPartners: config.businessPartners });
    },
  });
  app.use(peer.router);
  // OData v2 for the SAP service: the adapter translates v2 to v4 and calls this server's /sap-v4 over HTTP.
  app.use(cov2ap({ path: 'sap/opu/odata/sap', targetPath: 'sap-v4', cacheMetadata: 'memory' }));
  await cds.serve('all').from(cds.model).in(app);
  for (const service of Object.values(cds.services) as any[]) {
    if (service instanceof cds.ApplicationService) peer.attach(service);
  }
  // The accounting system keeps each journal entry once: a second POST of an entry id is refused, as an
  // accounting system's document-number check would (CAP alone would let sqlite's key constraint answer 500).
  cds.services.AccountingService.before('CREATE', 'JournalEntries', async (req: any) => {
    const { EntryID } = req.data as { EntryID?: string };
    if (!EntryID) return;
    const existing = await cds.run(
      cds.ql.SELECT.one.from('peer.accounting.JournalEntries').columns('EntryID').where({ EntryID }),
    );
    if (existing) req.reject(409, `Journal entry ${EntryID} already exists`, 'EntryID');
  });

  const server = app.listen(config.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const port = (server.address() as { port: number }).port;
  // The adapter binds its routes when CAP says it listens (it learns its own target URL from this).
  await cds.emit('listening', { server, url: `http://127.0.0.1:${port}` });
  process.send?.({ ready: true, port });
}

/**
 * A seeded database is kept (in the system's temporary folder) by the seed's counts, CAP's versions and the hash
 * of the model and the seed's code, and copied for the next peer with the same counts: a test file starting a peer
 * does not seed again (10,000 accounts and business partners take seconds; a copy, milliseconds).
 * ODATA_PEER_SEED_CACHE=0: off.
 */
function seedCacheFile(): string | null {
  if (process.env.ODATA_PEER_SEED_CACHE === '0') return null;
  const sqliteVersion = (require('@cap-js/sqlite/package.json') as { version: string }).version;
  const hash = createHash('sha256').update(
    JSON.stringify([config.accounts, config.businessPartners, cds.version, sqliteVersion]),
  );
  for (const file of ['cap/db/schema.cds', 'cap/srv/services.cds', 'seed-data.ts', 'seed.ts']) {
    hash.update(readFileSync(join(capRoot, '..', file)));
  }
  const folder = join(tmpdir(), 'lessor-odata-peer-seeds');
  mkdirSync(folder, { recursive: true });
  return join(folder, `${hash.digest('hex').slice(0, 24)}.sqlite`);
}

async function keepSeed(dbFile: string, seedFile: string): Promise<void> {
  // A consistent copy through sqlite's backup (the file may have a WAL), renamed into place: peers starting at
  // the same time never copy half a file.
  const Database = createRequire(require.resolve('@cap-js/sqlite'))('better-sqlite3');
  const source = new Database(dbFile, { readonly: true });
  const partial = `${seedFile}.${process.pid}.partial`;
  try {
    await source.backup(partial);
    renameSync(partial, seedFile);
  } finally {
    source.close();
  }
  // Seeds of older models or counts not used for a week go.
  const folder = dirname(seedFile);
  for (const name of readdirSync(folder)) {
    const file = join(folder, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > 7 * 86_400_000) rmSync(file, { force: true });
    } catch {
      // another peer removed or is renaming it
    }
  }
}

// The tests' process is gone (its IPC channel closed): the peer goes too, rather than outlive a killed test run.
process.on('disconnect', () => process.exit(0));

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
