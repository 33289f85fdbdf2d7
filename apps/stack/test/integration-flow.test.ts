import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import {
  SEEDED_BAD_TAX_ID_EVERY,
  seededAccount,
  startODataPeer,
  type ODataPeer,
} from '../../../services/integration/test/peers/index.ts';
import { ADMIN_PASSWORD, bootForTest, systemSetups, type BootedForTest } from './support/booted-system.ts';

const ACCOUNTS = 600;
const PAGE = 250;

/**
 * Issue 15 end to end, through the gateway, in both run modes: a CRM (OData v4, real SAP CAP) brings its
 * accounts in as parties; a contract for one of them is signed and activated, and the CRM's account is told; the
 * journal entries finance posts on activation reach the accounting system (OData v4) once each, and the
 * reconciliation agrees with finance.
 */
describe.each(systemSetups())(
  'integration through the gateway on $backend with the $broker transport',
  (setup) => {
    let peer: ODataPeer;
    let booted: BootedForTest;
    let admin: string;
    let risk: string;
    let crmId: string;
    let partyId: string;
    let account: ReturnType<typeof seededAccount>;

    beforeAll(async () => {
      peer = await startODataPeer({ accounts: ACCOUNTS, businessPartners: 1, pageSize: PAGE });
      booted = await bootForTest(setup, {
        integration: {
          INTEGRATION_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
          INTEGRATION_EXPORT_INTERVAL_MS: '200',
          INTEGRATION_SCHEDULER_TICK_MS: '200',
        },
      });
      admin = await booted.login('admin', ADMIN_PASSWORD);
      ({ token: risk } = await booted.user(
        'risk',
        ['leasing:contracts:read', 'leasing:contracts:approve', 'parties:parties:read', 'assets:assets:read'],
        admin,
      ));
    });
    afterAll(async () => {
      await booted?.close();
      await peer?.stop();
    });

    const api = (method: string, path: string, body?: unknown) => booted.api(method, path, admin, body);

    async function runToTheEnd(connectorId: string, mode: 'full' | 'incremental') {
      const started = await api('POST', `/api/integration/v1/connectors/${connectorId}/runs`, { mode });
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      return eventually(
        async () => {
          const run = await api('GET', `/api/integration/v1/runs/${started.body.id}`);
          return run.body.status === 'completed' || run.body.status === 'failed' ? run.body : undefined;
        },
        { timeoutMs: 120_000 },
      );
    }

    it('should bring the CRM accounts in as parties, whole and once, with the credentials never shown', async () => {
      const secret = peer.clientSecret;
      const created = await api('POST', '/api/integration/v1/connectors', {
        name: 'Dynamics',
        kind: 'crm',
        protocol: 'odata-v4',
        baseUrl: peer.dynamics,
        auth: { kind: 'oauth2', tokenUrl: peer.tokenUrl, clientId: peer.clientId, clientSecret: secret },
        mapping: { preset: 'dynamics' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(JSON.stringify(created.body)).not.toContain(secret);
      expect(created.body.credentialsSet).toBe(true);
      crmId = created.body.id;

      const test = await api('POST', `/api/integration/v1/connectors/${crmId}/test`, {});
      expect(test.status, JSON.stringify(test.body)).toBe(200);
      expect(test.body.ok).toBe(true);

      const run = await runToTheEnd(crmId, 'full');
      expect(run.status, JSON.stringify(run)).toBe('completed');
      expect(run.read).toBe(ACCOUNTS);
      expect(run.created + run.updated + run.unchanged + run.conflicts + run.errors).toBe(ACCOUNTS);
      // Every twentieth seeded account has a tax id whose check digit is off: parties refuses it, the run goes on.
      expect(run.errors).toBe(ACCOUNTS / SEEDED_BAD_TAX_ID_EVERY);
      expect(run.created).toBe(ACCOUNTS - run.errors);
      const refused = await api('GET', `/api/integration/v1/runs/${run.id}/records?outcome=error&limit=1`);
      expect(refused.body.items[0].reason).toMatch(/taxId/);

      // One account the run created a party for (the report names it), found by its reference on the party.
      const records = await api('GET', `/api/integration/v1/runs/${run.id}/records?outcome=created&limit=1`);
      expect(records.status, JSON.stringify(records.body)).toBe(200);
      const [createdRecord] = records.body.items;
      account = Array.from({ length: ACCOUNTS }, (_, index) => seededAccount(index)).find(
        (candidate) => candidate.accountid === createdRecord.remoteId,
      )!;
      const party = await api(
        'GET',
        `/api/parties/v1/parties?externalRef=${encodeURIComponent(`crm:${crmId}/${account.accountid}`)}`,
      );
      expect(party.status, JSON.stringify(party.body)).toBe(200);
      expect(party.body.items).toHaveLength(1);
      expect(party.body.items[0]).toMatchObject({ id: createdRecord.partyId, name: account.name });
      partyId = party.body.items[0].id;

      // Nothing changed in the CRM: an incremental run reads nothing and doubles nothing.
      const again = await runToTheEnd(crmId, 'incremental');
      expect(again.status).toBe('completed');
      expect(again.created).toBe(0);
    });

    it('should tell the CRM of a contract signed and activated, and export its journal entries once', async () => {
      const accounting = await api('POST', '/api/integration/v1/connectors', {
        name: 'Accounting',
        kind: 'accounting',
        protocol: 'odata-v4',
        baseUrl: peer.accounting,
        auth: {
          kind: 'oauth2',
          tokenUrl: peer.tokenUrl,
          clientId: peer.clientId,
          clientSecret: peer.clientSecret,
        },
        mapping: { preset: 'accounting' },
      });
      expect(accounting.status, JSON.stringify(accounting.body)).toBe(201);

      await api('POST', `/api/parties/v1/parties/${partyId}/kyc`, { status: 'verified', reason: 'ok' });
      const product = await api('POST', '/api/leasing/v1/products', {
        code: 'CRM-CAR',
        name: 'Cars',
        currencies: ['EUR'],
        scheduleTypes: ['annuity'],
        minTermMonths: 12,
        maxTermMonths: 60,
        minRate: '3',
        maxRate: '12',
      });
      const asset = await api('POST', '/api/assets/v1/assets', {
        type: 'car',
        make: 'Skoda',
        model: 'Enyaq',
        vin: 'TMBJC7NY0PF000001',
        year: 2025,
        price: { amount: '48000.00', currency: 'EUR' },
      });
      const calculation = await api('POST', '/api/leasing/v1/calculations', {
        productId: product.body.id,
        assetPrice: { amount: '48000.00', currency: 'EUR' },
        advance: { percent: '10' },
        termMonths: 36,
        annualRate: '5',
        scheduleType: 'annuity',
        residualValue: { amount: '8000.00', currency: 'EUR' },
        startDate: '2026-02-01',
        vatRate: '19',
      });
      expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
      const contract = await api('POST', '/api/leasing/v1/contracts', {
        calculationId: calculation.body.id,
        partyId,
        assetId: asset.body.id,
      });
      expect(contract.status, JSON.stringify(contract.body)).toBe(201);
      const contractId = contract.body.id;
      await booted.api('POST', `/api/leasing/v1/contracts/${contractId}/approve`, risk, {});
      await api('POST', `/api/leasing/v1/contracts/${contractId}/sign`, {});
      const active = await api('POST', `/api/leasing/v1/contracts/${contractId}/activate`, {
        businessDate: '2026-02-01',
      });
      expect(active.body.status, JSON.stringify(active.body)).toBe('active');

      // The CRM's account says what became of the deal (outbound, from leasing's events).
      const told = await eventually(
        async () => {
          const record = await peer.control.record('accounts', account.accountid);
          return record?.new_lessorstatus === 'active' ? record : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(told.new_lessorcontract).toBe(contract.body.number);
      const log = await api('GET', `/api/integration/v1/outbound?contractId=${contractId}`);
      expect(log.status, JSON.stringify(log.body)).toBe(200);
      expect(log.body.items.length).toBeGreaterThanOrEqual(2);

      // Every entry finance posted reaches the accounting system, once, with its lines.
      const entries = await eventually(
        async () => {
          const posted = await api('GET', '/api/finance/v1/entries?limit=200');
          return posted.body.items.length > 0 ? posted.body.items : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const report = await eventually(
        async () => {
          const answer = await api(
            'GET',
            '/api/integration/v1/exports/reconciliation?from=2026-01-01&to=2026-12-31',
          );
          return answer.status === 200 && answer.body.acknowledged === entries.length
            ? answer.body
            : undefined;
        },
        { timeoutMs: 60_000 },
      );
      expect(report).toMatchObject({ posted: entries.length, refused: 0, pending: 0 });
      for (const entry of entries as { id: string }[]) {
        expect(await peer.control.record('JournalEntries', entry.id), entry.id).not.toBeNull();
      }
      for (const total of report.totals as { postedDebit: string; exportedDebit: string }[]) {
        expect(total.exportedDebit).toBe(total.postedDebit);
      }
    });
  },
);
