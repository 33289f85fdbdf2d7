import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import { partiesService } from '@lessor/parties';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import { integrationService } from '../src/integration.service.ts';
import { seededAccount, seededBusinessPartner, startODataPeer, type ODataPeer } from './peers/index.ts';

// Thousands of records in pages of 1,000 (the peer's and the connector's): every run pages.
const ACCOUNTS = 2_500;
const PARTNERS = 2_500;

type Integration = TestServices & TestService;

interface Run {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  error: string | null;
  total: number | null;
  pages: number;
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  duplicates: number;
  errors: number;
}

interface Party {
  id: string;
  version: number;
  kind: string;
  name: string;
  firstName: string | null;
  legalForm: string | null;
  taxId: string | null;
  country: string;
  email: string | null;
  addresses: { line1: string; city: string }[];
  contacts: { name: string; email?: string }[];
  externalRefs: { system: string; id: string }[];
}

// Tax ids that pass parties' checks (format and check digits) for the seeded records' countries.
const VALID_TAX_IDS = { DE: 'DE136695976', FR: 'FR40303265045', NL: 'NL004495445B01' } as const;
// Another, for the SAP person: the Dynamics account holding NL004495445B01 would make them a duplicate of it.
const VALID_NL_TAX_ID = 'NL001000007B01';

