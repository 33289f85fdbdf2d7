import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIssuer, serveKeySet, type ServedKeySet } from '@lessor/auth/testing';
import { createInProcessTransport, eventMigrations } from '@lessor/events';
import { eventually, spawnConsumerProcess, type ConsumerProcess } from '@lessor/events/testing';
import { migrate, openDatabase, ServiceEvents, type Database } from '@lessor/service-kit';
import { createTestDatabase, testBackends, type Backend } from '@lessor/service-kit/testing';
import { activated, aContract, type TestContract } from './fixtures.ts';

// billing runs as its own process (runService, as main.ts does) and is SIGKILLed in the middle of a bank
// statement import, as an OOM killer or a failed node would stop it: no preClose, the line in progress rolled
// back by the database. Started again over the same database, it must finish the import, each line once.

const fixture = fileURLToPath(new URL('./fixtures/billing-process.ts', import.meta.url));
const LINES = 200;
const KILL_AFTER = 20;

interface Store {
  /** The database the billing process is given. */
  target: { databaseUrl: string };
  /** Opens the same database in the test process. */
  open(schema: string): Promise<Database<any>>;
  dispose(): Promise<void>;
}

async function storeFor(_backend: Backend): Promise<Store> {
  const database = await createTestDatabase<unknown>('postgres', { schema: 'billing' });
  return {
    target: { databaseUrl: database.url! },
    async open(schema) {
      return openDatabase<any>({ schema, url: database.url!, poolSize: 2 });
    },
    dispose: () => database.dispose(),
  };
}

/** leasing activates the contract: its event waits in the bus of the database until billing starts. */
async function activate(store: Store, contract: TestContract): Promise<void> {
  const leasingDb = await store.open('leasing');
  try {
    await migrate(leasingDb, eventMigrations);
    const transport = createInProcessTransport({ db: leasingDb.db });
    const leasing = new ServiceEvents(
      'leasing',
      leasingDb.db,
      { transport, relayPollIntervalMs: 20 },
      pino({ level: 'silent' }),
      new Registry(),
    );
    // start() declares every consumer's queue (billing's too) before the first event goes out.
    await leasing.start();
    const [definition, data, actor] = activated(contract);
    await leasingDb.db.transaction().execute((trx) => leasing.publish(trx, definition, { data, actor }));
    leasing.relay.wake();
    await eventually(async () => (await leasing.relay.backlog()).pending === 0, {
      message: 'the activation published',
    });
    await leasing.stop();
    await transport.close();
  } finally {
    await leasingDb.close();
  }
}

