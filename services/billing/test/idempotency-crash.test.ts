import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestIssuer, serveKeySet, type ServedKeySet } from '@lessor/auth/testing';
import { eventually, spawnConsumerProcess, type ConsumerProcess } from '@lessor/events/testing';
import { openDatabase, type Database } from '@lessor/service-kit';
import { createTestDatabase, testBackends, type Backend } from '@lessor/service-kit/testing';

// Exactly once at the API edge (issue 12, item 8): billing is SIGKILLed after POST /v1/payments did its work and
// before the client got the answer. The client retries with the same Idempotency-Key against billing started again
// over the same database: it must get the payment's 201 (the original answer when it was committed) and billing
// must hold exactly one payment — no 409 IDEMPOTENCY_KEY_IN_FLIGHT to wait out, no second run of the request.

const fixture = fileURLToPath(new URL('./fixtures/billing-process.ts', import.meta.url));

interface Store {
  target: { databaseUrl: string };
  /** Opens billing's database in the test process. */
  open(): Promise<Database<any>>;
  dispose(): Promise<void>;
}

async function storeFor(_backend: Backend): Promise<Store> {
  const database = await createTestDatabase<unknown>('postgres', { schema: 'billing' });
  return {
    target: { databaseUrl: database.url! },
    open: () => openDatabase<any>({ schema: 'billing', url: database.url!, poolSize: 1 }),
    dispose: () => database.dispose(),
  };
}

describe.each(testBackends())(
  'POST /v1/payments with an Idempotency-Key, billing killed on %s',
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

    it('should answer the retry with the payment’s 201 and hold one payment, whenever billing died before answering', async () => {
      store = await storeFor(backend);
      const issuer = await createTestIssuer();
      keys = await serveKeySet(issuer);
      const token = await issuer.sign({
        sub: 'user-cashier',
        name: 'Cass Cashier',
        permissions: ['billing:*:*'],
      });

      const start = async () => {
        const running = spawnConsumerProcess(fixture, {
          ...store!.target,
          jwksUrl: keys!.jwksUrl,
          crashHooks: true,
        });
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
      const pay = async (url: string, key: string, body: object, crash?: string) => {
        const response = await fetch(`${url}/v1/payments`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': key,
            ...(crash ? { 'x-test-crash': crash } : {}),
          },
          body: JSON.stringify(body),
        });
        return {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: (await response.json()) as any,
        };
      };
      // Money that matches no contract, and no bankReference: only the key can keep the retry from a second payment.
      const paymentOf = (amount: string) => ({
        amount: { amount, currency: 'EUR' },
        valueDate: '2026-02-01',
        reference: `crash test ${amount}`,
      });

      const outcomes: Record<string, unknown> = {};
      // `handled`: the handler has returned its 201; `answered`: the kit's hooks ran, the answer is about to go out.
      for (const [moment, amount] of [
        ['handled', '10.00'],
        ['answered', '20.00'],
      ] as const) {
        const key = `crash-${moment}-0001`;
        let billing = await start();
        await expect(pay(billing.url, key, paymentOf(amount), moment)).rejects.toThrow();
        await billing.running.exited;
        expect(billing.running.child.signalCode).toBe('SIGKILL');

        billing = await start();
        const restarted = Date.now();
        const retry = await pay(billing.url, key, paymentOf(amount));
        const waited = Date.now() - restarted;
        expect(retry.status, JSON.stringify(retry.body)).toBe(201);
        expect(retry.body.amount).toEqual({ amount, currency: 'EUR' });
        expect(retry.headers.location).toBe(`/v1/payments/${retry.body.id}`);
        // The retry's answer is the one every later retry gets, marked as replayed.
        const again = await pay(billing.url, key, paymentOf(amount));
        expect([again.status, again.headers['idempotent-replayed'], again.body]).toEqual([
          201,
          'true',
          retry.body,
        ]);
        outcomes[moment] = { replayed: retry.headers['idempotent-replayed'] ?? 'false', waitedMs: waited };

        billing.running.child.kill('SIGTERM');
        expect(await billing.running.exited).toBe(0);

        const database = await store.open();
        try {
          const rows = (
            await sql<{ id: string }>`select id from payments where amount = ${amount}::numeric`.execute(
              database.db.withoutPlugins(),
            )
          ).rows;
          expect(rows.map((row) => row.id)).toEqual([retry.body.id]);
          const received = (
            await sql<{ count: string }>`select count(*)::text as count from outbox
            where type = 'lessor.billing.payment.received.v1' and envelope->'data'->>'paymentId' = ${retry.body.id}`.execute(
              database.db.withoutPlugins(),
            )
          ).rows;
          expect(received).toEqual([{ count: '1' }]);
        } finally {
          await database.close();
        }
      }
      // Killed after the commit, the original answer is replayed; killed before it, nothing was kept and the retry
      // runs at once (the dead owner's claim does not hold the key).
      expect(outcomes).toMatchObject({ handled: { replayed: 'false' }, answered: { replayed: 'true' } });
      console.info(`idempotency after SIGKILL on ${backend}: ${JSON.stringify(outcomes)}`);
    }, 300_000);
  },
);
