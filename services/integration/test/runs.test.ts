import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveKeySet, type ServedKeySet } from '@lessor/auth/testing';
import { buildService, openDatabase, type ServiceApp } from '@lessor/service-kit';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import type { IntegrationDatabase, RunOutcome } from '../src/database.ts';
import { integrationService } from '../src/integration.service.ts';
import { odataDateLiteral, parseODataDate } from '../src/odata/index.ts';
import type { RunContext, RunJob } from '../src/runs/index.ts';
import { startODataPeer, type ODataPeer } from './peers/index.ts';

/**
 * Sync runs on a real PostgreSQL against the real CAP peer, with a small job of the test's own that reads the
 * CRM page by page through the connector's OData client (the inbound job is tested in inbound*.test.ts): run now
 * and 409, progress while a run is held, the report, a schedule firing, resume after a restart, a run taken over
 * from a replica that died, and two replicas on one database never running one connector at once.
 */
const PAGE = 50;
const ACCOUNTS = 300;

/** What the test's job does at each page; `hold` keeps it waiting (until released or the service closes). */
interface JobControl {
  /** Runs (by id) held by a replica (any when not named) after this many pages saved. */
  holdAfter: Map<string, { pages: number; replica?: string }>;
  released: Set<string>;
  /** Each page saved: the run, the replica that saved it, the page's number in the run. */
  saved: { runId: string; replica: string; read: number }[];
}

const control: JobControl = { holdAfter: new Map(), released: new Set(), saved: [] };

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** An outcome per record, so the report has several kinds: every 25th a conflict, every 40th an error. */
function outcomeOf(index: number): { outcome: RunOutcome; reason: string | null } {
  if (index % 25 === 0) return { outcome: 'conflict', reason: 'tax id differs from Lessor’s' };
  if (index % 40 === 0) return { outcome: 'error', reason: 'no country' };
  return { outcome: 'created', reason: null };
}

/** Pages through the connector's inbound entity set from the run's cursor (or watermark), saving each page. */
function pagingJob(replica: string): RunJob {
  return async (context: RunContext) => {
    const { run, connector, client, db } = context;
    const inbound = connector.mapping.inbound!;
    const since = run.watermarkFrom ? new Date(run.watermarkFrom) : null;
    let page = run.cursor
      ? await client.next(run.cursor)
      : await client.page(inbound.entitySet, {
          select: [inbound.key, inbound.modifiedField],
          orderby: `${inbound.modifiedField},${inbound.key}`,
          count: true,
          ...(since
            ? {
                filter: `${inbound.modifiedField} gt ${odataDateLiteral(since, client.version, inbound.modifiedType)}`,
              }
            : {}),
        });
    let watermark = run.watermarkTo;
    for (;;) {
      for (const record of page.records) {
        const modified = parseODataDate(record[inbound.modifiedField]).toISOString();
        if (!watermark || modified > watermark) watermark = modified;
      }
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .selectFrom('syncRuns')
          .select('read')
          .where('id', '=', run.id)
          .executeTakeFirstOrThrow();
        await context.savePage(trx, {
          cursor: page.nextLink,
          watermark,
          total: page.count,
          records: page.records.map((record, index) => ({
            remoteId: String(record[inbound.key]),
            ...outcomeOf(done.read + index + 1),
          })),
        });
      });
      const read = (
        await db.selectFrom('syncRuns').select('read').where('id', '=', run.id).executeTakeFirstOrThrow()
      ).read;
      control.saved.push({ runId: run.id, replica, read });
      const hold = control.holdAfter.get(run.id);
      if (hold && (hold.replica ?? replica) === replica && read >= hold.pages * PAGE)
        await waitFor(() => control.released.has(run.id) || context.stopping());
      if (!page.nextLink || context.stopping()) return;
      page = await client.next(page.nextLink);
    }
  };
}

