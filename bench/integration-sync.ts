/**
 * Records per second of a full inbound sync (CRM accounts → parties, through integration's `crm` run job and
 * parties' API) over OData v4 (Dynamics-shaped) and v2 (SAP business partners), next to the peer's own raw
 * paging speed measured in the same run: the same entity set, order and expansion fetched page by page by a
 * bare client (fetch, following the server's next links, JSON parsed), nothing written. Prints both and the
 * ratio sync / raw for each protocol. A second baseline, also in the same run: parties' own create rate (`POST
 * /v1/parties` with a body like the sync's, as many at once as the job sends), the ceiling of any sync that
 * creates each party through parties' API.
 *
 *   npm run bench:integration            (needs PostgreSQL; LESSOR_TEST_DATABASE_URL or 127.0.0.1:5432)
 *   node --import tsx bench/integration-sync.ts [records=10000]
 *
 * The peer is the tests' SAP CAP server (services/integration/test/peers) in a child process, seeded with
 * `records` accounts (each with a contact) and as many business partners (each with an address and a tax
 * number); integration and parties run in this process on one test database, parties listening on a port as
 * in production. The connectors here map no tax id (the presets without their tax parts): every record becomes a
 * party (the costly path: a create per record), none is refused for a seeded tax id whose check digit is off.
 */
import { loadavg } from 'node:os';
import { partiesService } from '@lessor/parties';
import { integrationService } from '@lessor/integration';
import { startTestService } from '@lessor/service-kit/testing';
import { MAPPING_PRESETS } from '../services/integration/src/connectors/mapping.ts';
import { startODataPeer } from '../services/integration/test/peers/index.ts';

const records = Number(process.argv[2] ?? 10_000);

const peer = await startODataPeer({ accounts: records, businessPartners: records });
const system = await startTestService(integrationService, {
  setup: { backend: 'postgres', broker: 'in-process' },
  neighbours: [partiesService],
  env: { LOG_LEVEL: 'silent', UPSTREAM_DEADLINE_MS: '10000', INTEGRATION_SCHEDULER_TICK_MS: '100' },
});
// A token per call: a test token outlives neither a 10,000-record run on a loaded machine nor the bench.
const admin = () => system.token(['integration:*:*']);

// The presets' inbound mappings without their tax parts (see the header).
const { taxId: _taxId, ...dynamicsFields } = MAPPING_PRESETS.dynamics.inbound!.fields;
const dynamicsInbound = { ...MAPPING_PRESETS.dynamics.inbound!, fields: dynamicsFields };
const { taxNumbers: _taxNumbers, ...sapInbound } = MAPPING_PRESETS['sap-business-partner'].inbound!;