describe('inbound: CRM → parties', () => {
  let system: Integration;
  let peer: ODataPeer;
  let admin: string;
  let partiesWriter: string;
  let dynamicsId: string;
  let sapId: string;

  beforeAll(async () => {
    peer = await startODataPeer({ accounts: ACCOUNTS, businessPartners: PARTNERS });
    system = await startTestService(integrationService, {
      setup: { backend: 'postgres', broker: 'in-process' },
      neighbours: [partiesService],
      // A shared 2-core machine: generous deadlines, and a scheduler that takes a run up at once.
      env: { UPSTREAM_DEADLINE_MS: '5000', INTEGRATION_SCHEDULER_TICK_MS: '200' },
    });
    admin = await system.token(['integration:*:*']);
    partiesWriter = await system.token(['parties:parties:read', 'parties:parties:write']);
    dynamicsId = await createConnector('dynamics', {
      protocol: 'odata-v4',
      baseUrl: peer.dynamics,
      auth: {
        kind: 'oauth2',
        tokenUrl: peer.tokenUrl,
        clientId: peer.clientId,
        clientSecret: peer.clientSecret,
      },
      mapping: { preset: 'dynamics' },
    });
    sapId = await createConnector('sap', {
      protocol: 'odata-v2',
      baseUrl: peer.sap,
      auth: { kind: 'basic', username: peer.basic.username, password: peer.basic.password },
      mapping: { preset: 'sap-business-partner' },
    });
  }, 180_000);
  afterAll(async () => {
    await system?.close();
    await peer?.stop();
  });

  async function createConnector(name: string, body: Record<string, unknown>): Promise<string> {
    const created = await system.call('POST', '/v1/connectors', admin, { name, kind: 'crm', ...body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  }

  /** Runs the connector now and waits for the run to end. */
  async function run(connectorId: string, mode: 'full' | 'incremental'): Promise<Run> {
    // Test tokens live 5 minutes; a file of long runs on a loaded machine outlives them: new ones at each run.
    admin = await system.token(['integration:*:*']);
    partiesWriter = await system.token(['parties:parties:read', 'parties:parties:write']);
    const started = await system.call('POST', `/v1/connectors/${connectorId}/runs`, admin, { mode });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return eventually(
      async () => {
        const answer = await system.call('GET', `/v1/runs/${started.body.id}`, admin);
        const current = answer.body as Run;
        return current.status === 'completed' || current.status === 'failed' ? current : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 200, message: `run ${started.body.id} did not end` },
    );
  }

  async function records(
    runId: string,
    outcome?: string,
  ): Promise<{ remoteId: string; outcome: string; partyId: string | null; reason: string | null }[]> {
    const all = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({
        limit: '200',
        ...(outcome ? { outcome } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const answer = await system.call('GET', `/v1/runs/${runId}/records?${query}`, admin);
      expect(answer.status).toBe(200);
      all.push(...answer.body.items);
      cursor = answer.body.nextCursor;
    } while (cursor);
    return all;
  }

  const parties = () => system.service('parties');

  async function partyOf(connectorId: string, remoteId: string): Promise<Party | undefined> {
    const ref = encodeURIComponent(`crm:${connectorId}/${remoteId}`);
    const answer = await parties().call('GET', `/v1/parties?externalRef=${ref}`, partiesWriter);
    expect(answer.status).toBe(200);
    return answer.body.items[0];
  }

  describe('over OData v4 (Dynamics)', () => {
    let full: Run;
    let duplicateOf: string;

    beforeAll(async () => {
      // Valid tax ids on three accounts (the CRM's users typed them well), and one of them already a party.
      await peer.control.update({
        entity: 'accounts',
        key: seededAccount(0).accountid,
        fields: { new_taxid: VALID_TAX_IDS.DE },
      });
      await peer.control.update({
        entity: 'accounts',
        key: seededAccount(3).accountid,
        fields: { new_taxid: VALID_TAX_IDS.FR },
      });
      await peer.control.update({
        entity: 'accounts',
        key: seededAccount(4).accountid,
        fields: { new_taxid: VALID_TAX_IDS.NL },
      });
      const existing = await parties().call('POST', '/v1/parties', partiesWriter, {
        kind: 'company',
        name: seededAccount(3).name,
        legalForm: seededAccount(3).new_legalform,
        country: 'FR',
        taxId: VALID_TAX_IDS.FR,
        registrationNumber: seededAccount(3).new_registrationnumber,
      });
      expect(existing.status).toBe(201);
      duplicateOf = existing.body.id;
      full = await run(dynamicsId, 'full');
    }, 300_000);

    it('should read every account in pages and account for each: created, duplicate or refused by parties', async () => {
      expect(full.status, full.error ?? '').toBe('completed');
      expect(full.total).toBe(ACCOUNTS);
      expect(full.read).toBe(ACCOUNTS);
      expect(full.pages).toBeGreaterThanOrEqual(3);
      expect(
        full.created + full.duplicates + full.conflicts + full.errors + full.updated + full.unchanged,
      ).toBe(ACCOUNTS);
      expect(full.created).toBeGreaterThan(0);
      const refused = await records(full.id, 'error');
      expect(refused.length).toBe(full.errors);
      // A record parties refuses is reported with parties' reason; the run went on.
      for (const record of refused.slice(0, 20))
        expect(record.reason).toMatch(/parties refused \(422 PARTY_INVALID\).*taxId/);
    });

    it('should create a party with the mapped fields, its address, its contact and the CRM id as its reference', async () => {
      const account = seededAccount(0);
      const party = await partyOf(dynamicsId, account.accountid);
      expect(party).toMatchObject({
        kind: 'company',
        name: account.name,
        legalForm: account.new_legalform,
        taxId: VALID_TAX_IDS.DE,
        country: 'DE',
        email: account.emailaddress1,
        externalRefs: [{ system: `crm:${dynamicsId}`, id: account.accountid }],
      });
      expect(party!.addresses).toEqual([
        expect.objectContaining({ line1: account.address1_line1, city: account.address1_city }),
      ]);
      expect(party!.contacts).toHaveLength(1);
      expect(party!.contacts[0]!.email).toMatch(/@account-00001\.example$/);
    });

    it('should match a duplicate by tax id and add the reference to it, not make a second party', async () => {
      const account = seededAccount(3);
      const [record] = (await records(full.id)).filter((item) => item.remoteId === account.accountid);
      expect(record).toMatchObject({ outcome: 'duplicate', partyId: duplicateOf });
      const party = await partyOf(dynamicsId, account.accountid);
      expect(party?.id).toBe(duplicateOf);
      const byTaxId = await parties().call('GET', `/v1/parties?taxId=${VALID_TAX_IDS.FR}`, partiesWriter);
      expect(byTaxId.body.items).toHaveLength(1);
    });

    it('should bring only what changed since the watermark: contact data taken, a KYC field raised as a conflict', async () => {
      const account = seededAccount(0);
      await peer.control.update({
        entity: 'accounts',
        key: account.accountid,
        fields: { emailaddress1: 'new-office@account-00001.example', name: 'Account 00001 Holding GmbH' },
      });
      const incremental = await run(dynamicsId, 'incremental');
      expect(incremental.status, incremental.error ?? '').toBe('completed');
      expect(incremental.read).toBe(1);
      expect(incremental.conflicts).toBe(1);
      const party = await partyOf(dynamicsId, account.accountid);
      expect(party).toMatchObject({ email: 'new-office@account-00001.example', name: account.name });

      const open = await system.call('GET', `/v1/conflicts?partyId=${party!.id}&status=open`, admin);
      expect(open.status).toBe(200);
      expect(open.body.items).toEqual([
        expect.objectContaining({
          field: 'name',
          lessorValue: account.name,
          crmValue: 'Account 00001 Holding GmbH',
          connectorId: dynamicsId,
          remoteId: account.accountid,
          status: 'open',
        }),
      ]);

      // Nothing changed in the CRM since: the next run raises nothing again.
      const quiet = await run(dynamicsId, 'incremental');
      expect(quiet).toMatchObject({ status: 'completed', read: 0, conflicts: 0 });
    });

    it('should resolve a conflict by taking the CRM’s value through parties, or by keeping Lessor’s', async () => {
      const account = seededAccount(0);
      const party = await partyOf(dynamicsId, account.accountid);
      const [nameConflict] = (
        await system.call('GET', `/v1/conflicts?partyId=${party!.id}&status=open`, admin)
      ).body.items;
      const taken = await system.call('POST', `/v1/conflicts/${nameConflict.id}/resolve`, admin, {
        resolution: 'take-crm',
      });
      expect(taken.status, JSON.stringify(taken.body)).toBe(200);
      expect(taken.body).toMatchObject({ status: 'take-crm', resolvedBy: expect.any(String) });
      expect((await partyOf(dynamicsId, account.accountid))!.name).toBe('Account 00001 Holding GmbH');
      const again = await system.call('POST', `/v1/conflicts/${nameConflict.id}/resolve`, admin, {
        resolution: 'keep-lessor',
      });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INTEGRATION_CONFLICT_RESOLVED');

      await peer.control.update({
        entity: 'accounts',
        key: account.accountid,
        fields: { new_legalform: 'AG' },
      });
      expect((await run(dynamicsId, 'incremental')).conflicts).toBe(1);
      const [formConflict] = (
        await system.call('GET', `/v1/conflicts?partyId=${party!.id}&status=open`, admin)
      ).body.items;
      expect(formConflict).toMatchObject({
        field: 'legalForm',
        crmValue: 'AG',
        lessorValue: account.new_legalform,
      });
      const kept = await system.call('POST', `/v1/conflicts/${formConflict.id}/resolve`, admin, {
        resolution: 'keep-lessor',
      });
      expect(kept.body.status).toBe('keep-lessor');
      expect((await partyOf(dynamicsId, account.accountid))!.legalForm).toBe(account.new_legalform);
    });

    it('should refuse to take a CRM value parties refuses, keeping the conflict open with parties’ reason', async () => {
      const account = seededAccount(4);
      await peer.control.update({
        entity: 'accounts',
        key: account.accountid,
        fields: { new_taxid: 'NL004495446B01' },
      });
      expect((await run(dynamicsId, 'incremental')).conflicts).toBe(1);
      const party = await partyOf(dynamicsId, account.accountid);
      const [conflict] = (await system.call('GET', `/v1/conflicts?partyId=${party!.id}&status=open`, admin))
        .body.items;
      expect(conflict).toMatchObject({ field: 'taxId', crmValue: 'NL004495446B01' });
      const refused = await system.call('POST', `/v1/conflicts/${conflict.id}/resolve`, admin, {
        resolution: 'take-crm',
      });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'INTEGRATION_CONFLICT_REFUSED' });
      expect(refused.body.detail).toMatch(/PARTY_INVALID.*taxId/);
      const still = await system.call('GET', `/v1/conflicts/${conflict.id}`, admin);
      expect(still.body.status).toBe('open');
    });

    it('should list conflicts page by page and refuse a bad filter naming it', async () => {
      const first = await system.call('GET', `/v1/conflicts?connectorId=${dynamicsId}&limit=1`, admin);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      const second = await system.call(
        'GET',
        `/v1/conflicts?connectorId=${dynamicsId}&limit=1&cursor=${first.body.nextCursor}`,
        admin,
      );
      expect(second.body.items).toHaveLength(1);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      const bad = await system.call('GET', '/v1/conflicts?status=maybe', admin);
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toMatch(/status/);
      const unknown = await system.call('POST', `/v1/conflicts/${first.body.items[0].id}/resolve`, admin, {
        resolution: 'both',
      });
      expect(unknown.status).toBe(400);
      const reader = await system.token(['integration:conflicts:read']);
      const forbidden = await system.call('POST', `/v1/conflicts/${first.body.items[0].id}/resolve`, reader, {
        resolution: 'keep-lessor',
      });
      expect(forbidden.status).toBe(403);
    });

    it('should not lose a record when one already read changes between pages (positions, not offsets)', async () => {
      // Account 10 is on the first page; changed right after it is served, it moves to the end of the order,
      // which would shift every later record back by one under an offset skip token.
      const moved = seededAccount(10);
      await peer.control.changeBetweenPages({
        entity: 'accounts',
        key: moved.accountid,
        fields: { telephone1: '+49 30 9999999' },
      });
      const rerun = await run(dynamicsId, 'full');
      expect(rerun.status, rerun.error ?? '').toBe('completed');
      const seen = await records(rerun.id);
      expect(new Set(seen.map((record) => record.remoteId)).size).toBe(ACCOUNTS);
      // Read twice: before and after the change, in the same run.
      expect(seen.filter((record) => record.remoteId === moved.accountid)).toHaveLength(2);
      expect(rerun.read).toBe(ACCOUNTS + 1);
    });

    it('should finish a run through a throttling CRM (429 with Retry-After honoured)', async () => {
      await peer.control.reset();
      await peer.control.throttle({ status: 429, times: 2, retryAfterSeconds: 1, service: 'dynamics' });
      const throttled = await run(dynamicsId, 'full');
      expect(throttled.status, throttled.error ?? '').toBe('completed');
      expect(throttled.read).toBe(ACCOUNTS);
      const answered = (await peer.control.requests()).filter((request) => request.service === 'dynamics');
      expect(answered.filter((request) => request.status === 429)).toHaveLength(2);
    });

    it('should fail a run when the CRM goes down, with the reason, and resume the next from its cursor', async () => {
      await peer.control.reset();
      // The first page of accounts and its ten queries of contacts (100 accounts each) are served, then the CRM
      // stops answering (more times than the client retries).
      await peer.control.failAfterPages({ pages: 11, times: 50, mode: 'reset', service: 'dynamics' });
      const broken = await run(dynamicsId, 'full');
      expect(broken.status).toBe('failed');
      expect(broken.error).toBeTruthy();
      expect(broken.read).toBeGreaterThan(0);
      expect(broken.read).toBeLessThan(ACCOUNTS);

      await peer.control.reset();
      const resumed = await run(dynamicsId, 'full');
      expect(resumed.status, resumed.error ?? '').toBe('completed');
      // The pages the failed run wrote are not read again.
      expect(broken.read + resumed.read).toBe(ACCOUNTS);
      const [firstQuery] = (await peer.control.requests()).filter(
        (request) => request.service === 'dynamics' && request.url.includes('/accounts?'),
      );
      expect(decodeURIComponent(firstQuery!.url)).toMatch(/\$filter=modifiedon gt /);
    });
  });

  describe('over OData v2 (SAP business partners)', () => {
    let full: Run;

    beforeAll(async () => {
      await peer.control.reset();
      // Partner 10 is a person (every tenth is) in NL; a valid VAT number lets parties take them.
      const person = seededBusinessPartner(9);
      await peer.control.update({
        entity: 'A_BusinessPartnerTaxNumber',
        key: { BusinessPartner: person.BusinessPartner, BPTaxType: 'NL0' },
        fields: { BPTaxNumber: VALID_NL_TAX_ID },
      });
      full = await run(sapId, 'full');
    }, 300_000);

    it('should read every business partner in pages with its addresses and tax numbers expanded', async () => {
      expect(full.status, full.error ?? '').toBe('completed');
      expect(full.total).toBe(PARTNERS);
      expect(full.read).toBe(PARTNERS);
      expect(full.pages).toBeGreaterThanOrEqual(3);
      expect(full.created + full.duplicates + full.conflicts + full.errors).toBe(PARTNERS);
      const requests = (await peer.control.requests()).filter((request) => request.service === 'sap');
      expect(
        decodeURIComponent(requests.find((request) => request.url.includes('A_BusinessPartner?'))!.url),
      ).toMatch(/\$expand=to_BusinessPartnerAddress,to_BusinessPartnerTax/);
    });

    it('should create people from category 1 and organisations from category 2, with the address as stored', async () => {
      const seeded = seededBusinessPartner(9);
      const [record] = (await records(full.id)).filter((item) => item.remoteId === seeded.BusinessPartner);
      expect(record).toMatchObject({ outcome: 'created' });
      const party = await partyOf(sapId, seeded.BusinessPartner);
      expect(party).toMatchObject({
        kind: 'person',
        name: seeded.BusinessPartnerFullName,
        firstName: seeded.FirstName,
        legalForm: null,
        taxId: VALID_NL_TAX_ID,
        country: seeded.to_BusinessPartnerAddress[0]!.Country,
        email: seeded.to_BusinessPartnerAddress[0]!.EmailAddress,
      });
      expect(party!.addresses[0]!.line1).toBe(
        `Hauptstraße ${seeded.to_BusinessPartnerAddress[0]!.HouseNumber}`,
      );
    });

    it('should bring a change incrementally by LastChangeDate (v2 datetime literal)', async () => {
      const created = await records(full.id, 'created');
      const remoteId = created[0]!.remoteId;
      await peer.control.update({
        entity: 'A_BusinessPartnerAddress',
        key: { BusinessPartner: remoteId, AddressID: String(Number(remoteId) - 1_000_000) },
        fields: { EmailAddress: 'moved@partner.example' },
      });
      // An address changes its partner's LastChangeDate as SAP does; the peer moves it with any change of the partner.
      await peer.control.update({
        entity: 'A_BusinessPartner',
        key: remoteId,
        fields: { YY1_LessorStatus_bus: 'x' },
      });
      const incremental = await run(sapId, 'incremental');
      expect(incremental.status, incremental.error ?? '').toBe('completed');
      expect(incremental.read).toBe(1);
      expect(incremental.updated).toBe(1);
      expect((await partyOf(sapId, remoteId))!.email).toBe('moved@partner.example');
    });
  });
});
