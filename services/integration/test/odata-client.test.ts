// The OData client against real OData servers: the CAP peers (v4 Dynamics-shaped, v2 SAP-shaped through the
// v2 adapter, v4 accounting with $batch). What a connector relies on: paging with counts, incremental filters by
// date, throttling, failures mid-run, ETags, CSRF, OAuth2 and basic auth, $batch, deadlines, the metric.
import { createServer, type Server, type Socket } from 'node:net';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createODataClient,
  createODataMetrics,
  odataDateLiteral,
  odataGuid,
  ODataAuthError,
  ODataConflictError,
  ODataProtocolError,
  ODataThrottledError,
  ODataTimeoutError,
  ODataUnavailableError,
  parseODataDate,
  type ODataClient,
  type ODataClientOptions,
  type ODataPage,
} from '../src/odata/index.ts';
import { seededAccount, seededBusinessPartner, startODataPeer, type ODataPeer } from './peers/index.ts';

let peer: ODataPeer;
let registry: Registry;
const clients: ODataClient[] = [];
const log = pino({ level: 'silent' });

beforeAll(async () => {
  peer = await startODataPeer({ accounts: 2_500, businessPartners: 2_500 });
});

afterAll(async () => {
  for (const client of clients) client.close();
  await peer?.stop();
});

beforeEach(async () => {
  await peer.control.reset();
  registry = new Registry();
});

type Target = 'dynamics' | 'sap' | 'accounting';

function client(target: Target, overrides: Partial<ODataClientOptions> = {}): ODataClient {
  const created = createODataClient({
    version: target === 'sap' ? 'v2' : 'v4',
    serviceRoot: peer[target],
    auth:
      target === 'sap'
        ? { kind: 'basic', ...peer.basic }
        : {
            kind: 'oauth2',
            tokenUrl: peer.tokenUrl,
            clientId: peer.clientId,
            clientSecret: peer.clientSecret,
          },
    connector: target,
    deadlineMs: 20_000,
    maxAttempts: 4,
    retryBaseDelayMs: 20,
    metrics: createODataMetrics(registry),
    log,
    ...overrides,
  });
  clients.push(created);
  return created;
}

async function all(pages: AsyncIterable<ODataPage>): Promise<ODataPage[]> {
  const read: ODataPage[] = [];
  for await (const page of pages) read.push(page);
  return read;
}

async function outcomes(): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('lessor_integration_outbound_seconds')!.get();
  const counts: Record<string, number> = {};
  for (const value of metric.values) {
    if (
      !('metricName' in value) ||
      typeof value.metricName !== 'string' ||
      !value.metricName.endsWith('_count')
    )
      continue;
    const { connector, operation, outcome } = value.labels;
    counts[`${connector}/${operation}/${outcome}`] = value.value;
  }
  return counts;
}

async function odataRequests(service: string) {
  return (await peer.control.requests()).filter((entry) => entry.service === service);
}

