import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { createTestDatabase, serviceMigrations, testBackends } from '@lessor/service-kit/testing';
import { ssoMigrations } from '../migrations/index.ts';
import { buildApp } from '../src/app.ts';
import { loadSsoConfig } from '../src/config.ts';
import type { FirstAdminResult } from '../src/bootstrap/first-admin.ts';

const backends = await testBackends();

describe.each(backends)('the first administrator on %s', (backend) => {
  it('should generate a password once, keep it in the data directory and let admin sign in with it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lessor-sso-'));
    const database = await createTestDatabase(backend, {
      schema: 'sso',
      migrations: serviceMigrations(ssoMigrations),
    });
    const config = loadSsoConfig({ PORT: '0', LESSOR_DATA_DIR: dataDir });
    const seen: FirstAdminResult[] = [];
    const transport = createInProcessTransport({ db: database.db });
    const app = await buildApp({
      config,
      database,
      transport,
      logger: pino({ level: 'silent' }),
      onFirstAdmin: (result) => seen.push(result),
    });
    try {
      expect(seen).toHaveLength(1);
      const password = seen[0]!.generatedPassword!;
      expect(password.length).toBeGreaterThanOrEqual(20);
      const file = join(dataDir, 'admin-password.txt');
      expect((await readFile(file, 'utf8')).trim()).toBe(password);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const login = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'admin', password },
      });
      expect(login.statusCode).toBe(200);
      // A second start on the same database creates nobody and prints nothing.
      const again = await buildApp({
        config,
        transport,
        database: { ...database, close: async () => {} },
        logger: pino({ level: 'silent' }),
        onFirstAdmin: (result) => seen.push(result),
      });
      await again.close();
      expect(seen).toHaveLength(1);
    } finally {
      await app.close();
      await transport.close();
      await database.dispose();
    }
  });
});