describe.each(testBackends())(
  'a bank statement import interrupted by a killed billing process on %s',
  (backend) => {
    let store: Store | undefined;
    let keys: ServedKeySet | undefined;
    const processes: ConsumerProcess[] = [];

    afterAll(async () => {
      for (const running of processes) {
        if (running.child.exitCode === null && running.child.signalCode === null)
          running.child.kill('SIGKILL');
        await running.exited;
      }
      await keys?.close();
      await store?.dispose();
    });

    it('should finish the import after a restart, each line imported once and its money allocated once', async () => {
      store = await storeFor(backend);
      const issuer = await createTestIssuer();
      keys = await serveKeySet(issuer);
      const token = await issuer.sign({
        sub: 'user-importer',
        name: 'Ida Import',
        permissions: ['billing:*:*'],
      });
      const contract = aContract();
      await activate(store, contract);

      const start = async () => {
        const running = spawnConsumerProcess(fixture, { ...store!.target, jwksUrl: keys!.jwksUrl });
        processes.push(running);
        const line = await eventually(
          () => {
            if (running.child.exitCode !== null) throw new Error(running.output.join('\n'));
            return running.output.find((text) => text.startsWith('listening '));
          },
          { timeoutMs: 60_000, message: 'billing listening' },
        );
        return { running, url: line.slice('listening '.length).trim() };
      };
      const call = async (url: string, method: string, path: string, body?: string, type?: string) => {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(type ? { 'content-type': type } : {}),
          },
          ...(body === undefined ? {} : { body }),
        });
        return { status: response.status, body: (await response.json()) as any };
      };

      let billing = await start();
      // The contract's advance and three installments are planned from the activation, then issued.
      await eventually(
        async () =>
          (await call(billing.url, 'GET', `/v1/invoices?contractId=${contract.snapshot.id}`)).body.items
            .length === 4,
        { message: 'the invoices planned' },
      );
      const run = await call(
        billing.url,
        'POST',
        '/v1/billing-runs',
        JSON.stringify({ upTo: '2026-04-30' }),
        'application/json',
      );
      expect(run.body.count).toBe(4);

      // Every other line pays 1.00 on the contract (allocated at once); the others match no contract.
      const csv = [
        'valueDate,amount,currency,reference,bankReference',
        ...Array.from({ length: LINES }, (_, index) =>
          index % 2 === 0
            ? `2026-02-01,1.00,EUR,${contract.snapshot.paymentReference},RESTART-${index}`
            : `2026-02-01,2.50,EUR,nobody knows,RESTART-${index}`,
        ),
      ].join('\n');
      const started = await call(billing.url, 'POST', '/v1/imports?fileName=restart.csv', csv, 'text/csv');
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const importId: string = started.body.id;
      const progress = async (url: string) =>
        (await call(url, 'GET', '/v1/imports?limit=1')).body.items.find((item: any) => item.id === importId);

      await eventually(async () => (await progress(billing.url)).linesDone >= KILL_AFTER, {
        timeoutMs: 60_000,
        intervalMs: 5,
        message: `${KILL_AFTER} lines imported`,
      });
      billing.running.child.kill('SIGKILL');
      await billing.running.exited;
      expect(billing.running.child.signalCode).toBe('SIGKILL');

      // Killed mid-import: the import is still running, and each line done has its one payment.
      const killed = await store.open('billing');
      try {
        const [state] = (
          await sql<any>`select status, lines_done, (select count(*)::int from payments where import_id = imports.id) as payments
            from imports where id = ${importId}`.execute(killed.db.withoutPlugins())
        ).rows;
        expect(state.status).toBe('running');
        expect(state.lines_done).toBeGreaterThanOrEqual(KILL_AFTER);
        expect(state.lines_done).toBeLessThan(LINES);
        expect(state.payments).toBe(state.lines_done);
      } finally {
        await killed.close();
      }

      billing = await start();
      const report = await eventually(
        async () => {
          const answer = await call(billing.url, 'GET', `/v1/imports/${importId}`);
          return answer.body.status === 'completed' ? answer.body : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 100, message: 'the import completed after the restart' },
      );
      expect(report).toMatchObject({
        linesTotal: LINES,
        linesDone: LINES,
        matched: LINES / 2,
        unmatched: LINES / 2,
        refused: 0,
        skipped: 0,
      });
      // The same file again adds nothing.
      const again = await call(billing.url, 'POST', '/v1/imports', csv, 'text/csv');
      expect([again.status, again.body.id]).toEqual([200, importId]);
      const balance = (await call(billing.url, 'GET', `/v1/contracts/${contract.snapshot.id}/balance`)).body;
      expect(balance.paid.amount).toBe((LINES / 2).toFixed(2));

      billing.running.child.kill('SIGTERM');
      expect(await billing.running.exited).toBe(0);

      const database = await store.open('billing');
      try {
        const [facts] = (
          await sql<Record<string, string>>`select
            (select count(*) from payments where import_id = ${importId}) as payments,
            (select count(distinct bank_reference) from payments where import_id = ${importId}) as "bankReferences",
            (select count(*) from import_lines where import_id = ${importId} and payment_id is null) as "linesWithoutPayment",
            (select count(*) from outbox where type = 'lessor.billing.payment.received.v1') as received,
            (select count(distinct envelope->'data'->>'paymentId') from outbox
              where type = 'lessor.billing.payment.received.v1') as "receivedPayments",
            (select sum(total)::numeric(20, 2)::text from allocations) as allocated,
            (select count(*) from allocations) as allocations,
            (select count(*) from outbox where type = 'lessor.billing.payment.allocated.v1') as "allocatedEvents",
            (select sum(paid_penalty + paid_interest + paid_principal + paid_fees + paid_vat)::numeric(20, 2)::text
              from invoices) as paid,
            (select sum(amount - unallocated)::numeric(20, 2)::text from payments) as spent,
            (select count(*) from outbox where type = 'lessor.billing.payment.created.v1'
              and envelope->>'actor' = 'user-importer') as "paymentsCreated",
            (select string_agg(envelope->>'actor' || ':' || (envelope->'data'->'after'->>'status'), ',') from outbox
              where type = 'lessor.billing.bank-statement-import.updated.v1') as completions`.execute(
            database.db.withoutPlugins(),
          )
        ).rows;
        expect(facts).toEqual({
          payments: String(LINES),
          bankReferences: String(LINES),
          linesWithoutPayment: '0',
          received: String(LINES),
          receivedPayments: String(LINES),
          allocated: (LINES / 2).toFixed(2),
          allocations: String(LINES / 2),
          allocatedEvents: String(LINES / 2),
          paid: (LINES / 2).toFixed(2),
          spent: (LINES / 2).toFixed(2),
          // Each line's payment published once, for the uploader; the import completed once, for them too.
          paymentsCreated: String(LINES),
          completions: 'user-importer:completed',
        });
      } finally {
        await database.close();
      }
    }, 480_000);
  },
);
