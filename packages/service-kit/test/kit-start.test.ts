import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { sql } from 'kysely';
import { createTestIssuer } from '@lessor/auth/testing';
import { openDatabase } from '../src/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import { buildWidgetService } from './widget-service.ts';

const backends = await testBackends();
const silent = pino({ level: 'silent' });

describe.each(backends)('starting a service on %s', (backend) => {
  it('should refuse to start when a route names neither a permission nor public', async () => {
    const issuer = await createTestIssuer();
    const database = await createTestDatabase(backend, { schema: 'widgets' });
    try {
      const app = await buildWidgetService(database, issuer, silent);
      expect(() => app.get('/v1/open-by-mistake', async () => ({ oops: true }))).toThrow(
        /names neither config.permission nor config.public/,
      );
      await app.close();
    } finally {
      await database.dispose();
    }
  });

  it('should run each migration once when two replicas start together', async () => {
    const issuer = await createTestIssuer();
    const first = await createTestDatabase(backend, { schema: 'widgets' });
    try {
      // A second handle on the same database, as a second replica would have.
      const second =
        backend === 'postgres' ? await openDatabase<unknown>({ schema: 'widgets', url: first.url! }) : first;
      const apps = await Promise.all([
        buildWidgetService(first, issuer, silent),
        buildWidgetService(second, issuer, silent),
      ]);
      const applied = await sql<{ name: string }>`select name from lessor_migrations order by name`.execute(
        first.db,
      );
      const names = applied.rows.map((row) => row.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('0001_widgets');
      if (backend === 'postgres') await apps[1].close();
    } finally {
      await first.dispose();
    }
  });
});

describe('graceful shutdown', () => {
  it('should finish an in-flight request, refuse new ones and close the database when the app closes', async () => {
    const issuer = await createTestIssuer();
    const database = await createTestDatabase('postgres', { schema: 'widgets' });
    let release: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => (release = resolve));
    const app = await buildWidgetService(database, issuer, silent, { slowGate });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const token = await issuer.sign({ permissions: ['widgets:*:*'] });
    try {
      const inFlight = fetch(`${url}/v1/widgets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'slow', price: '1.00' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closing = app.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await expect(fetch(`${url}/health/live`)).rejects.toThrow();
      release();
      const answer = await inFlight;
      expect(answer.status).toBe(201);
      await closing;
      await expect(database.ping()).rejects.toThrow();
    } finally {
      release();
      await database.dispose();
    }
  });
});