describe('reading pages', () => {
  it('should read every account over v4 by following relative nextLinks, with @odata.count', async () => {
    const crm = client('dynamics');
    const pages = await all(
      crm.pages('accounts', {
        select: ['accountid', 'name', 'modifiedon'],
        orderby: 'accountid',
        count: true,
      }),
    );
    expect(pages.map((page) => page.records.length)).toEqual([1_000, 1_000, 500]);
    expect(pages.map((page) => page.count)).toEqual([2_500, 2_500, 2_500]);
    const ids = new Set(pages.flatMap((page) => page.records.map((record) => record.accountid)));
    expect(ids.size).toBe(2_500);
    expect(pages[0]!.records[0]).toMatchObject({
      accountid: seededAccount(0).accountid,
      name: seededAccount(0).name,
    });
    // Links come back absolute, on the service root.
    expect(pages[0]!.nextLink!.startsWith(`${peer.dynamics}accounts?`)).toBe(true);
    expect(pages[2]!.nextLink).toBeNull();
    const log = await peer.control.requests();
    expect(log.filter((entry) => entry.service === 'token')).toHaveLength(1);
    expect(
      log.filter((entry) => entry.service === 'dynamics').map((entry) => [entry.status, entry.auth]),
    ).toEqual([
      [200, 'bearer'],
      [200, 'bearer'],
      [200, 'bearer'],
    ]);
    expect(await outcomes()).toMatchObject({
      'dynamics/page/ok': 1,
      'dynamics/next/ok': 2,
      'dynamics/token/ok': 1,
    });
  });

  it('should read every business partner over v2 by following absolute __next links, with __count and expands', async () => {
    const crm = client('sap');
    const pages = await all(
      crm.pages('A_BusinessPartner', {
        count: true,
        expand: ['to_BusinessPartnerAddress', 'to_BusinessPartnerTax'],
      }),
    );
    expect(pages.map((page) => page.records.length)).toEqual([1_000, 1_000, 500]);
    expect(pages[0]!.count).toBe(2_500);
    const ids = new Set(pages.flatMap((page) => page.records.map((record) => record.BusinessPartner)));
    expect(ids.size).toBe(2_500);
    const seeded = seededBusinessPartner(0);
    const first = pages[0]!.records[0]!;
    // v2 records read as v4 ones: no __metadata, expanded navigations as arrays.
    expect(first).not.toHaveProperty('__metadata');
    expect(first.to_BusinessPartnerAddress).toEqual([
      expect.objectContaining({ CityName: 'Berlin', Country: 'DE' }),
    ]);
    expect(first.to_BusinessPartnerTax).toEqual([expect.objectContaining(seeded.to_BusinessPartnerTax[0]!)]);
    expect(parseODataDate(first.LastChangeDate).toISOString()).toBe(seeded.LastChangeDate);
    expect((await odataRequests('sap')).map((entry) => [entry.status, entry.auth])).toEqual([
      [200, 'basic'],
      [200, 'basic'],
      [200, 'basic'],
    ]);
  });

  it('should read only what changed after a watermark over v4, ordered by modifiedon', async () => {
    const crm = client('dynamics');
    const watermark = parseODataDate(seededAccount(2_489).modifiedon);
    const page = await crm.page('accounts', {
      select: ['accountid', 'modifiedon'],
      filter: `modifiedon gt ${odataDateLiteral(watermark, 'v4')}`,
      orderby: 'modifiedon asc,accountid asc',
      count: true,
    });
    expect(page.count).toBe(10);
    expect(page.nextLink).toBeNull();
    expect(page.records.map((record) => record.accountid)).toEqual(
      Array.from({ length: 10 }, (_, index) => seededAccount(2_490 + index).accountid),
    );
    for (const record of page.records)
      expect(parseODataDate(record.modifiedon).getTime()).toBeGreaterThan(watermark.getTime());
  });

  it('should read only what changed after a watermark over v2 with a datetimeoffset literal', async () => {
    const crm = client('sap');
    const watermark = parseODataDate(seededBusinessPartner(2_494).LastChangeDate);
    const page = await crm.page('A_BusinessPartner', {
      select: ['BusinessPartner', 'LastChangeDate'],
      filter: `LastChangeDate gt ${odataDateLiteral(watermark, 'v2', 'DateTimeOffset')}`,
      orderby: 'LastChangeDate asc,BusinessPartner asc',
      count: true,
    });
    expect(page.count).toBe(5);
    expect(page.records.map((record) => record.BusinessPartner)).toEqual(
      [2_495, 2_496, 2_497, 2_498, 2_499].map((index) => seededBusinessPartner(index).BusinessPartner),
    );
  });

  it("should filter a v2 Edm.DateTime with the default datetime'…' literal, its values read as UTC", async () => {
    const day = (index: number) => new Date(Date.UTC(2020, 0, 1) + index * 86_400_000);
    const page = await client('sap').page('A_BusinessPartner', {
      select: ['BusinessPartner', 'CreationDate'],
      filter: `CreationDate ge ${odataDateLiteral(day(995), 'v2')}`,
      orderby: 'BusinessPartner',
      count: true,
    });
    // The seed's CreationDate is 2020-01-01 plus (index mod 1,000) days: indexes 995–999 and 1,995–1,999.
    expect(page.count).toBe(10);
    expect(page.records.map((record) => record.BusinessPartner)).toEqual(
      [995, 996, 997, 998, 999, 1_995, 1_996, 1_997, 1_998, 1_999].map(
        (index) => seededBusinessPartner(index).BusinessPartner,
      ),
    );
    expect(parseODataDate(page.records[0]!.CreationDate)).toEqual(day(995));
  });

  it('should refuse a next link to another origin without sending anything', async () => {
    const crm = client('dynamics');
    await expect(crm.next('http://203.0.113.7/dynamics/accounts?$skiptoken=1')).rejects.toBeInstanceOf(
      ODataProtocolError,
    );
    await expect(crm.next(`${peer.origin}/control/reset`)).rejects.toBeInstanceOf(ODataProtocolError);
    await expect(crm.page('../control/reset', {})).rejects.toBeInstanceOf(ODataProtocolError);
    expect(await peer.control.requests()).toEqual([]);
    expect(await outcomes()).toMatchObject({ 'dynamics/next/protocol': 2, 'dynamics/page/protocol': 1 });
  });

  it('should answer the connection test with the $metadata status', async () => {
    expect(await client('dynamics').ping()).toMatchObject({ status: 200 });
    expect(await client('sap').ping()).toMatchObject({ status: 200 });
  });
});

