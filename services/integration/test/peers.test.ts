// The test peers on their own: real CAP OData servers behave as the protocols say (paging, dates, ETags, CSRF,
// basic and OAuth2, throttling, failures, $batch, a restart over the same data). Plain fetch, no client of ours.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededAccount, seededBusinessPartner, startODataPeer, type ODataPeer } from './peers/index.ts';

let peer: ODataPeer;

beforeAll(async () => {
  peer = await startODataPeer({ accounts: 2_500, businessPartners: 2_500 });
});

afterAll(async () => {
  await peer?.stop();
});

beforeEach(async () => {
  await peer.control.reset();
});

async function token(target: ODataPeer = peer): Promise<string> {
  const response = await fetch(target.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: target.clientId,
      client_secret: target.clientSecret,
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function bearer(target: ODataPeer = peer): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token(target)}`, 'content-type': 'application/json' };
}

function basic(username = peer.basic.username, password = peer.basic.password): Record<string, string> {
  return {
    authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
    accept: 'application/json',
  };
}

/** SAP's CSRF protocol: a GET with `x-csrf-token: Fetch` gives the token and the session cookie. */
async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await fetch(peer.sap, { headers: { ...basic(), 'x-csrf-token': 'Fetch' } });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0]!)
    .join('; ');
  return { token: response.headers.get('x-csrf-token')!, cookie };
}

describe('the Dynamics-shaped peer (OData v4)', () => {
  it('should page every account with @odata.count and relative nextLinks when the server pages by 1,000', async () => {
    const headers = await bearer();
    let url: string | null = `${peer.dynamics}accounts?$count=true&$orderby=accountid`;
    const ids = new Set<string>();
    const links: string[] = [];
    let count: number | undefined;
    let first: any;
    while (url) {
      const response = await fetch(url, { headers });
      expect(response.status).toBe(200);
      const page = (await response.json()) as any;
      count ??= page['@odata.count'];
      first ??= page.value[0];
      for (const account of page.value) ids.add(account.accountid);
      const next = page['@odata.nextLink'] as string | undefined;
      if (next) links.push(next);
      url = next ? new URL(next, peer.dynamics).href : null;
    }
    expect(count).toBe(2_500);
    expect(ids.size).toBe(2_500);
    expect(links).toHaveLength(2);
    expect(decodeURIComponent(links[0]!)).toMatch(/^accounts\?.*\$skiptoken=1000$/);
    const seeded = seededAccount(0);
    expect(first).toMatchObject({ ...seeded, modifiedon: seeded.modifiedon });
    expect(first['@odata.etag']).toBe(`W/"${seeded.modifiedon}"`);
  });

  it('should page by a smaller odata.maxpagesize when the client prefers one, as Dataverse does', async () => {
    const headers = { ...(await bearer()), prefer: 'odata.maxpagesize=400' };
    let url: string | null =
      `${peer.dynamics}accounts?$select=accountid&$filter=modifiedon ge ${seededAccount(1_500).modifiedon}`;
    const sizes: number[] = [];
    const ids = new Set<string>();
    while (url) {
      const response = await fetch(url, { headers });
      expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=400');
      const page = (await response.json()) as any;
      sizes.push(page.value.length);
      for (const account of page.value) ids.add(account.accountid);
      url = page['@odata.nextLink'] ? new URL(page['@odata.nextLink'], peer.dynamics).href : null;
    }
    expect(sizes).toEqual([400, 400, 200]);
    expect(ids.size).toBe(1_000);
  });

  it('should filter accounts by modifiedon when an incremental sync asks for the changed ones', async () => {
    const headers = await bearer();
    const since = seededAccount(2_489).modifiedon;
    const response = await fetch(
      `${peer.dynamics}accounts?$filter=modifiedon gt ${since}&$orderby=modifiedon,accountid&$count=true&$select=accountid`,
      { headers },
    );
    const page = (await response.json()) as any;
    expect(page['@odata.count']).toBe(10);
    expect(page.value[0].accountid).toBe(seededAccount(2_490).accountid);
  });

  it('should answer 401 when the token is missing, forged, expired or revoked', async () => {
    expect((await fetch(`${peer.dynamics}accounts?$top=1`)).status).toBe(401);
    const forged = await fetch(`${peer.dynamics}accounts?$top=1`, {
      headers: { authorization: 'Bearer abc.def' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toContain('invalid_token');

    await peer.control.setTokenLifetime(0);
    const expired = await token();
    expect(
      (await fetch(`${peer.dynamics}accounts?$top=1`, { headers: { authorization: `Bearer ${expired}` } }))
        .status,
    ).toBe(401);

    await peer.control.setTokenLifetime(3_600);
    const valid = await token();
    const ok = await fetch(`${peer.dynamics}accounts?$top=1`, {
      headers: { authorization: `Bearer ${valid}` },
    });
    expect(ok.status).toBe(200);
    await peer.control.expireTokens();
    expect(
      (await fetch(`${peer.dynamics}accounts?$top=1`, { headers: { authorization: `Bearer ${valid}` } }))
        .status,
    ).toBe(401);
  });

  it('should issue tokens with the settable expires_in and refuse a wrong client secret', async () => {
    await peer.control.setTokenLifetime(2);
    const granted = await fetch(peer.tokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${peer.clientId}:${peer.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(await granted.json()).toMatchObject({ token_type: 'Bearer', expires_in: 2 });

    const refused = await fetch(peer.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: peer.clientId,
        client_secret: 'wrong',
      }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('should move modifiedon and the ETag on a change and answer 412 to a stale If-Match', async () => {
    const headers = await bearer();
    const id = seededAccount(3).accountid;
    const read = await fetch(`${peer.dynamics}accounts(${id})`, { headers });
    const etag = read.headers.get('etag')!;
    expect(etag).toBe(`W/"${seededAccount(3).modifiedon}"`);

    const patched = await fetch(`${peer.dynamics}accounts(${id})`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ new_lessorcontract: 'LC-1', new_lessorstatus: 'signed' }),
    });
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as any;
    expect(after.modifiedon > seededAccount(3).modifiedon).toBe(true);
    expect(patched.headers.get('etag')).not.toBe(etag);

    const stale = await fetch(`${peer.dynamics}accounts(${id})`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ new_lessorstatus: 'active' }),
    });
    expect(stale.status).toBe(412);
    expect(await peer.control.record('accounts', id)).toMatchObject({ new_lessorstatus: 'signed' });

    const log = await peer.control.requests();
    expect(
      log.filter((entry) => entry.method === 'PATCH').map((entry) => [entry.ifMatch, entry.status]),
    ).toEqual([
      [etag, 200],
      [etag, 412],
    ]);
    expect(log.find((entry) => entry.method === 'PATCH')?.auth).toBe('bearer');
  });

  it('should answer 429 with Retry-After to the throttled requests and serve again after them', async () => {
    const headers = await bearer();
    await peer.control.throttle({ status: 429, times: 2, retryAfterSeconds: 7 });
    const statuses: (number | string | null)[][] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(`${peer.dynamics}accounts?$top=1`, { headers });
      statuses.push([response.status, response.headers.get('retry-after')]);
    }
    expect(statuses).toEqual([
      [429, '7'],
      [429, '7'],
      [200, null],
    ]);

    await peer.control.throttle({ status: 503, times: 1, retryAfterSeconds: 1, service: 'sap' });
    expect((await fetch(`${peer.dynamics}accounts?$top=1`, { headers })).status).toBe(200);
    const unavailable = await fetch(`${peer.sap}A_BusinessPartner?$top=1`, { headers: basic() });
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '1']);
  });

  it('should break the connection after the given pages when failAfterPages is set', async () => {
    const headers = await bearer();
    await peer.control.failAfterPages({ pages: 1, times: 1 });
    expect((await fetch(`${peer.dynamics}accounts?$top=1`, { headers })).status).toBe(200);
    await expect(fetch(`${peer.dynamics}accounts?$top=1`, { headers })).rejects.toThrow();
    expect((await fetch(`${peer.dynamics}accounts?$top=1`, { headers })).status).toBe(200);

    await peer.control.failAfterPages({ pages: 0, times: 1, mode: 'status-500' });
    expect((await fetch(`${peer.dynamics}accounts?$top=1`, { headers })).status).toBe(500);
    const log = await peer.control.requests();
    expect(log.map((entry) => entry.status).filter((status) => status !== 200)).toEqual([0, 500]);
  });

  it('should change a record right after the next page when changeBetweenPages is set', async () => {
    const headers = await bearer();
    const last = seededAccount(2_499);
    await peer.control.changeBetweenPages({
      entity: 'accounts',
      key: last.accountid,
      fields: { name: 'Renamed between pages AG' },
    });
    const firstPage = (await (
      await fetch(`${peer.dynamics}accounts?$orderby=accountid`, { headers })
    ).json()) as any;
    expect(firstPage.value.some((account: any) => account.name === 'Renamed between pages AG')).toBe(false);
    const read = (await (
      await fetch(`${peer.dynamics}accounts(${last.accountid})`, { headers })
    ).json()) as any;
    expect(read.name).toBe('Renamed between pages AG');
    expect(read.modifiedon > last.modifiedon).toBe(true);
  });

  it('should refuse a change naming a field the entity does not have, and keep serving', async () => {
    const change = {
      entity: 'accounts' as const,
      key: seededAccount(1).accountid,
      fields: { nosuchfield: 'x' },
    };
    await expect(peer.control.changeBetweenPages(change)).rejects.toThrow(/400.*no field nosuchfield/);
    await expect(peer.control.update(change)).rejects.toThrow(/400/);
    expect((await fetch(`${peer.dynamics}accounts?$top=1`, { headers: await bearer() })).status).toBe(200);
  });

  it('should refuse a write with the given status when refuseWrites names the record', async () => {
    const headers = await bearer();
    const locked = seededAccount(5).accountid;
    await peer.control.refuseWrites({
      entity: 'accounts',
      key: locked,
      status: 422,
      message: 'account is locked',
    });
    const refused = await fetch(`${peer.dynamics}accounts(${locked})`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ new_lessorstatus: 'signed' }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { message: 'account is locked' } });
    const other = await fetch(`${peer.dynamics}accounts(${seededAccount(6).accountid})`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ new_lessorstatus: 'signed' }),
    });
    expect(other.status).toBe(200);
  });
});

describe('the SAP-business-partner-shaped peer (OData v2)', () => {
  it('should page with __count and absolute __next links on its own origin, dates as /Date(ms+0000)/', async () => {
    let url: string | null =
      `${peer.sap}A_BusinessPartner?$inlinecount=allpages&$expand=to_BusinessPartnerAddress,to_BusinessPartnerTax`;
    const ids = new Set<string>();
    const links: string[] = [];
    let count: unknown;
    let first: any;
    while (url) {
      const response = await fetch(url, { headers: basic() });
      expect(response.status).toBe(200);
      const { d } = (await response.json()) as any;
      count ??= d.__count;
      first ??= d.results[0];
      for (const partner of d.results) ids.add(partner.BusinessPartner);
      if (d.__next) links.push(d.__next);
      url = d.__next ?? null;
    }
    expect(count).toBe('2500');
    expect(ids.size).toBe(2_500);
    expect(links).toHaveLength(2);
    expect(links[0]!.startsWith(`${peer.sap}A_BusinessPartner?`)).toBe(true);
    expect(links[0]).toContain('$skiptoken=');
    const seeded = seededBusinessPartner(0);
    expect(first.LastChangeDate).toBe(`/Date(${Date.parse(seeded.LastChangeDate)}+0000)/`);
    // A date (Edm.DateTime, as S/4HANA's CreationDate): midnight UTC, no offset.
    expect(first.CreationDate).toBe(`/Date(${Date.parse(`${seeded.CreationDate}T00:00:00Z`)})/`);
    expect(first).toMatchObject({
      BusinessPartner: seeded.BusinessPartner,
      BusinessPartnerCategory: '2',
      OrganizationBPName1: seeded.OrganizationBPName1,
    });
    expect(first.to_BusinessPartnerAddress.results[0]).toMatchObject({ CityName: 'Berlin', Country: 'DE' });
    expect(first.to_BusinessPartnerTax.results[0]).toMatchObject(seeded.to_BusinessPartnerTax[0]!);
  });

  it('should filter by LastChangeDate with a datetimeoffset literal', async () => {
    const since = seededBusinessPartner(2_494).LastChangeDate.replace('.000Z', 'Z');
    const response = await fetch(
      `${peer.sap}A_BusinessPartner?$filter=LastChangeDate gt datetimeoffset'${since}'&$inlinecount=allpages&$select=BusinessPartner`,
      { headers: basic() },
    );
    const { d } = (await response.json()) as any;
    expect(d.__count).toBe('5');
    expect(d.results.map((partner: any) => partner.BusinessPartner)).toEqual(
      [2_495, 2_496, 2_497, 2_498, 2_499].map((index) => seededBusinessPartner(index).BusinessPartner),
    );
  });

  it('should answer 401 without basic auth or with a wrong password', async () => {
    const none = await fetch(`${peer.sap}A_BusinessPartner?$top=1`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(
      (await fetch(`${peer.sap}A_BusinessPartner?$top=1`, { headers: basic(peer.basic.username, 'x') }))
        .status,
    ).toBe(401);
  });

  it('should refuse a write with 403 x-csrf-token: Required until the fetched token and its cookie are sent', async () => {
    const partner = seededBusinessPartner(7);
    const url = `${peer.sap}A_BusinessPartner('${partner.BusinessPartner}')`;
    const body = JSON.stringify({ YY1_LessorContract_bus: 'LC-7', YY1_LessorStatus_bus: 'signed' });
    const write = { ...basic(), 'content-type': 'application/json', 'if-match': '*' };

    const without = await fetch(url, { method: 'MERGE', headers: write, body });
    expect([without.status, without.headers.get('x-csrf-token')]).toEqual([403, 'Required']);

    const { token: csrfToken, cookie } = await csrf();
    expect(cookie).toMatch(/^SAP_SESSIONID_PEER_100=/);
    const noCookie = await fetch(url, {
      method: 'MERGE',
      headers: { ...write, 'x-csrf-token': csrfToken },
      body,
    });
    expect(noCookie.status).toBe(403);
    const wrongToken = await fetch(url, {
      method: 'MERGE',
      headers: { ...write, 'x-csrf-token': 'x', cookie },
      body,
    });
    expect(wrongToken.status).toBe(403);

    const merged = await fetch(url, {
      method: 'MERGE',
      headers: { ...write, 'x-csrf-token': csrfToken, cookie },
      body,
    });
    expect(merged.status).toBeLessThan(300);
    const read = (await (await fetch(url, { headers: basic() })).json()) as any;
    expect(read.d).toMatchObject({ YY1_LessorContract_bus: 'LC-7', YY1_LessorStatus_bus: 'signed' });
    expect(read.d.LastChangeDate).not.toBe(`/Date(${Date.parse(partner.LastChangeDate)}+0000)/`);

    const log = (await peer.control.requests()).filter((entry) => entry.method === 'MERGE');
    expect(log.map((entry) => [entry.status, entry.csrfToken, entry.auth])).toEqual([
      [403, null, 'basic'],
      [403, csrfToken, 'basic'],
      [403, 'x', 'basic'],
      [merged.status, csrfToken, 'basic'],
    ]);
  });

  it('should take a $batch changeset only with the CSRF token and its cookie', async () => {
    const partner = seededBusinessPartner(9).BusinessPartner;
    const body = [
      '--batch_1',
      'Content-Type: multipart/mixed; boundary=changeset_1',
      '',
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      `MERGE A_BusinessPartner('${partner}') HTTP/1.1`,
      'Content-Type: application/json',
      'If-Match: *',
      '',
      JSON.stringify({ YY1_LessorContract_bus: 'LC-9' }),
      '--changeset_1--',
      '--batch_1--',
      '',
    ].join('\r\n');
    const headers = { ...basic(), 'content-type': 'multipart/mixed; boundary=batch_1' };
    const refused = await fetch(`${peer.sap}$batch`, { method: 'POST', headers, body });
    expect([refused.status, refused.headers.get('x-csrf-token')]).toEqual([403, 'Required']);
    expect(await peer.control.record('A_BusinessPartner', partner)).toMatchObject({
      YY1_LessorContract_bus: null,
    });

    const { token: csrfToken, cookie } = await csrf();
    const taken = await fetch(`${peer.sap}$batch`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrfToken, cookie },
      body,
    });
    expect(taken.status).toBe(202);
    expect(await taken.text()).toContain('HTTP/1.1 200 OK');
    expect(await peer.control.record('A_BusinessPartner', partner)).toMatchObject({
      YY1_LessorContract_bus: 'LC-9',
    });
  });

  it('should answer 412 to a MERGE with a stale If-Match', async () => {
    const url = `${peer.sap}A_BusinessPartner('${seededBusinessPartner(8).BusinessPartner}')`;
    const read = await fetch(url, { headers: basic() });
    const etag = ((await read.json()) as any).d.__metadata.etag as string;
    const { token: csrfToken, cookie } = await csrf();
    const headers = { ...basic(), 'content-type': 'application/json', 'x-csrf-token': csrfToken, cookie };
    const first = await fetch(url, {
      method: 'MERGE',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ YY1_LessorStatus_bus: 'active' }),
    });
    expect(first.status).toBeLessThan(300);
    const stale = await fetch(url, {
      method: 'MERGE',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ YY1_LessorStatus_bus: 'terminated' }),
    });
    expect(stale.status).toBe(412);
  });
});

describe('the accounting peer (OData v4, $batch)', () => {
  const entry = (entryId: string) => ({
    EntryID: entryId,
    LegalEntity: 'LESSOR-DE',
    PostingDate: '2026-03-31',
    Description: 'Instalment 3/36',
    SourceType: 'invoice',
    Lines: [
      { LineNo: 1, AccountCode: '1200', Side: 'debit', Amount: '1234.56', Currency: 'EUR' },
      { LineNo: 2, AccountCode: '8400', Side: 'credit', Amount: '1234.56', Currency: 'EUR' },
    ],
  });

  it('should take a journal entry with its lines once and refuse its id a second time', async () => {
    const headers = await bearer();
    const id = '5a0c6c36-0000-4000-8000-000000000001';
    const created = await fetch(`${peer.accounting}JournalEntries`, {
      method: 'POST',
      headers,
      body: JSON.stringify(entry(id)),
    });
    expect(created.status).toBe(201);
    const again = await fetch(`${peer.accounting}JournalEntries`, {
      method: 'POST',
      headers,
      body: JSON.stringify(entry(id)),
    });
    expect(again.status).toBe(409);
    expect(((await again.json()) as any).error.message).toContain('already exists');

    const read = (await (
      await fetch(`${peer.accounting}JournalEntries(${id})?$expand=Lines`, { headers })
    ).json()) as any;
    expect(read.Lines.map((line: any) => [line.Side, line.Amount])).toEqual([
      ['debit', '1234.5600'],
      ['credit', '1234.5600'],
    ]);
  });

  it('should answer each request of a JSON $batch, a duplicate id with 409', async () => {
    const headers = await bearer();
    const ids = ['5a0c6c36-0000-4000-8000-000000000011', '5a0c6c36-0000-4000-8000-000000000012'];
    const batch = (entryIds: string[]) => ({
      requests: entryIds.map((entryId, index) => ({
        id: `r${index}`,
        method: 'POST',
        url: 'JournalEntries',
        headers: { 'content-type': 'application/json' },
        body: entry(entryId),
      })),
    });
    const first = await fetch(`${peer.accounting}$batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify(batch(ids)),
    });
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).responses.map((response: any) => response.status)).toEqual([
      201, 201,
    ]);

    const third = '5a0c6c36-0000-4000-8000-000000000013';
    const second = await fetch(`${peer.accounting}$batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify(batch([ids[0]!, third])),
    });
    expect(((await second.json()) as any).responses.map((response: any) => response.status)).toEqual([
      409, 201,
    ]);
    const stored = await fetch(
      `${peer.accounting}JournalEntries?$filter=EntryID in (${[...ids, third].join(',')})&$count=true`,
      { headers },
    );
    expect(((await stored.json()) as any)['@odata.count']).toBe(3);
  });

  it('should stop a multipart $batch at the first failed changeset unless odata.continue-on-error is preferred', async () => {
    const headers = await bearer();
    const existing = '5a0c6c36-0000-4000-8000-000000000041';
    await fetch(`${peer.accounting}JournalEntries`, {
      method: 'POST',
      headers,
      body: JSON.stringify(entry(existing)),
    });
    const changeset = (n: number, entryId: string) => [
      '--batch_1',
      `Content-Type: multipart/mixed; boundary=changeset_${n}`,
      '',
      `--changeset_${n}`,
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      `Content-ID: ${n}`,
      '',
      'POST JournalEntries HTTP/1.1',
      'Content-Type: application/json',
      '',
      JSON.stringify(entry(entryId)),
      `--changeset_${n}--`,
    ];
    const batch = (fresh: string) =>
      [...changeset(1, existing), ...changeset(2, fresh), '--batch_1--', ''].join('\r\n');
    const multipart = { ...headers, 'content-type': 'multipart/mixed; boundary=batch_1' };

    const skipped = '5a0c6c36-0000-4000-8000-000000000042';
    const stopped = await fetch(`${peer.accounting}$batch`, {
      method: 'POST',
      headers: multipart,
      body: batch(skipped),
    });
    const stoppedText = await stopped.text();
    expect(stoppedText.match(/HTTP\/1.1 \d+/g)).toEqual(['HTTP/1.1 409']);
    expect(await peer.control.record('JournalEntries', skipped)).toBeNull();

    const going = '5a0c6c36-0000-4000-8000-000000000043';
    const continued = await fetch(`${peer.accounting}$batch`, {
      method: 'POST',
      headers: { ...multipart, prefer: 'odata.continue-on-error' },
      body: batch(going),
    });
    expect((await continued.text()).match(/HTTP\/1.1 \d+/g)).toEqual(['HTTP/1.1 409', 'HTTP/1.1 201']);
    expect(await peer.control.record('JournalEntries', going)).toMatchObject({ EntryID: going });
  });

  it('should answer a multipart $batch changeset', async () => {
    const headers = await bearer();
    const id = '5a0c6c36-0000-4000-8000-000000000021';
    const body = [
      '--batch_1',
      'Content-Type: multipart/mixed; boundary=changeset_1',
      '',
      '--changeset_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST JournalEntries HTTP/1.1',
      'Content-Type: application/json',
      '',
      JSON.stringify(entry(id)),
      '--changeset_1--',
      '--batch_1--',
      '',
    ].join('\r\n');
    const response = await fetch(`${peer.accounting}$batch`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'multipart/mixed; boundary=batch_1' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('HTTP/1.1 201 Created');
    expect(await peer.control.record('JournalEntries', id)).toMatchObject({
      EntryID: id,
      SourceType: 'invoice',
    });
  });
});

describe('a peer killed and restarted', () => {
  it('should keep its data, port and tokens, and not seed again', async () => {
    const own = await startODataPeer({ accounts: 10, businessPartners: 10 });
    try {
      const headers = await bearer(own);
      const id = '5a0c6c36-0000-4000-8000-000000000031';
      const created = await fetch(`${own.accounting}JournalEntries`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          EntryID: id,
          LegalEntity: 'LESSOR-DE',
          PostingDate: '2026-04-30',
          SourceType: 'invoice',
        }),
      });
      expect(created.status).toBe(201);

      await own.kill();
      await expect(fetch(`${own.accounting}JournalEntries(${id})`, { headers })).rejects.toThrow();
      const origin = own.origin;
      await own.restart();
      expect(own.origin).toBe(origin);

      const read = await fetch(`${own.accounting}JournalEntries(${id})`, { headers });
      expect(read.status).toBe(200);
      const count = await fetch(`${own.dynamics}accounts/$count`, { headers });
      expect(await count.text()).toBe('10');
      const again = await fetch(`${own.accounting}JournalEntries`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          EntryID: id,
          LegalEntity: 'LESSOR-DE',
          PostingDate: '2026-04-30',
          SourceType: 'invoice',
        }),
      });
      expect(again.status).toBe(409);
    } finally {
      await own.stop();
    }
  });
});

describe('a peer reset with its data', () => {
  it('should hold the seed again, without the changes and entries made since', async () => {
    const own = await startODataPeer({ accounts: 12, businessPartners: 12 });
    try {
      const account = seededAccount(4);
      await own.control.update({
        entity: 'accounts',
        key: account.accountid,
        fields: { name: 'Changed GmbH' },
      });
      const headers = await bearer(own);
      const id = '5a0c6c36-0000-4000-8000-000000000051';
      const created = await fetch(`${own.accounting}JournalEntries`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          EntryID: id,
          LegalEntity: 'LESSOR-DE',
          PostingDate: '2026-05-31',
          SourceType: 'invoice',
        }),
      });
      expect(created.status).toBe(201);

      await own.control.reset({ data: true });
      expect(await own.control.record('accounts', account.accountid)).toMatchObject({
        name: account.name,
        modifiedon: account.modifiedon,
      });
      expect(await own.control.record('JournalEntries', id)).toBeNull();
      expect(
        await (
          await fetch(`${own.sap}A_BusinessPartner/$count`, {
            headers: basic(own.basic.username, own.basic.password),
          })
        ).text(),
      ).toBe('12');
    } finally {
      await own.stop();
    }
  });
});

describe('a peer seeded for the bench', () => {
  it('should serve 10,000 seeded accounts and business partners in pages of the chosen size', async () => {
    const big = await startODataPeer({ accounts: 10_000, businessPartners: 10_000, pageSize: 5_000 });
    try {
      const headers = await bearer(big);
      const page = (await (
        await fetch(`${big.dynamics}accounts?$count=true&$select=accountid`, { headers })
      ).json()) as any;
      expect(page['@odata.count']).toBe(10_000);
      expect(page.value).toHaveLength(5_000);
      expect(decodeURIComponent(page['@odata.nextLink'])).toContain('$skiptoken=5000');
      const last = await fetch(`${big.dynamics}accounts(${seededAccount(9_999).accountid})`, { headers });
      expect(((await last.json()) as any).name).toBe(seededAccount(9_999).name);
      const partners = await fetch(`${big.sap}A_BusinessPartner/$count`, {
        headers: basic(big.basic.username, big.basic.password),
      });
      expect(await partners.text()).toBe('10000');
    } finally {
      await big.stop();
    }
  });
});