describe('integration: sync runs', () => {
  let peer: ODataPeer;
  let service: TestServices & TestService;
  let keys: ServedKeySet;
  let operator: string;
  const key = randomBytes(32).toString('base64');
  const replicas: ServiceApp[] = [];

  const env = (tickMs: number, staleMs = 60_000) => ({
    INTEGRATION_CREDENTIALS_KEY: key,
    INTEGRATION_PAGE_SIZE: String(PAGE),
    INTEGRATION_SCHEDULER_TICK_MS: String(tickMs),
    INTEGRATION_RUN_STALE_MS: String(staleMs),
  });

  /** Another replica of integration on the same database (its own pool), ready and ticking. */
  async function startReplica(replicaId: string, tickMs: number, staleMs?: number): Promise<ServiceApp> {
    const database = await openDatabase<unknown>({
      schema: 'integration',
      url: service.database.url,
      poolSize: 5,
    });
    const app = await buildService(integrationService, {
      env: { PORT: '0', LOG_LEVEL: 'silent', SSO_JWKS_URL: keys.jwksUrl, ...env(tickMs, staleMs) },
      database,
      transport: service.app.events?.transport,
      logger: pino({ level: 'silent' }),
      options: { replicaId, jobs: { crm: pagingJob(replicaId) } },
    });
    await app.ready();
    replicas.push(app);
    return app;
  }
  const callOn = async (app: ServiceApp, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${operator}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: response.statusCode, body: response.json() };
  };

  beforeAll(async () => {
    peer = await startODataPeer({ accounts: ACCOUNTS, businessPartners: 60, pageSize: PAGE });
    service = await startTestService(integrationService, {
      // The test's own replica ticks seldom: runs started through it are taken up at once (run now kicks).
      env: env(3_600_000),
      options: { replicaId: 'main', jobs: { crm: pagingJob('main') } },
    });
    keys = await serveKeySet(service.issuer);
    operator = await service.token([
      'integration:connectors:read',
      'integration:connectors:write',
      'integration:runs:read',
      'integration:runs:write',
    ]);
  }, 120_000);
  afterAll(async () => {
    for (const app of replicas) await app.close().catch(() => {});
    await service?.close();
    await keys?.close();
    await peer?.stop();
  });

  async function aConnector(changes: Record<string, unknown> = {}): Promise<string> {
    const created = await service.call('POST', '/v1/connectors', operator, {
      name: `Dynamics ${randomBytes(4).toString('hex')}`,
      kind: 'crm',
      protocol: 'odata-v4',
      baseUrl: peer.dynamics,
      auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: 'lessor', clientSecret: 'peer-secret' },
      mapping: { preset: 'dynamics' },
      ...changes,
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }
  const getRun = async (id: string) => (await service.call('GET', `/v1/runs/${id}`, operator)).body;
  const ended = (id: string) =>
    service.until(async () => {
      const run = await getRun(id);
      return run.status === 'completed' || run.status === 'failed' ? run : undefined;
    }, `run ${id} ended`);

  it('should run now, show its progress while it runs, refuse a second run (409) and complete with its report', async () => {
    const connectorId = await aConnector();
    const started = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {
      mode: 'full',
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ connectorId, mode: 'full', trigger: 'manual', read: 0 });
    const runId = started.body.id as string;
    control.holdAfter.set(runId, { pages: 2 });

    const held = await service.until(async () => {
      const run = await getRun(runId);
      return run.status === 'running' && run.read === 2 * PAGE ? run : undefined;
    }, 'two pages saved');
    expect(held).toMatchObject({
      total: ACCOUNTS,
      percent: 33,
      pages: 2,
      created: 94,
      conflicts: 4,
      errors: 2,
    });
    const again = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INTEGRATION_RUN_ACTIVE');
    // The same request retried with its Idempotency-Key: the run it started, not a 409.
    const key = { 'idempotency-key': `run-${randomBytes(6).toString('hex')}` };
    const other = await aConnector();
    const first = await service.call('POST', `/v1/connectors/${other}/runs`, operator, { mode: 'full' }, key);
    const replay = await service.call(
      'POST',
      `/v1/connectors/${other}/runs`,
      operator,
      { mode: 'full' },
      key,
    );
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(first.body.id);
    await ended(first.body.id);
    const during = (await service.call('GET', `/v1/connectors/${connectorId}`, operator)).body;
    expect(during.lastRun).toMatchObject({ id: runId, status: 'running', finishedAt: null });
    const listed = await service.call('GET', `/v1/runs?connectorId=${connectorId}&status=running`, operator);
    expect(listed.body.items.map((run: { id: string }) => run.id)).toEqual([runId]);

    control.released.add(runId);
    const run = await ended(runId);
    expect(run).toMatchObject({
      status: 'completed',
      read: ACCOUNTS,
      percent: 100,
      conflicts: 12,
      errors: 6,
    });
    expect(run.created).toBe(ACCOUNTS - 12 - 6);
    const conflicts = await service.call(
      'GET',
      `/v1/runs/${runId}/records?outcome=conflict&limit=50`,
      operator,
    );
    expect(conflicts.body.items).toHaveLength(12);
    expect(conflicts.body.items[0]).toMatchObject({ seq: 25, reason: 'tax id differs from Lessor’s' });
    const all = await service.call('GET', `/v1/runs/${runId}/records?limit=200`, operator);
    expect(all.body.items.map((record: { seq: number }) => record.seq)).toEqual(
      Array.from({ length: 200 }, (_, index) => index + 1),
    );
    const next = await service.call(
      'GET',
      `/v1/runs/${runId}/records?limit=200&cursor=${all.body.nextCursor}`,
      operator,
    );
    const remoteIds = [...all.body.items, ...next.body.items].map(
      (record: { remoteId: string }) => record.remoteId,
    );
    expect(new Set(remoteIds).size).toBe(ACCOUNTS);

    const connector = (await service.call('GET', `/v1/connectors/${connectorId}`, operator)).body;
    expect(connector.lastRun).toMatchObject({ id: runId, status: 'completed' });
    expect(connector.watermark).toBe(run.watermarkTo);
    const [completed] = (await service.outbox('lessor.integration.run.completed.v1')).filter(
      (event) => event.subject === runId,
    );
    expect(completed!.data).toMatchObject({ connectorId, mode: 'full', read: ACCOUNTS, conflicts: 12 });

    // Incremental from the watermark: nothing changed since, nothing read; then one account changes.
    const quiet = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {});
    expect(await ended(quiet.body.id)).toMatchObject({
      status: 'completed',
      read: 0,
      watermarkFrom: run.watermarkTo,
    });
    const changed = all.body.items[5].remoteId as string;
    await peer.control.update({ entity: 'accounts', key: changed, fields: { telephone1: '+49 30 1234' } });
    const incremental = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {});
    expect(await ended(incremental.body.id)).toMatchObject({ status: 'completed', read: 1 });
  });

  it('should refuse a run of a disabled connector, an unknown one, and a reader starting one', async () => {
    const connectorId = await aConnector({ enabled: false });
    const disabled = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {});
    expect(disabled.status).toBe(409);
    expect(disabled.body.code).toBe('INTEGRATION_CONNECTOR_DISABLED');
    const unknown = await service.call('POST', `/v1/connectors/${randomUuid()}/runs`, operator, {});
    expect(unknown.status).toBe(404);
    const reader = await service.token(['integration:runs:read']);
    expect((await service.call('POST', `/v1/connectors/${connectorId}/runs`, reader, {})).status).toBe(403);
    expect((await service.call('GET', '/v1/runs', undefined)).status).toBe(401);
    const bad = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {
      mode: 'partial',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toContain('/body/mode');
  });

  it('should fail a run with the reason when the CRM is not there, and keep the watermark', async () => {
    const connectorId = await aConnector({ baseUrl: 'http://127.0.0.1:9/odata/v4/dynamics/' });
    const started = await service.call('POST', `/v1/connectors/${connectorId}/runs`, operator, {});
    const run = await ended(started.body.id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/./);
    const connector = (await service.call('GET', `/v1/connectors/${connectorId}`, operator)).body;
    expect(connector).toMatchObject({ watermark: null, lastRun: { id: run.id, status: 'failed' } });
  });

  it('should resume a run from its cursor after the replica running it restarts', async () => {
    const connectorId = await aConnector();
    const first = await startReplica('first', 3_600_000);
    const started = await callOn(first, 'POST', `/v1/connectors/${connectorId}/runs`, { mode: 'full' });
    expect(started.status).toBe(202);
    const runId = started.body.id as string;
    control.holdAfter.set(runId, { pages: 2, replica: 'first' });
    await service.until(async () => (await getRun(runId)).read === 2 * PAGE, 'two pages saved');
    await first.close();
    const requeued = await getRun(runId);
    expect(requeued).toMatchObject({ status: 'queued', read: 2 * PAGE, attempts: 1 });
    const requestsBefore = (await peer.control.requests()).length;

    await startReplica('second', 3_600_000);
    const run = await ended(runId);
    expect(run).toMatchObject({ status: 'completed', read: ACCOUNTS, attempts: 2 });
    const replicasOfRun = control.saved
      .filter((entry) => entry.runId === runId)
      .map((entry) => entry.replica);
    expect(replicasOfRun.slice(0, 2)).toEqual(['first', 'first']);
    expect(replicasOfRun.length).toBeGreaterThan(2);
    expect(replicasOfRun.slice(2).every((replica) => replica === 'second')).toBe(true);
    // The second replica went on from the third page's link: it asked for no first page again.
    const resumed = (await peer.control.requests())
      .slice(requestsBefore)
      .filter((r) => r.url.includes('accounts'));
    expect(resumed.length).toBeGreaterThanOrEqual(ACCOUNTS / PAGE - 2);
    expect(resumed.every((request) => /skiptoken/i.test(request.url))).toBe(true);
    const records = await service
      .db<IntegrationDatabase>()
      .selectFrom('runRecords')
      .select(['remoteId'])
      .where('runId', '=', runId)
      .execute();
    expect(new Set(records.map((record) => record.remoteId)).size).toBe(ACCOUNTS);
  });

  it('should take over a run whose replica died (stale heartbeat), and the dead replica writes nothing more', async () => {
    const connectorId = await aConnector();
    const doomed = await startReplica('doomed', 3_600_000);
    const started = await callOn(doomed, 'POST', `/v1/connectors/${connectorId}/runs`, { mode: 'full' });
    const runId = started.body.id as string;
    control.holdAfter.set(runId, { pages: 1, replica: 'doomed' });
    await service.until(async () => (await getRun(runId)).read === PAGE, 'a page saved');
    // As if its process had died: its heartbeat stops (made old here), and it must not write again.
    await service
      .db<IntegrationDatabase>()
      .updateTable('syncRuns')
      .set({ heartbeatAt: new Date(Date.now() - 3_600_000) })
      .where('id', '=', runId)
      .execute();
    const rescuer = await startReplica('rescuer', 100, 1_000);
    const run = await ended(runId);
    expect(run).toMatchObject({ status: 'completed', read: ACCOUNTS, attempts: 2 });
    // The dead replica wakes up: its next page is refused (it no longer owns the run), nothing is written.
    control.released.add(runId);
    await doomed.close();
    const byReplica = control.saved.filter((entry) => entry.runId === runId).map((entry) => entry.replica);
    expect(byReplica[0]).toBe('doomed');
    expect(byReplica.slice(1).every((replica) => replica === 'rescuer')).toBe(true);
    expect(byReplica.filter((replica) => replica === 'doomed')).toHaveLength(1);
    expect((await getRun(runId)).read).toBe(ACCOUNTS);
    await rescuer.close();
  });

  it('should fire a schedule, and never run one connector on two replicas at once', async () => {
    const connectorId = await aConnector({ schedule: '* * * * * *' });
    const [a, b] = [await startReplica('a', 50, 2_000), await startReplica('b', 50, 2_000)];
    // Two "run now" at once on the two replicas (a scheduled one may be queued already): at most one is taken.
    const [one, two] = await Promise.all([
      callOn(a, 'POST', `/v1/connectors/${connectorId}/runs`, {}),
      callOn(b, 'POST', `/v1/connectors/${connectorId}/runs`, {}),
    ]);
    expect([one.status, two.status].filter((status) => status === 202).length).toBeLessThanOrEqual(1);
    expect([one.status, two.status].filter((status) => status === 409).length).toBeGreaterThanOrEqual(1);
    const runs = await service.until(async () => {
      const page = await service.call('GET', `/v1/runs?connectorId=${connectorId}&limit=50`, operator);
      const done = page.body.items.filter((run: { status: string }) => run.status === 'completed');
      const scheduled = done.filter((run: { trigger: string }) => run.trigger === 'schedule');
      return done.length >= 4 && scheduled.length >= 2 ? done : undefined;
    }, 'four runs completed, two of them scheduled');
    await a.close();
    await b.close();
    expect(runs.find((run: { trigger: string }) => run.trigger === 'schedule').startedBy).toBe(
      'system:scheduler',
    );
    // Each run by one replica only, and no two runs of the connector overlapping in time.
    for (const run of runs) {
      const by = new Set(
        control.saved.filter((entry) => entry.runId === run.id).map((entry) => entry.replica),
      );
      expect(by.size).toBeLessThanOrEqual(1);
    }
    const spans = runs
      .map((run: { startedAt: string; finishedAt: string }) => [run.startedAt, run.finishedAt] as const)
      .sort(([x]: readonly [string, string], [y]: readonly [string, string]) => x.localeCompare(y));
    for (let index = 1; index < spans.length; index++)
      expect(spans[index]![0] >= spans[index - 1]![1]).toBe(true);
  });
});

function randomUuid(): string {
  return '0193a1b2-0000-7000-8000-' + randomBytes(6).toString('hex');
}