describe('throttling and failures', () => {
  it('should wait the Retry-After of a 429, then succeed', async () => {
    await peer.control.throttle({ status: 429, times: 2, retryAfterSeconds: 1, service: 'dynamics' });
    const page = await client('dynamics').page('accounts', { select: ['accountid'], top: 5 });
    expect(page.records).toHaveLength(5);
    const log = await odataRequests('dynamics');
    expect(log.map((entry) => entry.status)).toEqual([429, 429, 200]);
    // Honoured: each retry left at least the second the server asked for.
    for (let index = 1; index < log.length; index += 1)
      expect(Date.parse(log[index]!.at) - Date.parse(log[index - 1]!.at)).toBeGreaterThanOrEqual(1_000);
    expect(await outcomes()).toMatchObject({ 'dynamics/page/ok': 1 });
  });

  it('should wait the Retry-After of a 503 on a v2 read, then succeed', async () => {
    await peer.control.throttle({ status: 503, times: 1, retryAfterSeconds: 1, service: 'sap' });
    const page = await client('sap').page('A_BusinessPartner', { top: 3 });
    expect(page.records).toHaveLength(3);
    expect((await odataRequests('sap')).map((entry) => entry.status)).toEqual([503, 200]);
  });

  it('should give up at once with a retryable throttled error when the Retry-After passes the deadline', async () => {
    await peer.control.throttle({ status: 429, times: 5, retryAfterSeconds: 30, service: 'dynamics' });
    const error = await client('dynamics', { deadlineMs: 5_000 })
      .page('accounts', { top: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ODataThrottledError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 30_000 });
    expect((await odataRequests('dynamics')).map((entry) => entry.status)).toEqual([429]);
    expect(await outcomes()).toMatchObject({ 'dynamics/page/throttled': 1 });
  });

  it('should stop after its attempts when the server keeps throttling', async () => {
    await peer.control.throttle({ status: 429, times: 10, retryAfterSeconds: 0, service: 'sap' });
    const error = await client('sap', { maxAttempts: 3 })
      .page('A_BusinessPartner', { top: 1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ODataThrottledError);
    expect((await odataRequests('sap')).map((entry) => entry.status)).toEqual([429, 429, 429]);
  });

  it('should surface a connection broken mid-run as a retryable error after the pages read', async () => {
    await peer.control.failAfterPages({ pages: 1, times: 10, service: 'dynamics' });
    const read: ODataPage[] = [];
    const error = await (async () => {
      for await (const page of client('dynamics', { maxAttempts: 2 }).pages('accounts', {
        select: ['accountid'],
      }))
        read.push(page);
    })().catch((caught: unknown) => caught);
    expect(read).toHaveLength(1);
    expect(error).toBeInstanceOf(ODataUnavailableError);
    expect(error).toMatchObject({ retryable: true, status: null, operation: 'next' });
    // Where to go on from is the page read: its next link.
    expect(read[0]!.nextLink).toMatch(/skiptoken=1000/);
  });

  it('should retry a 500 mid-run on a read and go on when the server recovers', async () => {
    await peer.control.failAfterPages({ pages: 1, times: 1, mode: 'status-500', service: 'sap' });
    const pages = await all(client('sap').pages('A_BusinessPartner', { select: ['BusinessPartner'] }));
    expect(pages.map((page) => page.records.length)).toEqual([1_000, 1_000, 500]);
    expect((await odataRequests('sap')).map((entry) => entry.status)).toEqual([200, 500, 200, 200]);
  });

  it('should end a call that gets no answer at its deadline with a retryable timeout', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const error = await client('dynamics', {
        serviceRoot: `http://127.0.0.1:${port}/odata/`,
        auth: { kind: 'none' },
        deadlineMs: 300,
      })
        .page('accounts', { top: 1 })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ODataTimeoutError);
      expect(error).toMatchObject({ retryable: true, code: 'ODATA_TIMEOUT' });
      expect(await outcomes()).toMatchObject({ 'dynamics/page/timeout': 1 });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
  it('should end the calls under way when the client is closed, with a retryable error', async () => {
    const silent: Server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const crm = client('dynamics', {
        serviceRoot: `http://127.0.0.1:${port}/odata/`,
        auth: { kind: 'none' },
      });
      const pending = crm.page('accounts', { top: 1 }).catch((caught: unknown) => caught);
      await new Promise<void>((resolve) => silent.once('connection', () => resolve()));
      crm.close();
      const error = await pending;
      expect(error).toBeInstanceOf(ODataUnavailableError);
      expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('closed') });
      // Closing again (as a shutdown after a test's own close does) leaves no rejection behind.
      crm.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      silent.close();
    }
  });
});

