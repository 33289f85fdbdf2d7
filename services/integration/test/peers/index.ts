// The integration service's test peers: real OData servers (SAP CAP) in a child process — a Dynamics-shaped CRM
// (OData v4), an SAP business-partner-shaped CRM (OData v2 through @cap-js-community/odata-v2-adapter) and an
// outside accounting system (OData v4, $batch) — with a control API for throttling, failures and changes.
// See services/integration/README.md, "Test peers".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerProcessConfig } from './peer-middleware.ts';
import type {
  FailAfterPagesRule,
  PeerChange,
  PeerEntity,
  PeerKey,
  PeerRequest,
  RefuseWritesRule,
  ThrottleRule,
} from './types.ts';

export type {
  FailAfterPagesRule,
  PeerChange,
  PeerEntity,
  PeerKey,
  PeerRequest,
  PeerService,
  RefuseWritesRule,
  ThrottleRule,
} from './types.ts';
export {
  SEEDED_BAD_TAX_ID_EVERY,
  seedEpoch,
  seededVatNumber,
  seededAccount,
  seededBusinessPartner,
  seededContact,
  seededModifiedAt,
  seededOpportunity,
  type SeededAccount,
  type SeededBusinessPartner,
  type SeededContact,
  type SeededOpportunity,
} from './seed-data.ts';

export interface PeerOptions {
  /** Seeded Dynamics accounts (each with one contact and one opportunity); default 2,500. */
  accounts?: number;
  /** Seeded SAP business partners (each with one address and one tax number); default 2,500. */
  businessPartners?: number;
  /** The sqlite file's folder; a new temporary folder (removed by stop()) if not given. Seeded only when new. */
  dataDir?: string;
  /** The port; a free one if not given (then kept across restart()). */
  port?: number;
  /** Server-driven page size of every entity set (v4 nextLink, v2 __next); default 1,000. */
  pageSize?: number;
  /** `expires_in` of the OAuth2 tokens; default 3,600. */
  tokenLifetimeSeconds?: number;
}

export interface PeerControl {
  throttle(rule: ThrottleRule): Promise<void>;
  failAfterPages(rule: FailAfterPagesRule): Promise<void>;
  changeBetweenPages(change: PeerChange): Promise<void>;
  /** Refuse writes to an entity (or one record) with a status (default 400), also inside $batch. */
  refuseWrites(rule: RefuseWritesRule): Promise<void>;
  /** Change a record now (as the CRM's users would); its modified time moves. */
  update(change: PeerChange): Promise<void>;
  /** A record as stored (the table's row, no auth needed), or null. */
  record(entity: PeerEntity, key: PeerKey): Promise<Record<string, unknown> | null>;
  /** `expires_in` of tokens issued from now on. */
  setTokenLifetime(seconds: number): Promise<void>;
  /** Every token issued so far becomes invalid (401 until a new one is fetched). */
  expireTokens(): Promise<void>;
  /** Rules, request log, CSRF sessions and token settings back to the start; with `data`, the seed again too. */
  reset(options?: { data?: boolean }): Promise<void>;
  /** The requests received since the start (or the last reset) of this peer process. */
  requests(): Promise<PeerRequest[]>;
}

export interface ODataPeer {
  origin: string;
  /** Service root of the Dynamics-shaped OData v4 service, ending in '/'. */
  dynamics: string;
  /** Service root of the SAP-business-partner-shaped OData v2 service, ending in '/'. */
  sap: string;
  /** Service root of the accounting OData v4 service (journal entries), ending in '/'. */
  accounting: string;
  /** OAuth2 client-credentials token endpoint (client id 'lessor', secret 'peer-secret'). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Basic auth accepted by the v2 service. */
  basic: { username: string; password: string };
  dataDir: string;
  pageSize: number;
  control: PeerControl;
  /** SIGKILL the peer process (the sqlite file keeps what was committed). */
  kill(): Promise<void>;
  /** Start again on the same port with the same data (kills a running process first). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const serverFile = join(dirname(fileURLToPath(import.meta.url)), 'server.ts');
const startTimeoutMs = 60_000;

function launch(config: PeerProcessConfig): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverFile, JSON.stringify(config)], {
    cwd: dirname(serverFile),
    env: { ...process.env, NODE_ENV: 'test', CDS_ENV: '' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // ODATA_PEER_LOG=1 shows the peer's own log (CAP's and the adapter's) on the test's stderr.
  if (process.env.ODATA_PEER_LOG) {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the OData peer did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    child.on('message', (message: { ready?: boolean; port?: number }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolve({ child, port: message.port! });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the OData peer exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Start the three OData services in a child process, seeded on first start of its data folder. */
export async function startODataPeer(options: PeerOptions = {}): Promise<ODataPeer> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'lessor-odata-peer-')));
  const config: PeerProcessConfig = {
    port: options.port ?? 0,
    dataDir,
    accounts: options.accounts ?? 2_500,
    businessPartners: options.businessPartners ?? 2_500,
    pageSize: options.pageSize ?? 1_000,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3_600,
    clientId: 'lessor',
    clientSecret: 'peer-secret',
    basic: { username: 'LESSOR_COMM', password: 'peer-password' },
  };
  const started = await launch(config);
  let child = started.child;
  config.port = started.port;
  const origin = `http://127.0.0.1:${config.port}`;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${origin}/control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`peer control ${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  const control: PeerControl = {
    throttle: async (rule) => void (await call('POST', '/throttle', rule)),
    failAfterPages: async (rule) => void (await call('POST', '/fail-after-pages', rule)),
    changeBetweenPages: async (change) => void (await call('POST', '/change-between-pages', change)),
    refuseWrites: async (rule) => void (await call('POST', '/refuse-writes', rule)),
    update: async (change) => void (await call('POST', '/update', change)),
    record: async (entity, key) => {
      const query = new URLSearchParams({ entity, key: typeof key === 'string' ? key : JSON.stringify(key) });
      const answer = (await call('GET', `/record?${query}`)) as { record: Record<string, unknown> | null };
      return answer.record;
    },
    setTokenLifetime: async (seconds) => void (await call('POST', '/token-lifetime', { seconds })),
    expireTokens: async () => void (await call('POST', '/expire-tokens', {})),
    reset: async (resetOptions) => void (await call('POST', '/reset', resetOptions ?? {})),
    requests: async () => ((await call('GET', '/requests')) as { requests: PeerRequest[] }).requests,
  };

  async function kill(): Promise<void> {
    child.kill('SIGKILL');
    await exited(child);
  }

  return {
    origin,
    dynamics: `${origin}/dynamics/`,
    sap: `${origin}/sap/opu/odata/sap/API_BUSINESS_PARTNER/`,
    accounting: `${origin}/accounting/`,
    tokenUrl: `${origin}/oauth/token`,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    basic: config.basic,
    dataDir,
    pageSize: config.pageSize,
    control,
    kill,
    async restart() {
      await kill();
      ({ child } = await launch(config));
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