async function connector(name: string, body: Record<string, unknown>): Promise<string> {
  const answer = await system.call('POST', '/v1/connectors', await admin(), { name, kind: 'crm', ...body });
  if (answer.status !== 201)
    throw new Error(`connector ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

const dynamicsId = await connector('bench-dynamics', {
  protocol: 'odata-v4',
  baseUrl: peer.dynamics,
  auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: peer.clientId, clientSecret: peer.clientSecret },
  mapping: { preset: 'dynamics', inbound: dynamicsInbound },
});
const sapId = await connector('bench-sap', {
  protocol: 'odata-v2',
  baseUrl: peer.sap,
  auth: { kind: 'basic', username: peer.basic.username, password: peer.basic.password },
  mapping: { preset: 'sap-business-partner', inbound: sapInbound },
});

/** The bare client: every page of the query, following the server's next links; returns records per second. */
async function rawPaging(version: 'v4' | 'v2'): Promise<{ read: number; seconds: number }> {
  let headers: Record<string, string>;
  let url: string | null;
  if (version === 'v4') {
    const token = await fetch(peer.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: peer.clientId,
        client_secret: peer.clientSecret,
      }),
    }).then((answer) => answer.json() as Promise<{ access_token: string }>);
    headers = { authorization: `Bearer ${token.access_token}`, accept: 'application/json' };
    url = `${peer.dynamics}accounts?$orderby=modifiedon,accountid&$count=true`;
  } else {
    const basic = Buffer.from(`${peer.basic.username}:${peer.basic.password}`).toString('base64');
    headers = { authorization: `Basic ${basic}`, accept: 'application/json' };
    url =
      `${peer.sap}A_BusinessPartner?$orderby=LastChangeDate,BusinessPartner&$inlinecount=allpages` +
      '&$expand=to_BusinessPartnerAddress,to_BusinessPartnerTax';
  }
  const started = performance.now();
  let read = 0;
  while (url) {
    const answer = await fetch(url, { headers });
    if (!answer.ok) throw new Error(`raw paging: ${answer.status} ${await answer.text()}`);
    const body = (await answer.json()) as Record<string, unknown>;
    if (version === 'v4') {
      read += (body.value as unknown[]).length;
      const next = body['@odata.nextLink'] as string | undefined;
      url = next ? new URL(next, peer.dynamics).href : null;
    } else {
      const d = body.d as { results: unknown[]; __next?: string };
      read += d.results.length;
      url = d.__next ?? null;
    }
  }
  return { read, seconds: (performance.now() - started) / 1000 };
}

interface RunView {
  id: string;
  status: string;
  read: number;
  created: number;
  errors: number;
  pages: number;
  error: string | null;
}

/** A full run of the connector, from "run now" to its completion. */
async function sync(connectorId: string): Promise<{ run: RunView; seconds: number }> {
  const started = performance.now();
  const answer = await system.call('POST', `/v1/connectors/${connectorId}/runs`, await admin(), {
    mode: 'full',
  });
  if (answer.status !== 202) throw new Error(`run: ${answer.status} ${JSON.stringify(answer.body)}`);
  for (;;) {
    const read = await system.call('GET', `/v1/runs/${answer.body.id}`, await admin());
    if (read.status !== 200)
      throw new Error(`run ${answer.body.id}: ${read.status} ${JSON.stringify(read.body)}`);
    const run = read.body as RunView;
    if (run.status === 'completed' || run.status === 'failed') {
      return { run, seconds: (performance.now() - started) / 1000 };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** parties' own create rate: `count` creates at the job's concurrency, each with an address and a reference. */
async function partiesCreates(
  round: string,
  count: number,
  concurrency = 8,
): Promise<{ created: number; seconds: number }> {
  const parties = system.service('parties');
  const token = await system.token(['parties:parties:write']);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const answer = await fetch(`${parties.url}/v1/parties`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            kind: 'company',
            name: `Baseline ${round} ${index} GmbH`,
            legalForm: 'GmbH',
            country: 'DE',
            email: `baseline-${index}@bench.example`,
            phone: '+49 30 1234567',
            addresses: [
              {
                type: 'registered',
                line1: 'Hauptstraße 1',
                city: 'Berlin',
                postalCode: '10115',
                country: 'DE',
              },
            ],
            contacts: [{ name: 'Anna Schmidt', email: `anna-${index}@bench.example` }],
            externalRefs: [{ system: `bench:${round}`, id: String(index) }],
          }),
        });
        if (answer.status !== 201) throw new Error(`parties create: ${answer.status} ${await answer.text()}`);
        await answer.arrayBuffer();
      }
    }),
  );
  return { created: count, seconds: (performance.now() - started) / 1000 };
}

const rows: string[] = [];
const rate = (read: number, seconds: number) => Math.round(read / seconds);
try {
  for (const [version, connectorId] of [
    ['v4', dynamicsId],
    ['v2', sapId],
  ] as const) {
    // One raw pass to warm the peer (its first queries compile), then the measured one.
    await rawPaging(version);
    const raw = await rawPaging(version);
    const creates = await partiesCreates(version, Math.min(records, 2_000));
    const synced = await sync(connectorId);
    if (synced.run.status !== 'completed') throw new Error(`the ${version} run failed: ${synced.run.error}`);
    const syncRate = rate(synced.run.read, synced.seconds);
    const createRate = rate(creates.created, creates.seconds);
    rows.push(
      `| ${version} | ${rate(raw.read, raw.seconds)} rec/s (${raw.read} in ${raw.seconds.toFixed(2)} s) | ` +
        `${createRate}/s (${creates.created} in ${creates.seconds.toFixed(1)} s) | ` +
        `${syncRate} rec/s (${synced.run.read} read, ${synced.run.created} created, ${synced.run.errors} errors, ` +
        `${synced.run.pages} pages, ${synced.seconds.toFixed(1)} s) | ${(syncRate / rate(raw.read, raw.seconds)).toFixed(3)} | ` +
        `${(syncRate / createRate).toFixed(2)} |`,
    );
    process.stdout.write(`${rows.at(-1)}\n`);
    process.stdout.write(
      `  (load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')})\n`,
    );
  }
  process.stdout.write(
    '\n| protocol | raw paging (bare client) | parties creates alone | full sync | sync / raw | sync / creates |\n' +
      '| -------- | ------------------------ | --------------------- | --------- | ---------- | -------------- |\n' +
      `${rows.join('\n')}\n`,
  );
} finally {
  await system.close();
  await peer.stop();
}