describe('writing', () => {
  it('should update a v4 record with its ETag and refuse a stale ETag with a conflict', async () => {
    const crm = client('dynamics');
    const key = odataGuid(seededAccount(3).accountid);
    const { record, etag } = await crm.get('accounts', key, { select: ['accountid', 'new_lessorstatus'] });
    expect(record.accountid).toBe(seededAccount(3).accountid);
    expect(etag).toBe(`W/"${seededAccount(3).modifiedon}"`);

    const written = await crm.update(
      'accounts',
      key,
      { new_lessorcontract: 'LC-1', new_lessorstatus: 'signed' },
      { etag: etag! },
    );
    expect(written.etag).not.toBeNull();
    expect(written.etag).not.toBe(etag);

    const error = await crm
      .update('accounts', key, { new_lessorstatus: 'active' }, { etag: etag! })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ODataConflictError);
    expect(error).toMatchObject({ status: 412, retryable: false, code: 'ODATA_CONFLICT' });
    expect(await peer.control.record('accounts', seededAccount(3).accountid)).toMatchObject({
      new_lessorstatus: 'signed',
    });
    const patches = (await odataRequests('dynamics')).filter((entry) => entry.method === 'PATCH');
    expect(patches.map((entry) => [entry.ifMatch, entry.status])).toEqual([
      [etag, 200],
      [etag, 412],
    ]);
    expect(await outcomes()).toMatchObject({ 'dynamics/update/ok': 1, 'dynamics/update/conflict': 1 });
  });

  it('should fetch a CSRF token with the session cookie before a v2 MERGE, and refetch it once when refused', async () => {
    const crm = client('sap');
    const partner = seededBusinessPartner(7).BusinessPartner;
    const { etag } = await crm.get('A_BusinessPartner', partner);
    expect(etag).not.toBeNull();
    await crm.update('A_BusinessPartner', partner, { YY1_LessorStatus_bus: 'signed' }, { etag: etag! });
    const before = (await odataRequests('sap')).map((entry) => [entry.method, entry.status, entry.csrfToken]);
    expect(before).toEqual([
      ['GET', 200, null],
      ['GET', 200, 'Fetch'],
      ['MERGE', expect.any(Number), expect.stringMatching(/^(?!Fetch$).+/)],
    ]);
    expect(before[2]![1]).toBeLessThan(300);

    // The server forgets its sessions (as SAP's expire; reset also empties the log): the next write is refused
    // with `x-csrf-token: Required`, the client fetches a new token and session once and writes.
    await peer.control.reset();
    await crm.update('A_BusinessPartner', partner, { YY1_LessorContract_bus: 'LC-7' });
    const after = (await odataRequests('sap')).map((entry) => [entry.method, entry.status, entry.csrfToken]);
    expect(after.map(([method, status]) => [method, Number(status) < 300 ? 'ok' : status])).toEqual([
      ['MERGE', 403],
      ['GET', 'ok'],
      ['MERGE', 'ok'],
    ]);
    expect(after[0]![2]).toBe(before[2]![2]);
    expect(after[2]![2]).not.toBe(before[2]![2]);
    expect(await peer.control.record('A_BusinessPartner', partner)).toMatchObject({
      YY1_LessorStatus_bus: 'signed',
      YY1_LessorContract_bus: 'LC-7',
    });
  });

  it('should answer a stale v2 ETag with a conflict', async () => {
    const crm = client('sap');
    const partner = seededBusinessPartner(8).BusinessPartner;
    const { etag } = await crm.get('A_BusinessPartner', partner);
    await crm.update('A_BusinessPartner', partner, { YY1_LessorStatus_bus: 'active' }, { etag: etag! });
    const error = await crm
      .update('A_BusinessPartner', partner, { YY1_LessorStatus_bus: 'terminated' }, { etag: etag! })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ODataConflictError);
    expect(error).toMatchObject({ status: 412 });
  });

  it('should create journal entries in one $batch changeset and answer each write', async () => {
    const accounting = client('accounting');
    const ids = ['5a0c6c36-0000-4000-8000-0000000000a1', '5a0c6c36-0000-4000-8000-0000000000a2'];
    const answers = await accounting.batch(
      ids.map((id) => ({ method: 'POST', entitySet: 'JournalEntries', body: entry(id) })),
    );
    expect(answers.map((answer) => [answer.status, answer.error])).toEqual([
      [201, null],
      [201, null],
    ]);
    expect(answers[0]!.record).toMatchObject({ EntryID: ids[0] });
    expect(await peer.control.record('JournalEntries', ids[1]!)).toMatchObject({ EntryID: ids[1] });
  });

  it('should refuse a duplicate in a $batch per write when the writes stand alone, and all of a changeset when atomic', async () => {
    const accounting = client('accounting');
    const existing = '5a0c6c36-0000-4000-8000-0000000000b1';
    await accounting.create('JournalEntries', entry(existing));
    const fresh = '5a0c6c36-0000-4000-8000-0000000000b2';
    const alone = await accounting.batch(
      [existing, fresh].map((id) => ({ method: 'POST', entitySet: 'JournalEntries', body: entry(id) })),
      { atomic: false },
    );
    expect(alone.map((answer) => answer.status)).toEqual([409, 201]);
    expect(alone[0]!.error).toBeInstanceOf(ODataConflictError);
    expect(alone[0]!.error!.serverMessage).toContain('already exists');

    const other = '5a0c6c36-0000-4000-8000-0000000000b3';
    const atomic = await accounting.batch(
      [other, existing].map((id) => ({ method: 'POST', entitySet: 'JournalEntries', body: entry(id) })),
    );
    expect(atomic.every((answer) => answer.error instanceof ODataConflictError)).toBe(true);
    expect(await peer.control.record('JournalEntries', other)).toBeNull();
  });
  it('should send v2 writes in a $batch changeset with the CSRF token', async () => {
    const crm = client('sap');
    const partners = [11, 12].map((index) => seededBusinessPartner(index).BusinessPartner);
    const answers = await crm.batch(
      partners.map((partner) => ({
        method: 'MERGE',
        entitySet: 'A_BusinessPartner',
        key: partner,
        body: { YY1_LessorStatus_bus: 'active' },
      })),
    );
    expect(answers.map((answer) => [answer.status < 300, answer.error])).toEqual([
      [true, null],
      [true, null],
    ]);
    for (const partner of partners)
      expect(await peer.control.record('A_BusinessPartner', partner)).toMatchObject({
        YY1_LessorStatus_bus: 'active',
      });
    const batch = (await odataRequests('sap')).find((entry) => entry.method === 'POST');
    expect(batch).toMatchObject({ status: expect.any(Number), auth: 'basic', csrfToken: expect.any(String) });
    expect(batch!.url).toContain('$batch');
  });
});

