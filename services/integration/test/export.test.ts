import { randomBytes, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { D } from '@lessor/domain-values';
import { financeEvents, type EventDataOf } from '@lessor/event-catalog';
import { buildService, openDatabase } from '@lessor/service-kit';
import {
  startTestService,
  testSetups,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import type { IntegrationDatabase } from '../src/database.ts';
import { exportSender } from '../src/export/index.ts';
import { integrationService } from '../src/index.ts';
import { startODataPeer, type ODataPeer } from './peers/index.ts';

// The export of finance's journal entries to an outside accounting system: finance's events published from a
// real outbox, the accounting system a real SAP CAP OData v4 server in a child process (killed and restarted).
// The sender job's timer is off: each test runs its rounds (`tick()`) until what it waits for holds.

type EntryData = EventDataOf<typeof financeEvents.entryPosted>;
type Line = EntryData['lines'][number];

const line = (side: Line['side'], amount: string, currency = 'EUR', accountCode = '1100'): Line => ({
  accountCode,
  accountName: `Account ${accountCode}`,
  currency,
  side,
  amount,
  counterpartyId: null,
  contractId: null,
});

function entry(
  legalEntity: string,
  entryDate: string,
  lines: Line[],
  description = 'Lease income',
): EntryData {
  return {
    entryId: randomUUID(),
    legalEntity,
    entryDate,
    kind: 'manual',
    description,
    sourceEventId: null,
    sourceEventType: null,
    reversesEntryId: null,
    lines,
  };
}

const balanced = (amount: string, currency = 'EUR') => [
  line('debit', amount, currency, '1100'),
  line('credit', amount, currency, '4000'),
];

describe.each(testSetups())(
  'export of journal entries to accounting on $backend with the $broker transport',
  (setup) => {
    let peer: ODataPeer;
    let system: TestServices & TestService;
    let reader: string;
    let writer: string;

    const env = {
      INTEGRATION_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
      INTEGRATION_OUTBOUND_DEADLINE_MS: '3000',
      INTEGRATION_EXPORT_JOB_ENABLED: 'false',
      INTEGRATION_EXPORT_BATCH_SIZE: '4',
      INTEGRATION_EXPORT_BACKOFF_MS: '1',
      INTEGRATION_EXPORT_BACKOFF_MAX_MS: '20',
    };

    beforeAll(async () => {
      peer = await startODataPeer({ accounts: 1, businessPartners: 1 });
      system = await startTestService(integrationService, { setup, publishers: ['finance'], env });
      reader = await system.token(['integration:exports:read']);
      writer = await system.token(['integration:exports:read', 'integration:exports:write']);
      const admin = await system.token(['integration:connectors:write', 'integration:connectors:read']);
      const created = await system.call('POST', '/v1/connectors', admin, {
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
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }, 120_000);

    afterAll(async () => {
      await system?.close();
      await peer?.stop();
    });

    const db = () => system.db<IntegrationDatabase>();

    async function post(data: EntryData) {
      const envelope = await system.publish(financeEvents.entryPosted, data);
      await system.handled(envelope);
      return envelope;
    }

    /** Rounds of the sender until no entry of the legal entity waits. */
    async function sendAll(legalEntity: string) {
      await system.until(async () => {
        await exportSender(system.app).tick();
        const waiting = await db()
          .selectFrom('exportEntries')
          .select('entryId')
          .where('legalEntity', '=', legalEntity)
          .where('status', 'in', ['pending', 'sent'])
          .execute();
        return waiting.length === 0;
      }, `every entry of ${legalEntity} answered`);
    }

    async function exported(legalEntity: string) {
      const answer = await system.call('GET', `/v1/exports?legalEntity=${legalEntity}&limit=200`, reader);
      expect(answer.status).toBe(200);
      return answer.body.items as { entryId: string; status: string; [key: string]: unknown }[];
    }

    /** The backlog as /metrics shows it: entries pending or sent, not answered yet. */
    async function waitingMetric() {
      const metrics = await system.app.inject({ method: 'GET', url: '/metrics' });
      const values = [
        ...metrics.body.matchAll(/^lessor_integration_export_waiting_entries\{[^}]*\} (\d+)$/gm),
      ];
      return values.reduce((total, match) => total + Number(match[1]), 0);
    }

    async function peerLines(entryId: string, count: number) {
      const lines = [];
      for (let lineNo = 1; lineNo <= count; lineNo += 1)
        lines.push(
          await peer.control.record('JournalEntryLines', { EntryID: entryId, LineNo: String(lineNo) }),
        );
      return lines;
    }

    it('should export each entry with its lines and exact amounts when finance posts it', async () => {
      const entries = [
        entry('EXP-ARRIVE', '2026-05-04', balanced('1234567890.12')),
        entry('EXP-ARRIVE', '2026-05-05', balanced('0.01')),
        entry('EXP-ARRIVE', '2026-05-06', [
          line('debit', '1000', 'JPY', '1100'),
          line('credit', '999', 'JPY', '4000'),
          line('credit', '1', 'JPY', '4800'),
        ]),
      ];
      for (const data of entries) await post(data);
      const kept = await exported('EXP-ARRIVE');
      expect(kept.map((item) => item.status)).toEqual(['pending', 'pending', 'pending']);

      await sendAll('EXP-ARRIVE');

      for (const data of entries) {
        const remote = await peer.control.record('JournalEntries', data.entryId);
        expect(remote).toMatchObject({
          EntryID: data.entryId,
          LegalEntity: 'EXP-ARRIVE',
          PostingDate: data.entryDate,
          Description: data.description,
        });
        const lines = await peerLines(data.entryId, data.lines.length);
        data.lines.forEach((sent, index) => {
          const got = lines[index]!;
          expect(got).toMatchObject({
            AccountCode: sent.accountCode,
            Side: sent.side,
            Currency: sent.currency,
          });
          expect(new D(String(got.Amount)).eq(sent.amount)).toBe(true);
        });
      }
      const items = await exported('EXP-ARRIVE');
      expect(items.map((item) => [item.status, item.acknowledgedAs])).toEqual([
        ['acknowledged', 'created'],
        ['acknowledged', 'created'],
        ['acknowledged', 'created'],
      ]);
      const big = items.find((item) => item.entryId === entries[0]!.entryId)!;
      expect(big.lines).toEqual([
        expect.objectContaining({ lineNo: 1, side: 'debit', amount: '1234567890.12', currency: 'EUR' }),
        expect.objectContaining({ lineNo: 2, side: 'credit', amount: '1234567890.12', currency: 'EUR' }),
      ]);
    });

    it('should keep and send an entry once when finance’s event comes twice', async () => {
      const data = entry('EXP-TWICE', '2026-05-10', balanced('50.00'));
      await post(data);
      await post(data);
      const rows = await db()
        .selectFrom('exportEntryLines')
        .select('lineNo')
        .where('entryId', '=', data.entryId)
        .execute();
      expect(rows).toHaveLength(2);
      expect(await exported('EXP-TWICE')).toHaveLength(1);

      await sendAll('EXP-TWICE');
      expect(await peer.control.record('JournalEntries', data.entryId)).toMatchObject({
        EntryID: data.entryId,
      });
      const [item] = await exported('EXP-TWICE');
      expect(item).toMatchObject({ status: 'acknowledged', acknowledgedAs: 'created', attempts: 1 });
    });

    it('should export every entry exactly once when the accounting system is killed mid-run and restarted', async () => {
      const entries = Array.from({ length: 12 }, (_, index) =>
        entry('EXP-KILL', `2026-06-${String(index + 1).padStart(2, '0')}`, balanced(`${index + 1}00.00`)),
      );
      for (const data of entries) await post(data);

      const first = await exportSender(system.app).tick();
      expect(first.acknowledged).toBeGreaterThan(0);
      // Killed while a round is sending: what was in flight may have arrived or not — the export cannot know.
      const inFlight = exportSender(system.app).tick();
      await peer.kill();
      await inFlight;
      const down = await exportSender(system.app).tick();
      expect(down.acknowledged).toBe(0);
      const waiting = (await exported('EXP-KILL')).filter((item) => item.status !== 'acknowledged');
      expect(waiting.length).toBeGreaterThan(0);
      const report = await system.call(
        'GET',
        '/v1/exports/reconciliation?from=2026-06-01&to=2026-06-30&legalEntity=EXP-KILL',
        reader,
      );
      expect(report.body).toMatchObject({
        posted: 12,
        acknowledged: 12 - waiting.length,
        pending: waiting.length,
      });
      expect(await waitingMetric()).toBe(waiting.length);

      await peer.restart();
      await sendAll('EXP-KILL');

      const items = await exported('EXP-KILL');
      expect(items.map((item) => item.status)).toEqual(Array(12).fill('acknowledged'));
      expect(await waitingMetric()).toBe(0);
      for (const data of entries) {
        expect(await peer.control.record('JournalEntries', data.entryId)).toMatchObject({
          EntryID: data.entryId,
        });
        const lines = await peerLines(data.entryId, 2);
        expect(lines.map((got) => new D(String(got!.Amount)).eq(data.lines[0]!.amount))).toEqual([
          true,
          true,
        ]);
      }
      // Nothing was posted again once the system had it: after the restart, each entry was created at most once
      // (the ones that arrived while the answer was lost were found by a lookup, not sent again).
      const creates = (await peer.control.requests()).filter(
        (request) => request.method === 'POST' && request.url.includes('JournalEntries'),
      );
      expect(creates.filter((request) => request.status === 409)).toEqual([]);
    });

    it('should look an entry up instead of sending it again when the answer to its send was lost', async () => {
      const data = entry('EXP-LOST', '2026-06-20', balanced('75.25'));
      await post(data);
      await sendAll('EXP-LOST');
      // The accounting system created it, and this process died before it wrote the answer down: still `sent`.
      await db()
        .updateTable('exportEntries')
        .set({ status: 'sent', acknowledgedAt: null, acknowledgedAs: null, nextAttemptAt: new Date(0) })
        .where('entryId', '=', data.entryId)
        .execute();
      await peer.control.reset();

      await sendAll('EXP-LOST');

      const [item] = await exported('EXP-LOST');
      expect(item).toMatchObject({ status: 'acknowledged', acknowledgedAs: 'duplicate' });
      const requests = (await peer.control.requests()).filter((request) => request.service === 'accounting');
      expect(requests.map((request) => request.method)).toEqual(['GET']);
      expect(decodeURIComponent(requests[0]!.url)).toContain(data.entryId);
    });

    it('should count entries the accounting system has already as acknowledged when they are sent again', async () => {
      const entries = [
        entry('EXP-AGAIN', '2026-06-21', balanced('1.00')),
        entry('EXP-AGAIN', '2026-06-22', balanced('2.00')),
      ];
      for (const data of entries) await post(data);
      await sendAll('EXP-AGAIN');
      // Pending again as if never sent (a restored backup of integration's database): posted again, both in one
      // $batch, and each answered "already exists".
      await db()
        .updateTable('exportEntries')
        .set({ status: 'pending', acknowledgedAt: null, acknowledgedAs: null, nextAttemptAt: new Date(0) })
        .where('legalEntity', '=', 'EXP-AGAIN')
        .execute();
      await peer.control.reset();

      await sendAll('EXP-AGAIN');

      const items = await exported('EXP-AGAIN');
      expect(items.map((item) => [item.status, item.acknowledgedAs])).toEqual([
        ['acknowledged', 'duplicate'],
        ['acknowledged', 'duplicate'],
      ]);
      const requests = (await peer.control.requests()).filter((request) => request.service === 'accounting');
      expect(requests.map((request) => [request.method, request.url])).toEqual([
        ['POST', '/accounting/$batch'],
      ]);
    });

    it('should keep a refused entry with the reason, report it and send it again when asked', async () => {
      const good = entry('EXP-REFUSE', '2026-07-01', balanced('10.00'));
      const bad = entry('EXP-REFUSE', '2026-07-02', balanced('20.00', 'USD'));
      await peer.control.refuseWrites({
        entity: 'JournalEntries',
        key: bad.entryId,
        status: 400,
        message: 'Account 1100 is not open in USD',
        times: 1,
      });
      // The refused one first in the round's $batch: the entry after it is still created.
      await post(bad);
      await post(good);
      await sendAll('EXP-REFUSE');
      expect(await peer.control.record('JournalEntries', good.entryId)).toMatchObject({
        EntryID: good.entryId,
      });
      const sent = await exported('EXP-REFUSE');
      expect(sent.find((item) => item.entryId === good.entryId)).toMatchObject({
        status: 'acknowledged',
        attempts: 1,
      });

      const answer = await system.call(
        'GET',
        '/v1/exports/reconciliation?from=2026-07-01&to=2026-07-31&legalEntity=EXP-REFUSE',
        reader,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ posted: 2, sent: 2, acknowledged: 1, refused: 1, pending: 0 });
      const [period] = answer.body.periods;
      expect(period).toMatchObject({ period: '2026-07', posted: 2, acknowledged: 1, refused: 1 });
      expect(period.refusals).toEqual([
        expect.objectContaining({ entryId: bad.entryId, reason: expect.stringContaining('not open in USD') }),
      ]);
      expect(answer.body.totals).toEqual([
        {
          currency: 'EUR',
          postedDebit: '10.00',
          postedCredit: '10.00',
          exportedDebit: '10.00',
          exportedCredit: '10.00',
        },
        {
          currency: 'USD',
          postedDebit: '20.00',
          postedCredit: '20.00',
          exportedDebit: '0.00',
          exportedCredit: '0.00',
        },
      ]);

      const again = await system.call('POST', `/v1/exports/${good.entryId}/retry`, writer);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('INTEGRATION_EXPORT_NOT_REFUSED');
      const retried = await system.call('POST', `/v1/exports/${bad.entryId}/retry`, writer);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ status: 'pending', refusal: null });
      await sendAll('EXP-REFUSE');
      expect(await peer.control.record('JournalEntries', bad.entryId)).toMatchObject({
        EntryID: bad.entryId,
      });
      const after = await system.call(
        'GET',
        '/v1/exports/reconciliation?from=2026-07-01&to=2026-07-31&legalEntity=EXP-REFUSE',
        reader,
      );
      expect(after.body).toMatchObject({ acknowledged: 2, refused: 0 });
    });

    it('should write the journal of a period as CSV that reads back to the entries posted', async () => {
      const entries = [
        entry('EXP-CSV', '2026-08-31', balanced('99.99'), 'Rent, "August"\nsecond line'),
        entry('EXP-CSV', '2026-08-01', balanced('1500.5'), '=SUM(A1:A9)'),
        entry('EXP-CSV', '2026-09-01', balanced('7'), 'next period'),
      ];
      for (const data of entries) await post(data);
      const answer = await system.app.inject({
        method: 'GET',
        url: '/v1/exports/journal.csv?from=2026-08-01&to=2026-08-31&legalEntity=EXP-CSV',
        headers: { authorization: `Bearer ${reader}` },
      });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/csv/);
      const rows = parse(answer.body, { columns: true }) as Record<string, string>[];
      const inAugust = entries.slice(0, 2).sort((a, b) => a.entryDate.localeCompare(b.entryDate));
      expect(rows).toEqual(
        inAugust.flatMap((data) =>
          data.lines.map((sent, index) => ({
            date: data.entryDate,
            entry_id: data.entryId,
            line_no: String(index + 1),
            account: sent.accountCode,
            debit: sent.side === 'debit' ? new D(sent.amount).toFixed(2) : '',
            credit: sent.side === 'credit' ? new D(sent.amount).toFixed(2) : '',
            currency: 'EUR',
            description: data.description.startsWith('=') ? `'${data.description}` : data.description,
          })),
        ),
      );
    });

    it('should send each entry once when two replicas send at the same time', async () => {
      // A second replica of integration on the same schema (its own pool), its job off like the first's.
      const database = await openDatabase<unknown>({
        schema: 'integration',
        url: system.database.url,
        poolSize: 5,
      });
      const replica = await buildService(integrationService, {
        env: { PORT: '0', LOG_LEVEL: 'silent', SSO_JWKS_URL: 'http://127.0.0.1:9/jwks', ...env },
        database,
        transport: system.app.events!.transport,
        logger: pino({ level: 'silent' }),
        options: { replicaId: 'second' },
      });
      try {
        await replica.ready();
        const entries = Array.from({ length: 16 }, (_, index) =>
          entry('EXP-TWO', '2026-11-02', balanced(`${index + 1}.50`)),
        );
        for (const data of entries) await post(data);
        await system.until(async () => {
          await Promise.all([exportSender(system.app).tick(), exportSender(replica).tick()]);
          const waiting = await db()
            .selectFrom('exportEntries')
            .select('entryId')
            .where('legalEntity', '=', 'EXP-TWO')
            .where('status', 'in', ['pending', 'sent'])
            .execute();
          return waiting.length === 0;
        }, 'every entry answered');
        const items = await exported('EXP-TWO');
        expect(items.map((item) => [item.status, item.acknowledgedAs, item.attempts])).toEqual(
          Array(16).fill(['acknowledged', 'created', 1]),
        );
      } finally {
        await replica.close();
        await database.close();
      }
    });

    it('should send by itself once ready, with the job on, and stop it before the service closes', async () => {
      const replica = await startTestService(integrationService, {
        setup,
        publishers: ['finance'],
        env: {
          INTEGRATION_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
          INTEGRATION_EXPORT_INTERVAL_MS: '50',
          INTEGRATION_EXPORT_BACKOFF_MS: '1',
        },
      });
      try {
        const admin = await replica.token(['integration:connectors:write']);
        const created = await replica.call('POST', '/v1/connectors', admin, {
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
        expect(created.status).toBe(201);
        const data = entry('EXP-JOB', '2026-10-01', balanced('12.34'));
        await replica.handled(await replica.publish(financeEvents.entryPosted, data));
        await replica.until(
          async () => (await peer.control.record('JournalEntries', data.entryId)) !== null,
          'the entry sent by the job',
        );
        await replica.until(async () => {
          const row = await replica
            .db<IntegrationDatabase>()
            .selectFrom('exportEntries')
            .select('status')
            .where('entryId', '=', data.entryId)
            .executeTakeFirst();
          return row?.status === 'acknowledged';
        }, 'the entry acknowledged');
      } finally {
        await replica.close();
      }
    });

    it('should refuse bad input with 400 naming the field, and a caller without the permission', async () => {
      const cases: [string, string, string][] = [
        ['GET', '/v1/exports/reconciliation?from=2026-13-01&to=2026-12-31', '/query/from'],
        ['GET', '/v1/exports/reconciliation?from=2026-05-01', '/query/to'],
        ['GET', '/v1/exports/reconciliation?from=2026-05-02&to=2026-05-01', '/query/to'],
        ['GET', '/v1/exports/journal.csv?from=yesterday&to=2026-05-01', '/query/from'],
        ['GET', '/v1/exports?status=lost', '/query/status'],
        ['GET', '/v1/exports?limit=0', '/query/limit'],
        ['GET', '/v1/exports?legalEntity=a%20b', '/query/legalEntity'],
        ['POST', '/v1/exports/not-a-uuid/retry', '/params/entryId'],
      ];
      for (const [method, url, field] of cases) {
        const answer = await system.call(method, url, writer);
        expect(answer.status, url).toBe(400);
        expect(
          answer.body.errors.map((error: { field: string }) => error.field),
          url,
        ).toContain(field);
      }
      expect((await system.call('GET', `/v1/exports/${randomUUID()}`, reader)).status).toBe(404);
      expect((await system.call('GET', '/v1/exports', undefined)).status).toBe(401);
      expect((await system.call('POST', `/v1/exports/${randomUUID()}/retry`, reader)).status).toBe(403);
    });
  },
);