describe('authentication', () => {
  it('should reuse one OAuth2 token, and fetch another once when the server answers 401', async () => {
    const crm = client('dynamics');
    await crm.page('accounts', { top: 1 });
    await crm.page('contacts', { top: 1 });
    await crm.get('accounts', odataGuid(seededAccount(1).accountid));
    await peer.control.expireTokens();
    await crm.page('accounts', { top: 1 });
    await crm.page('opportunities', { top: 1 });
    const log = await peer.control.requests();
    expect(log.map((entry) => [entry.service, entry.status])).toEqual([
      ['token', 200],
      ['dynamics', 200],
      ['dynamics', 200],
      ['dynamics', 200],
      ['dynamics', 401],
      ['token', 200],
      ['dynamics', 200],
      ['dynamics', 200],
    ]);
  });

  it('should authenticate to the token endpoint by basic auth when configured so', async () => {
    const crm = client('dynamics', {
      auth: {
        kind: 'oauth2',
        tokenUrl: peer.tokenUrl,
        clientId: peer.clientId,
        clientSecret: peer.clientSecret,
        clientAuth: 'basic',
      },
    });
    expect((await crm.page('accounts', { top: 2 })).records).toHaveLength(2);
    expect((await peer.control.requests()).map((entry) => [entry.service, entry.auth])).toEqual([
      ['token', 'basic'],
      ['dynamics', 'bearer'],
    ]);
  });

  it('should fetch one token for calls made at once', async () => {
    const crm = client('dynamics');
    await Promise.all([1, 2, 3, 4].map(() => crm.page('accounts', { top: 1 })));
    expect((await peer.control.requests()).filter((entry) => entry.service === 'token')).toHaveLength(1);
  });

  it('should refuse a wrong client secret or password as an auth error, not retried', async () => {
    const crm = client('dynamics', {
      auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: peer.clientId, clientSecret: 'wrong' },
    });
    await expect(crm.page('accounts', { top: 1 })).rejects.toMatchObject({
      code: 'ODATA_AUTH',
      retryable: false,
    });
    const sap = client('sap', { auth: { kind: 'basic', username: peer.basic.username, password: 'wrong' } });
    const error = await sap.page('A_BusinessPartner', { top: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ODataAuthError);
    expect(error).toMatchObject({ status: 401 });
    expect((await peer.control.requests()).map((entry) => entry.status)).toEqual([401, 401]);
  });
});

function entry(entryId: string) {
  return {
    EntryID: entryId,
    LegalEntity: 'LESSOR-DE',
    PostingDate: '2026-03-31',
    Description: 'Instalment 3/36',
    SourceType: 'invoice',
    Lines: [
      { LineNo: 1, AccountCode: '1200', Side: 'debit', Amount: '1234.56', Currency: 'EUR' },
      { LineNo: 2, AccountCode: '8400', Side: 'credit', Amount: '1234.56', Currency: 'EUR' },
    ],
  };
}
